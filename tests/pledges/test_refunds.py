"""A failed campaign gives every backer back exactly what they paid; a successful charge-on-success
campaign charges its saved cards. Both run as chunked, resumable tasks."""

import datetime as dt

import pytest

from core.errors import InsufficientFunds
from funding.services import campaign_close, campaign_refund_chunk, close_due_campaigns
from ledger.models import Entry, Transaction
from ledger.selectors import wallet_balance
from ledger.services import balance, escrow_account
from payments.models import SandboxOperation
from payouts.models import Payout
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create
from projects.models import CampaignStatus

from ..factories import DECLINED_CARD, CampaignFactory, TierFactory

S = CampaignStatus
pytestmark = pytest.mark.django_db


def _statuses(campaign):
    return sorted(Pledge.objects.filter(campaign=campaign).values_list("status", flat=True))


@pytest.fixture
def failing_charity(charity, owner, make_backers, pledge):
    """A charity campaign with five paid pledges (one backer twice), 10,000 short of its goal."""
    campaign = CampaignFactory(slug="charity", owner=owner, goal=1_000_000)
    backers = make_backers(4)
    for b, amount in zip(backers + backers[:1], [100_000, 200_000, 300_000, 350_000, 40_000], strict=True):
        pledge(campaign, b, amount)
    campaign.backers = backers
    return campaign


@pytest.fixture
def failing_arts(arts, owner, make_backers, pledge):
    """An arts campaign with three paid card pledges, under 25% of its goal."""
    campaign = CampaignFactory(slug="arts", owner=owner, goal=1_000_000)
    tier = TierFactory(campaign=campaign, amount=15_000)
    backers = make_backers(3)
    for b, amount in zip(backers, [15_000, 50_000, 100_003], strict=True):
        pledge(campaign, b, amount, tier=tier)
    campaign.backers = backers
    return campaign


def test_failed_charity_campaign_refunds_every_backer_to_their_wallet_in_full(failing_charity, run_on_commit):
    with run_on_commit():
        assert campaign_close(campaign_id=failing_charity.pk, now=failing_charity.deadline) == S.REFUNDING
    failing_charity.refresh_from_db()
    assert failing_charity.status == S.REFUNDED
    assert failing_charity.fee_amount is None
    assert [wallet_balance(b, "IRR") for b in failing_charity.backers] == [140_000, 200_000, 300_000, 350_000]
    assert _statuses(failing_charity) == [PledgeStatus.REFUNDED] * 5
    assert balance(escrow_account(failing_charity)) == 0
    assert not SandboxOperation.objects.filter(kind="refund").exists()
    assert not Payout.objects.exists()


def test_failed_arts_campaign_refunds_every_card_once_through_the_sandbox(failing_arts, run_on_commit):
    with run_on_commit():
        close_due_campaigns(now=failing_arts.deadline)
    failing_arts.refresh_from_db()
    assert failing_arts.status == S.REFUNDED
    pledges = Pledge.objects.filter(campaign=failing_arts)
    assert {p.status for p in pledges} == {PledgeStatus.REFUNDED}
    for p in pledges:
        charge = p.attempts.get(kind="charge")
        refunds = SandboxOperation.objects.filter(kind="refund", parent=charge.reference)
        assert list(refunds.values_list("amount", flat=True)) == [p.amount]
    assert SandboxOperation.objects.filter(kind="refund").count() == 3
    assert balance(escrow_account(failing_arts)) == 0
    assert [wallet_balance(b, "IRT") for b in failing_arts.backers] == [0, 0, 0]


def test_wallet_refunds_are_made_in_chunks_until_the_campaign_is_refunded(failing_charity):
    # Without on-commit callbacks the refund task does not start: drive the chunks by hand.
    campaign_close(campaign_id=failing_charity.pk, now=failing_charity.deadline)
    progress = []
    for _ in range(4):
        done = campaign_refund_chunk(campaign_id=failing_charity.pk, size=2)
        refunded = Pledge.objects.filter(campaign=failing_charity, status=PledgeStatus.REFUNDED).count()
        failing_charity.refresh_from_db()
        progress.append((done, refunded, failing_charity.status))
    assert progress == [(2, 2, S.REFUNDING), (2, 4, S.REFUNDING), (1, 5, S.REFUNDING), (0, 5, S.REFUNDED)]
    assert sum(wallet_balance(b, "IRR") for b in failing_charity.backers) == 990_000
    assert campaign_refund_chunk(campaign_id=failing_charity.pk, size=2) == 0


def test_card_refunds_are_made_in_chunks_until_the_campaign_is_refunded(failing_arts):
    campaign_close(campaign_id=failing_arts.pk, now=failing_arts.deadline)
    assert campaign_refund_chunk(campaign_id=failing_arts.pk, size=2) == 2
    assert SandboxOperation.objects.filter(kind="refund").count() == 2
    assert campaign_refund_chunk(campaign_id=failing_arts.pk, size=2) == 1
    failing_arts.refresh_from_db()
    assert failing_arts.status == S.REFUNDING
    assert campaign_refund_chunk(campaign_id=failing_arts.pk, size=2) == 0
    failing_arts.refresh_from_db()
    assert failing_arts.status == S.REFUNDED
    assert SandboxOperation.objects.filter(kind="refund").count() == 3


def test_wallet_money_of_a_failed_campaign_backs_another_campaign(failing_charity, charity, run_on_commit):
    with run_on_commit():
        campaign_close(campaign_id=failing_charity.pk, now=failing_charity.deadline)
    backer = failing_charity.backers[0]
    assert wallet_balance(backer, "IRR") == 140_000
    other = CampaignFactory(slug="charity", goal=100_000)
    p = pledge_create(campaign_id=other.pk, backer=backer, amount=100_000, source="wallet")
    assert (p.status, p.source) == (PledgeStatus.PAID, "wallet")
    assert wallet_balance(backer, "IRR") == 40_000
    assert balance(escrow_account(other)) == 100_000
    assert campaign_close(campaign_id=other.pk, now=other.deadline) == S.SUCCEEDED


def test_spending_more_than_the_wallet_holds_is_refused_and_nothing_changes(failing_charity, run_on_commit):
    with run_on_commit():
        campaign_close(campaign_id=failing_charity.pk, now=failing_charity.deadline)
    backer = failing_charity.backers[1]
    other = CampaignFactory(slug="charity", goal=100_000)
    counts = (Pledge.objects.count(), Transaction.objects.count(), Entry.objects.count())
    with pytest.raises(InsufficientFunds) as err:
        pledge_create(campaign_id=other.pk, backer=backer, amount=200_001, source="wallet")
    assert "200,000 rial" in err.value.message
    assert (Pledge.objects.count(), Transaction.objects.count(), Entry.objects.count()) == counts
    assert wallet_balance(backer, "IRR") == 200_000


def test_wallet_pledge_on_a_card_platform_goes_back_to_the_wallet_when_it_fails(
    presale, owner, backer, run_on_commit, pledge
):
    from ..factories import wallet_top_up

    campaign = CampaignFactory(slug="presale", owner=owner, goal=1_000_000, funding_model="threshold")
    wallet_top_up(backer, currency="IRT", amount=30_000, platform_slug="presale")
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=30_000, source="wallet")
    card = pledge(campaign, backer, 20_000)
    with run_on_commit():
        campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    assert wallet_balance(backer, "IRT") == 30_000
    assert list(SandboxOperation.objects.filter(kind="refund").values_list("amount", flat=True)) == [20_000]
    assert Pledge.objects.get(pk=card.pk).status == PledgeStatus.REFUNDED


# --- an interrupted close ------------------------------------------------------------------------


def _later(campaign):
    """A beat run well after the close: work left unfinished by then counts as stalled."""
    return campaign.deadline + dt.timedelta(hours=1)


def _book():
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        SandboxOperation.objects.count(),
        Payout.objects.count(),
        sorted(Pledge.objects.values_list("id", "status")),
    )


def test_refunds_interrupted_mid_way_are_resumed_by_the_next_close_run(failing_arts, run_on_commit):
    # The close commits, one chunk runs, then the worker dies (no further task runs).
    campaign_close(campaign_id=failing_arts.pk, now=failing_arts.deadline)
    assert campaign_refund_chunk(campaign_id=failing_arts.pk, size=1) == 1
    failing_arts.refresh_from_db()
    assert failing_arts.status == S.REFUNDING
    with run_on_commit():
        assert close_due_campaigns(now=_later(failing_arts)) == {"closed": 0, "resumed": 1}
    failing_arts.refresh_from_db()
    assert failing_arts.status == S.REFUNDED
    assert SandboxOperation.objects.filter(kind="refund").count() == 3
    book = _book()
    with run_on_commit():
        assert close_due_campaigns(now=_later(failing_arts)) == {"closed": 0, "resumed": 0}
    assert _book() == book


def test_a_card_refund_whose_answer_was_lost_is_not_made_twice(failing_arts, run_on_commit):
    """The provider refunded, but the worker died before booking it: the retry reuses the answer."""
    from payments.services import pledge_refund_call

    campaign_close(campaign_id=failing_arts.pk, now=failing_arts.deadline)
    p = Pledge.objects.filter(campaign=failing_arts).order_by("id").first()
    Pledge.objects.filter(pk=p.pk).update(status=PledgeStatus.REFUNDING)
    pledge_refund_call(pledge=Pledge.objects.get(pk=p.pk))  # made at the provider, never booked
    with run_on_commit():
        close_due_campaigns(now=_later(failing_arts))
    failing_arts.refresh_from_db()
    assert failing_arts.status == S.REFUNDED
    assert SandboxOperation.objects.filter(kind="refund").count() == 3
    assert Transaction.objects.filter(key=f"pledge-{p.pk}-refund").count() == 1


def test_wallet_refunds_interrupted_mid_way_are_resumed(failing_charity, run_on_commit):
    campaign_close(campaign_id=failing_charity.pk, now=failing_charity.deadline)
    campaign_refund_chunk(campaign_id=failing_charity.pk, size=2)
    with run_on_commit():
        close_due_campaigns(now=_later(failing_charity))
    failing_charity.refresh_from_db()
    assert failing_charity.status == S.REFUNDED
    assert sum(wallet_balance(b, "IRR") for b in failing_charity.backers) == 990_000
    book = _book()
    close_due_campaigns(now=_later(failing_charity))
    assert _book() == book


def test_running_the_close_twice_changes_nothing_the_second_time(
    failing_charity, arts, owner, backer, pledge, run_on_commit
):
    winner = CampaignFactory(slug="arts", owner=owner, goal=100_000, deadline=failing_charity.deadline)
    pledge(winner, backer, 100_000, tier=TierFactory(campaign=winner))
    with run_on_commit():
        assert close_due_campaigns(now=failing_charity.deadline)["closed"] == 2
    failing_charity.refresh_from_db()
    winner.refresh_from_db()
    assert (failing_charity.status, winner.status) == (S.REFUNDED, S.SUCCEEDED)
    book = _book()
    later = failing_charity.deadline + dt.timedelta(hours=1)
    with run_on_commit():
        assert close_due_campaigns(now=later) == {"closed": 0, "resumed": 0}
    assert _book() == book


def test_a_campaign_whose_refunds_just_started_is_not_resumed_twice(failing_charity, settings):
    settings.CIVICFUND_RESUME_AFTER_SECONDS = 120
    close_due_campaigns(now=failing_charity.deadline)  # the refund chain is (still) running
    assert close_due_campaigns(now=failing_charity.deadline + dt.timedelta(seconds=60))["resumed"] == 0
    assert close_due_campaigns(now=failing_charity.deadline + dt.timedelta(seconds=121))["resumed"] == 1


# --- charge on success ---------------------------------------------------------------------------


@pytest.fixture
def on_success(presale):
    presale.collection_mode = "charge_on_success"
    presale.save()
    return presale


def test_charge_on_success_pledges_are_secured_without_a_charge(on_success, owner, backer, pledge):
    from pledges.selectors import campaign_raised

    campaign = CampaignFactory(slug="presale", owner=owner, goal=100_000)
    p = pledge(campaign, backer, 60_000)
    assert p.status == PledgeStatus.SECURED
    assert not SandboxOperation.objects.filter(kind="charge").exists()
    assert not Entry.objects.exists()
    assert campaign_raised(campaign.pk) == 60_000


def test_charge_on_success_charges_the_saved_cards_after_a_successful_close(
    on_success, owner, make_backers, pledge, run_on_commit, settings
):
    settings.CIVICFUND_PLEDGE_RETRY_DAYS = 0  # a card declined at collection is dropped at once
    campaign = CampaignFactory(slug="presale", owner=owner, goal=100_000, funding_model="all_or_nothing")
    tier = TierFactory(campaign=campaign, amount=5_000, quantity_limit=10)
    good, bad, other = make_backers(3)
    pledge(campaign, good, 70_000, tier=tier)
    dropped = pledge(campaign, bad, 20_000, tier=tier, card=DECLINED_CARD)  # saves fine
    pledge(campaign, other, 10_003)
    assert dropped.status == PledgeStatus.SECURED
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == S.SUCCEEDED
    campaign.refresh_from_db()
    assert campaign.raised_at_close == 100_003
    assert Pledge.objects.get(pk=dropped.pk).status == PledgeStatus.DROPPED
    assert _statuses(campaign) == sorted([PledgeStatus.PAID, PledgeStatus.PAID, PledgeStatus.DROPPED])
    assert campaign.collected == 80_003
    assert campaign.fee_amount == 4_000  # 5% of 80,003 = 4,000.15
    assert campaign.first_payout_amount == 68_402  # 90% of 76,003 = 68,402.7
    assert campaign.held_amount == 7_601
    assert balance(escrow_account(campaign)) == 68_402
    charged = SandboxOperation.objects.filter(kind="charge", status="succeeded")
    assert sorted(charged.values_list("amount", flat=True)) == [10_003, 70_000]
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1
    assert Payout.objects.filter(campaign=campaign).count() == 2


def test_charge_on_success_campaign_that_fails_charges_nobody(on_success, owner, make_backers, pledge, run_on_commit):
    campaign = CampaignFactory(slug="presale", owner=owner, goal=100_000, funding_model="all_or_nothing")
    a, b = make_backers(2)
    pledge(campaign, a, 50_000)
    pledge(campaign, b, 49_999)
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == S.REFUNDING
    campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    assert _statuses(campaign) == [PledgeStatus.RELEASED, PledgeStatus.RELEASED]
    assert not SandboxOperation.objects.filter(kind__in=["charge", "refund"]).exists()
    assert not Entry.objects.exists()


def test_an_interrupted_collection_is_resumed_by_the_next_close_run(
    on_success, owner, make_backers, pledge, run_on_commit
):
    from funding.services import campaign_collect_chunk

    campaign = CampaignFactory(slug="presale", owner=owner, goal=30_000, funding_model="all_or_nothing")
    for b in make_backers(3):
        pledge(campaign, b, 10_000)
    campaign_close(campaign_id=campaign.pk, now=campaign.deadline)  # the collect task never ran
    assert campaign_collect_chunk(campaign_id=campaign.pk, size=1) == 1
    campaign.refresh_from_db()
    assert (campaign.status, campaign.collected) == (S.SUCCEEDED, None)
    with run_on_commit():
        assert close_due_campaigns(now=_later(campaign)) == {"closed": 0, "resumed": 1}
    campaign.refresh_from_db()
    assert campaign.collected == 30_000
    assert SandboxOperation.objects.filter(kind="charge").count() == 3
    book = _book()
    with run_on_commit():
        assert close_due_campaigns(now=_later(campaign)) == {"closed": 0, "resumed": 0}
    assert _book() == book


def test_a_charge_pending_at_collection_waits_for_its_callback_then_the_campaign_settles(
    on_success, owner, make_backers, pledge, run_on_commit, client
):
    """Regression: a pending answer at collection used to make the collect task re-enqueue itself
    forever (RecursionError with eager tasks)."""
    import json

    from payments.sandbox import SandboxGateway, sandbox_signature

    from ..factories import PENDING_CARD

    campaign = CampaignFactory(slug="presale", owner=owner, goal=30_000, funding_model="all_or_nothing")
    a, b = make_backers(2)
    pledge(campaign, a, 20_000)
    slow = pledge(campaign, b, 10_000, card=PENDING_CARD)
    assert slow.status == PledgeStatus.SECURED
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == S.SUCCEEDED
    campaign.refresh_from_db()
    assert campaign.collected is None  # waiting for the pending charge
    assert Pledge.objects.get(pk=slow.pk).status == PledgeStatus.SECURED

    reference = Pledge.objects.get(pk=slow.pk).attempts.get(kind="charge").reference
    SandboxGateway().complete_pending(reference, "succeeded")
    body = json.dumps({"reference": reference, "status": "succeeded"})
    response = client.post(
        "/payments/sandbox/callback/",
        data=body,
        content_type="application/json",
        headers={"X-Sandbox-Signature": sandbox_signature(body)},
    )
    assert response.status_code == 200
    assert Pledge.objects.get(pk=slow.pk).status == PledgeStatus.PAID
    with run_on_commit():
        assert close_due_campaigns(now=_later(campaign))["resumed"] == 1
    campaign.refresh_from_db()
    assert (campaign.collected, campaign.fee_amount, campaign.first_payout_amount, campaign.held_amount) == (
        30_000,
        1_500,
        25_650,
        2_850,
    )
    assert SandboxOperation.objects.filter(kind="charge").count() == 2
