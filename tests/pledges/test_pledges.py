"""Making and cancelling pledges: the rules a pledge must pass, and what a refusal leaves behind."""

import datetime as dt

import pytest

from core.errors import ApplicationError, InsufficientFunds, PaymentDeclined, PermissionDenied, PledgeRefused
from ledger.models import Entry
from ledger.selectors import wallet_balance
from payments.models import PaymentAttempt, SandboxOperation
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_cancel, pledge_create
from projects.models import CampaignStatus

from ..factories import DECLINED_CARD, GOOD_CARD, CampaignFactory, TierFactory, wallet_top_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def arts_campaign(arts, owner):
    return CampaignFactory(slug="arts", owner=owner, goal=1_000_000)


@pytest.fixture
def ticket(arts_campaign):
    return TierFactory(campaign=arts_campaign, amount=15_000, quantity_limit=2)


@pytest.fixture
def charity_campaign(charity, owner):
    return CampaignFactory(slug="charity", owner=owner, goal=1_000_000)


def _claimed(tier):
    tier.refresh_from_db()
    return tier.quantity_claimed


# --- a pledge by card ----------------------------------------------------------------------------


def test_a_card_pledge_is_charged_once_and_booked_into_escrow(arts_campaign, ticket, backer, pledge):
    from ledger.services import balance, escrow_account

    p = pledge(arts_campaign, backer, 20_000, tier=ticket)
    assert (p.status, p.amount, p.currency) == (PledgeStatus.PAID, 20_000, "IRT")
    assert _claimed(ticket) == 1
    charges = SandboxOperation.objects.filter(kind="charge")
    assert list(charges.values_list("amount", "status")) == [(20_000, "succeeded")]
    assert balance(escrow_account(arts_campaign)) == 20_000


# --- the deadline ----------------------------------------------------------------------------


def test_pledge_one_second_before_the_deadline_is_accepted(charity_campaign, backer, pledge):
    p = pledge(charity_campaign, backer, 10_000, now=charity_campaign.deadline - dt.timedelta(seconds=1))
    assert p.status == PledgeStatus.PAID


@pytest.mark.parametrize("after", [0, 1])
def test_pledge_at_or_after_the_deadline_is_refused(charity_campaign, backer, pledge, after):
    with pytest.raises(PledgeRefused) as err:
        pledge(charity_campaign, backer, 10_000, now=charity_campaign.deadline + dt.timedelta(seconds=after))
    assert err.value.code == "campaign_closed"
    assert not Pledge.objects.exists()
    assert not SandboxOperation.objects.exists()


def test_pledge_before_the_start_is_refused(charity_campaign, backer, pledge):
    with pytest.raises(PledgeRefused) as err:
        pledge(charity_campaign, backer, 10_000, now=charity_campaign.starts_at - dt.timedelta(seconds=1))
    assert err.value.code == "campaign_not_started"


# --- validation: each refusal is a clear ApplicationError and leaves nothing behind ---------------


def _refused(make, code, *, exc=PledgeRefused, tiers=()):
    claimed_before = [_claimed(t) for t in tiers]
    with pytest.raises(exc) as err:
        make()
    assert isinstance(err.value, ApplicationError)
    assert err.value.code == code
    assert err.value.message
    assert not Pledge.objects.exists()
    assert not SandboxOperation.objects.exists()
    assert [_claimed(t) for t in tiers] == claimed_before
    return err.value


def test_pledge_below_the_platform_minimum_is_refused(charity_campaign, backer, pledge):
    error = _refused(lambda: pledge(charity_campaign, backer, 9_999), "amount_too_small")
    assert error.field == "amount"
    assert "10,000 rial" in error.message


def test_pledge_below_the_tier_amount_is_refused(arts_campaign, ticket, backer, pledge):
    _refused(lambda: pledge(arts_campaign, backer, 14_999, tier=ticket), "amount_below_tier", tiers=[ticket])


def test_pledge_with_a_tier_of_another_campaign_is_refused(arts, arts_campaign, ticket, backer, pledge):
    other = CampaignFactory(slug="arts")
    foreign = TierFactory(campaign=other, amount=15_000)
    _refused(lambda: pledge(arts_campaign, backer, 15_000, tier=foreign), "unknown_tier", tiers=[ticket, foreign])


def test_pledge_with_a_tier_id_that_is_not_a_number_is_refused(arts_campaign, ticket, backer):
    _refused(
        lambda: pledge_create(
            campaign_id=arts_campaign.pk, backer=backer, amount=15_000, tier_id="1; drop", card=GOOD_CARD
        ),
        "unknown_tier",
    )


def test_pledge_in_the_wrong_currency_is_refused(charity_campaign, backer, pledge):
    _refused(lambda: pledge(charity_campaign, backer, 10_000, currency="IRT"), "wrong_currency")


def test_free_amount_on_the_tiers_only_arts_platform_is_refused(arts_campaign, ticket, backer, pledge):
    _refused(lambda: pledge(arts_campaign, backer, 50_000), "tier_required", tiers=[ticket])


def test_backing_your_own_campaign_is_refused(arts_campaign, ticket, owner, pledge):
    _refused(lambda: pledge(arts_campaign, owner, 15_000, tier=ticket), "own_campaign", tiers=[ticket])


@pytest.mark.parametrize(
    "status", [CampaignStatus.DRAFT, CampaignStatus.SUBMITTED, CampaignStatus.SUCCEEDED, CampaignStatus.REFUNDING]
)
def test_pledge_to_a_campaign_that_is_not_live_is_refused(arts, owner, backer, pledge, status):
    campaign = CampaignFactory(slug="arts", owner=owner, status=status)
    tier = TierFactory(campaign=campaign)
    _refused(lambda: pledge(campaign, backer, 15_000, tier=tier), "campaign_not_live", tiers=[tier])


@pytest.mark.parametrize("amount", ["15000", 15_000.0, True, None, 10**15 + 1])
def test_pledge_of_an_amount_that_is_not_a_whole_number_is_refused(arts_campaign, ticket, backer, pledge, amount):
    _refused(lambda: pledge(arts_campaign, backer, amount, tier=ticket), "invalid_amount", tiers=[ticket])


def test_unknown_payment_source_is_refused(charity_campaign, backer, pledge):
    _refused(lambda: pledge(charity_campaign, backer, 10_000, source="cash"), "invalid_source")


def test_declined_card_declines_the_pledge_and_releases_the_reward(arts_campaign, ticket, backer, pledge):
    with pytest.raises(PaymentDeclined) as err:
        pledge(arts_campaign, backer, 15_000, tier=ticket, card=DECLINED_CARD)
    assert err.value.code == "payment_declined"
    p = Pledge.objects.get()
    assert p.status == PledgeStatus.DECLINED
    assert p.ended_at is not None
    assert _claimed(ticket) == 0
    assert not Entry.objects.exists()


def test_invalid_card_number_declines_the_pledge(charity_campaign, backer, pledge):
    with pytest.raises(PaymentDeclined):
        pledge(charity_campaign, backer, 10_000, card="4242424242424241")  # fails the Luhn check
    assert Pledge.objects.get().status == PledgeStatus.DECLINED
    assert not SandboxOperation.objects.exists()


def test_limited_tier_sells_out_with_a_clear_error(arts_campaign, ticket, backer, backer2, make_backers, pledge):
    pledge(arts_campaign, backer, 15_000, tier=ticket)
    pledge(arts_campaign, backer2, 15_000, tier=ticket)
    (third,) = make_backers(1)
    with pytest.raises(PledgeRefused) as err:
        pledge(arts_campaign, third, 15_000, tier=ticket)
    assert err.value.code == "tier_sold_out"
    assert "sold out" in err.value.message
    assert Pledge.objects.count() == 2
    assert _claimed(ticket) == 2


def test_a_declined_card_does_not_use_up_a_limited_reward(arts_campaign, ticket, backer, backer2, pledge):
    pledge(arts_campaign, backer, 15_000, tier=ticket)
    with pytest.raises(PaymentDeclined):
        pledge(arts_campaign, backer2, 15_000, tier=ticket, card=DECLINED_CARD)
    assert pledge(arts_campaign, backer2, 15_000, tier=ticket).status == PledgeStatus.PAID
    assert _claimed(ticket) == 2


def test_a_retried_request_returns_the_same_pledge_and_charges_once(charity_campaign, backer, pledge):
    first = pledge(charity_campaign, backer, 10_000, request_key="req-1")
    again = pledge(charity_campaign, backer, 10_000, request_key="req-1")
    assert again.pk == first.pk
    assert Pledge.objects.count() == 1
    assert SandboxOperation.objects.filter(kind="charge").count() == 1
    assert pledge(charity_campaign, backer, 10_000, request_key="req-2").pk != first.pk


# --- paying from the wallet -------------------------------------------------------------------


def test_wallet_pledge_moves_money_from_the_wallet_to_escrow(charity_campaign, backer):
    wallet_top_up(backer, currency="IRR", amount=50_000)
    p = pledge_create(campaign_id=charity_campaign.pk, backer=backer, amount=30_000, source="wallet")
    assert (p.status, p.source) == (PledgeStatus.PAID, "wallet")
    assert wallet_balance(backer, "IRR") == 20_000
    assert not PaymentAttempt.objects.exists()


def test_wallet_pledge_beyond_the_balance_is_refused_and_nothing_changes(charity_campaign, backer):
    wallet_top_up(backer, currency="IRR", amount=50_000)
    entries = Entry.objects.count()
    with pytest.raises(InsufficientFunds) as err:
        pledge_create(campaign_id=charity_campaign.pk, backer=backer, amount=50_001, source="wallet")
    assert err.value.code == "insufficient_funds"
    assert "50,000 rial" in err.value.message
    assert wallet_balance(backer, "IRR") == 50_000
    assert not Pledge.objects.exists()
    assert Entry.objects.count() == entries


def test_wallet_pledge_with_a_limited_reward_refused_for_funds_takes_no_unit(presale, owner, backer):
    campaign = CampaignFactory(slug="presale", owner=owner)
    tier = TierFactory(campaign=campaign, amount=5_000, quantity_limit=1)
    wallet_top_up(backer, currency="IRT", amount=4_000, platform_slug="presale")
    with pytest.raises(InsufficientFunds):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=5_000, tier_id=tier.pk, source="wallet")
    assert _claimed(tier) == 0


# --- cancelling -------------------------------------------------------------------------------


def test_cancelling_a_paid_card_pledge_while_live_refunds_it_through_the_sandbox(
    arts_campaign, ticket, backer, pledge, run_on_commit
):
    p = pledge(arts_campaign, backer, 20_000, tier=ticket)
    with run_on_commit():
        pledge_cancel(pledge_id=p.pk, backer=backer)
    p.refresh_from_db()
    assert p.status == PledgeStatus.REFUNDED
    refunds = SandboxOperation.objects.filter(kind="refund")
    assert list(refunds.values_list("amount", flat=True)) == [20_000]
    assert _claimed(ticket) == 0
    from ledger.services import balance, escrow_account

    assert balance(escrow_account(arts_campaign)) == 0


def test_cancelling_a_wallet_pledge_puts_the_money_back_in_the_wallet(charity_campaign, backer):
    wallet_top_up(backer, currency="IRR", amount=50_000)
    p = pledge_create(campaign_id=charity_campaign.pk, backer=backer, amount=30_000, source="wallet")
    pledge_cancel(pledge_id=p.pk, backer=backer)
    p.refresh_from_db()
    assert p.status == PledgeStatus.REFUNDED
    assert wallet_balance(backer, "IRR") == 50_000


def test_cancelling_a_card_pledge_on_the_charity_platform_refunds_to_the_wallet(charity_campaign, backer, pledge):
    p = pledge(charity_campaign, backer, 25_000)
    pledge_cancel(pledge_id=p.pk, backer=backer)
    assert Pledge.objects.get(pk=p.pk).status == PledgeStatus.REFUNDED
    assert wallet_balance(backer, "IRR") == 25_000
    assert not SandboxOperation.objects.filter(kind="refund").exists()


def test_a_cancelled_pledge_no_longer_counts_and_cannot_be_cancelled_again(charity_campaign, backer, pledge):
    from pledges.selectors import campaign_raised

    p = pledge(charity_campaign, backer, 25_000)
    pledge_cancel(pledge_id=p.pk, backer=backer)
    assert campaign_raised(charity_campaign.pk) == 0
    with pytest.raises(PledgeRefused) as err:
        pledge_cancel(pledge_id=p.pk, backer=backer)
    assert err.value.code == "not_cancellable"
    assert wallet_balance(backer, "IRR") == 25_000


def test_cancelling_after_the_deadline_is_refused(charity_campaign, backer, pledge):
    p = pledge(charity_campaign, backer, 25_000)
    with pytest.raises(PledgeRefused) as err:
        pledge_cancel(pledge_id=p.pk, backer=backer, now=charity_campaign.deadline)
    assert err.value.code == "campaign_closed"
    assert Pledge.objects.get(pk=p.pk).status == PledgeStatus.PAID
    assert wallet_balance(backer, "IRR") == 0


def test_cancelling_another_users_pledge_is_refused(charity_campaign, backer, backer2, pledge):
    p = pledge(charity_campaign, backer, 25_000)
    with pytest.raises(PermissionDenied) as err:
        pledge_cancel(pledge_id=p.pk, backer=backer2)
    assert err.value.code == "not_found"
    assert Pledge.objects.get(pk=p.pk).status == PledgeStatus.PAID


def test_a_pledge_whose_payment_is_still_pending_cannot_be_cancelled_yet(charity_campaign, backer, pledge):
    from ..factories import PENDING_CARD

    p = pledge(charity_campaign, backer, 25_000, card=PENDING_CARD)
    with pytest.raises(PledgeRefused) as err:
        pledge_cancel(pledge_id=p.pk, backer=backer)
    assert err.value.code == "payment_pending"


def test_cancelling_a_secured_pledge_releases_it_without_any_charge(presale, owner, backer, pledge):
    presale.collection_mode = "charge_on_success"
    presale.save()
    campaign = CampaignFactory(slug="presale", owner=owner)
    tier = TierFactory(campaign=campaign, amount=5_000, quantity_limit=1)
    p = pledge(campaign, backer, 5_000, tier=tier)
    assert p.status == PledgeStatus.SECURED
    pledge_cancel(pledge_id=p.pk, backer=backer)
    assert Pledge.objects.get(pk=p.pk).status == PledgeStatus.CANCELLED
    assert _claimed(tier) == 0
    assert not SandboxOperation.objects.filter(kind__in=["charge", "refund"]).exists()
