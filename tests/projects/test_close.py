"""The deadline close: who succeeds, what the split is, and that a close never happens early or twice."""

import datetime as dt

import pytest

from core.errors import PaymentDeclined
from funding.services import campaign_close, close_due_campaigns
from ledger.models import Entry, Transaction
from payouts.models import Payout, PayoutKind, PayoutStatus
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import campaign_raised
from projects.models import CampaignStatus

from ..factories import DECLINED_CARD, CampaignFactory, TierFactory

S = CampaignStatus
pytestmark = pytest.mark.django_db


def _close(campaign):
    status = campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    campaign.refresh_from_db()
    return status


@pytest.fixture
def presale_threshold(presale, owner):
    return CampaignFactory(slug="presale", owner=owner, goal=1_000_000, funding_model="threshold")


@pytest.fixture
def charity_campaign(charity, owner):
    return CampaignFactory(slug="charity", owner=owner, goal=1_000_000)


# --- funding-model boundaries ------------------------------------------------------------------


def test_threshold_campaign_at_exactly_25_percent_succeeds(presale_threshold, backer, pledge):
    pledge(presale_threshold, backer, 250_000)
    assert _close(presale_threshold) == S.SUCCEEDED
    assert presale_threshold.raised_at_close == 250_000


def test_threshold_campaign_one_unit_below_25_percent_fails(presale_threshold, backer, pledge):
    pledge(presale_threshold, backer, 249_999)
    assert _close(presale_threshold) == S.REFUNDING
    assert presale_threshold.raised_at_close == 249_999
    assert presale_threshold.status_changes.filter(to_status=S.FAILED).exists()


def test_threshold_needs_only_a_quarter_of_an_odd_goal_rounded_up(presale, owner, backer, pledge):
    # 25% of 1,000,001 is 250,000.25: 250,000 is short, 250,001 is enough.
    short = CampaignFactory(slug="presale", owner=owner, goal=1_000_001, funding_model="threshold")
    enough = CampaignFactory(slug="presale", owner=owner, goal=1_000_001, funding_model="threshold")
    pledge(short, backer, 250_000)
    pledge(enough, backer, 250_001)
    assert _close(short) == S.REFUNDING
    assert _close(enough) == S.SUCCEEDED


def test_all_or_nothing_at_the_goal_succeeds(charity_campaign, backer, backer2, pledge):
    pledge(charity_campaign, backer, 600_000)
    pledge(charity_campaign, backer2, 400_000)
    assert _close(charity_campaign) == S.SUCCEEDED
    assert charity_campaign.collected == 1_000_000


def test_all_or_nothing_one_unit_below_the_goal_fails(charity_campaign, backer, backer2, pledge):
    pledge(charity_campaign, backer, 600_000)
    pledge(charity_campaign, backer2, 399_999)
    assert _close(charity_campaign) == S.REFUNDING
    assert charity_campaign.collected is None


def test_all_or_nothing_above_the_goal_succeeds_with_everything_raised(charity_campaign, backer, pledge):
    pledge(charity_campaign, backer, 1_500_000)
    assert _close(charity_campaign) == S.SUCCEEDED
    assert charity_campaign.collected == 1_500_000


def test_raised_counts_only_paid_pledges(charity_campaign, backer, backer2, make_backers, pledge):
    from pledges.services import pledge_cancel

    pledge(charity_campaign, backer, 900_000)
    cancelled = pledge(charity_campaign, backer2, 100_000)
    pledge_cancel(pledge_id=cancelled.pk, backer=backer2)
    (declined_backer,) = make_backers(1)
    with pytest.raises(PaymentDeclined):
        pledge(charity_campaign, declined_backer, 100_000, card=DECLINED_CARD)
    assert Pledge.objects.filter(campaign=charity_campaign, status=PledgeStatus.DECLINED).count() == 1
    assert campaign_raised(charity_campaign.pk) == 900_000
    assert _close(charity_campaign) == S.REFUNDING
    assert charity_campaign.raised_at_close == 900_000


# --- the deadline ------------------------------------------------------------------------------


def test_close_a_second_before_the_deadline_does_nothing(charity_campaign, backer, pledge):
    pledge(charity_campaign, backer, 1_000_000)
    early = charity_campaign.deadline - dt.timedelta(seconds=1)
    assert campaign_close(campaign_id=charity_campaign.pk, now=early) is None
    assert close_due_campaigns(now=early) == {"closed": 0, "resumed": 0}
    charity_campaign.refresh_from_db()
    assert charity_campaign.status == S.LIVE
    assert charity_campaign.closed_at is None


def test_close_at_the_deadline_records_the_close(charity_campaign, backer, pledge):
    pledge(charity_campaign, backer, 1_000_000)
    assert close_due_campaigns(now=charity_campaign.deadline) == {"closed": 1, "resumed": 0}
    charity_campaign.refresh_from_db()
    assert charity_campaign.status == S.SUCCEEDED
    assert charity_campaign.closed_at == charity_campaign.deadline
    assert charity_campaign.raised_at_close == 1_000_000


def test_closing_twice_does_nothing_the_second_time(charity_campaign, backer, pledge):
    pledge(charity_campaign, backer, 1_000_000)
    assert _close(charity_campaign) == S.SUCCEEDED
    counts = (Transaction.objects.count(), Entry.objects.count(), Payout.objects.count())
    later = charity_campaign.deadline + dt.timedelta(days=1)
    assert campaign_close(campaign_id=charity_campaign.pk, now=later) is None
    assert (Transaction.objects.count(), Entry.objects.count(), Payout.objects.count()) == counts
    charity_campaign.refresh_from_db()
    assert charity_campaign.closed_at == charity_campaign.deadline


# --- the split ---------------------------------------------------------------------------------


def test_fee_and_90_10_split_of_an_amount_that_does_not_divide_evenly(arts, owner, backer, pledge):
    campaign = CampaignFactory(slug="arts", owner=owner, goal=2_000_000)
    tier = TierFactory(campaign=campaign, amount=15_000)
    pledge(campaign, backer, 1_000_003, tier=tier)
    assert _close(campaign) == S.SUCCEEDED
    assert campaign.collected == 1_000_003
    assert campaign.fee_amount == 50_000  # 5% of 1,000,003 = 50,000.15
    assert campaign.first_payout_amount == 855_002  # 90% of 950,003 = 855,002.7
    assert campaign.held_amount == 95_001


def test_fee_and_hold_are_booked_in_the_ledger(arts, owner, backer, pledge):
    from ledger.services import balance, escrow_account, held_account

    campaign = CampaignFactory(slug="arts", owner=owner, goal=2_000_000)
    tier = TierFactory(campaign=campaign, amount=15_000)
    pledge(campaign, backer, 1_000_003, tier=tier)
    _close(campaign)
    fee = Transaction.objects.get(key=f"campaign-{campaign.pk}-fee")
    assert sorted(fee.entries.values_list("account__kind", "amount")) == [("escrow", -50_000), ("fees", 50_000)]
    hold = Transaction.objects.get(key=f"campaign-{campaign.pk}-hold")
    assert sorted(hold.entries.values_list("account__kind", "amount")) == [("escrow", -95_001), ("held", 95_001)]
    assert balance(escrow_account(campaign)) == 855_002
    assert balance(held_account(campaign)) == 95_001


def test_no_fee_transaction_on_a_platform_without_fee(charity_campaign, backer, pledge):
    pledge(charity_campaign, backer, 1_000_001)
    _close(charity_campaign)
    assert charity_campaign.fee_amount == 0
    assert charity_campaign.first_payout_amount == 900_000
    assert charity_campaign.held_amount == 100_001
    assert not Transaction.objects.filter(key=f"campaign-{charity_campaign.pk}-fee").exists()


def test_a_succeeded_campaign_schedules_its_two_payouts(arts, owner, backer, pledge):
    campaign = CampaignFactory(slug="arts", owner=owner, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=15_000)
    pledge(campaign, backer, 100_000, tier=tier)
    _close(campaign)
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    held = Payout.objects.get(campaign=campaign, kind=PayoutKind.HELD)
    assert (first.amount, first.status, first.due_on) == (85_500, PayoutStatus.SCHEDULED, campaign.first_payout_due)
    assert (held.amount, held.status, held.due_on) == (9_500, PayoutStatus.WAITING, None)


@pytest.mark.parametrize("fee_bp, first_percent", [(500, 90), (0, 90), (999, 80)])
def test_fee_first_payout_and_held_part_always_add_up_to_what_was_collected(arts, owner, backer, fee_bp, first_percent):
    """The split function on many awkward amounts (no hypothesis here: a deterministic sweep)."""
    from funding.services import settle

    arts.fee_basis_points, arts.first_payout_percent = fee_bp, first_percent
    arts.save()
    campaign = CampaignFactory(
        slug="arts", owner=owner, goal=1, status=S.SUCCEEDED, closed_at=dt.datetime(2026, 10, 6, 12, tzinfo=dt.UTC)
    )
    amounts = [1, 2, 3, 7, 9, 19, 20, 21, 99, 101, 999, 10_001, 1_000_003, 12_345_679, 987_654_321_987]
    for amount in amounts:
        fee = amount * fee_bp // 10_000
        first = (amount - fee) * first_percent // 100
        campaign.collected = None
        Payout.objects.filter(campaign=campaign).delete()
        Entry.objects.filter(transaction__campaign=campaign).delete()
        Transaction.objects.filter(campaign=campaign).delete()
        settle.campaign_split(campaign, collected=amount)
        campaign.refresh_from_db()
        assert campaign.fee_amount == fee, amount
        assert campaign.first_payout_amount == first, amount
        assert campaign.fee_amount + campaign.first_payout_amount + campaign.held_amount == amount
        assert 0 <= campaign.held_amount


def test_a_failed_campaign_still_shows_what_it_raised_and_from_whom_after_its_refunds(
    charity_campaign, backer, backer2, pledge, run_on_commit, client
):
    """Raised 900,000 from two backers, short of the goal: refunded to wallets. Its page, the lists
    and the API keep showing what it reached at the deadline, not the nothing the refunds leave."""
    from django.urls import reverse

    from pledges.selectors import campaigns_public

    pledge(charity_campaign, backer, 600_000)
    pledge(charity_campaign, backer2, 300_000)
    with run_on_commit():
        assert _close(charity_campaign) == S.REFUNDING
    charity_campaign.refresh_from_db()
    assert charity_campaign.status == S.REFUNDED
    assert (charity_campaign.raised_at_close, charity_campaign.backers_at_close) == (900_000, 2)
    assert campaign_raised(charity_campaign.pk) == 0  # nothing is held any more

    listed = campaigns_public().get(pk=charity_campaign.pk)
    assert (listed.raised, listed.backers) == (900_000, 2)
    api = client.get(f"/api/v1/campaigns/{charity_campaign.pk}/").json()
    assert (api["raised"], api["backers"]) == (900_000, 2)
    page = client.get(reverse("campaign", args=["charity", charity_campaign.pk])).content.decode()
    assert '<dd class="raised">۹۰۰٬۰۰۰ ریال</dd>' in page and '<dd class="backers">۲</dd>' in page
