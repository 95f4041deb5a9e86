"""Connect payouts (90% when due, 10% after the final report), Checkout in setup mode, currencies,
and reconcile_stripe — Connect and Checkout served from recorded Stripe responses."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from funding.audit import ledger_audit
from funding.services import report_approve
from payouts.models import Payout, PayoutKind, PayoutStatus, StripeConnectAccount
from payouts.services import owner_stripe_onboarding_start, release_due_payouts
from platforms.models import Platform
from pledges.models import PledgeStatus
from pledges.services import pledge_checkout_start, pledge_create
from projects.models import CampaignStatus
from projects.reports import report_submit

from ..factories import StaffFactory, UserFactory
from .conftest import GOOD, close, stripe_platform

pytestmark = pytest.mark.django_db


def _due(payout):
    return dt.datetime.combine(payout.due_on, dt.time(12), tzinfo=dt.UTC)


def test_owner_is_paid_90_percent_by_transfer_when_due_and_10_percent_after_the_report(
    charge_now, campaign_on, card, stripe_server, deliver, run_on_commit
):
    owner = UserFactory()
    url = owner_stripe_onboarding_start(user=owner, refresh_url="https://cf.test/r", return_url="https://cf.test/b")
    account = StripeConnectAccount.objects.get(user=owner)
    assert url.startswith("https://connect.stripe.com/setup/") and account.account_id in url
    assert not account.ready
    stripe_server.account_update(account.account_id, payouts_enabled=True, charges_enabled=True, details_submitted=True)
    update = stripe_server.wait_event("account.updated", account.account_id)
    assert deliver(update).status_code == 200
    account.refresh_from_db()
    assert account.ready

    campaign = campaign_on(charge_now, goal=10_000, owner=owner)
    for amount in (6_000, 5_000):
        pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=amount, card=card(GOOD))
    assert close(campaign, run_on_commit) == CampaignStatus.SUCCEEDED
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    held = Payout.objects.get(campaign=campaign, kind=PayoutKind.HELD)
    assert (campaign.fee_amount, first.amount, held.amount) == (550, 9_405, 1_045)

    assert release_due_payouts(now=_due(first) - dt.timedelta(days=1)) == 0
    assert release_due_payouts(now=_due(first)) == 1
    first.refresh_from_db()
    assert (first.status, first.method, first.reference[:3]) == (PayoutStatus.PAID, "stripe_connect", "tr_")
    (transfer,) = stripe_server.transfers.values()
    assert (transfer["amount"], transfer["currency"], transfer["transfer_group"]) == (
        9_405,
        "gbp",
        f"campaign-{campaign.pk}",
    )
    assert [c["key"] for c in stripe_server.calls("POST", "/v1/transfers")] == [f"payout-{campaign.pk}-first"]
    assert release_due_payouts(now=_due(first) + dt.timedelta(days=30)) == 0  # the 10% waits
    assert deliver(stripe_server.wait_event("transfer.created", transfer["id"])).status_code == 200

    report = report_submit(campaign=campaign, user=owner, text="Done.", spending=[{"item": "x", "amount": 1}])
    with run_on_commit():
        report_approve(report=report, admin=StaffFactory())
    held.refresh_from_db()
    assert held.status == PayoutStatus.PAID
    assert sorted(t["amount"] for t in stripe_server.transfers.values()) == [1_045, 9_405]
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)

    # A transfer reversed at Stripe is reflected back into the payout row and the ledger: the
    # held part is in the campaign's held account again, and the books still agree with Stripe.
    from ledger.services import balance, held_account

    event = None
    stripe_server.reverse_transfer(held.reference)
    event = stripe_server.wait_event("transfer.reversed", held.reference)
    assert deliver(event).status_code == 200
    assert deliver(event).content == b"duplicate"
    held.refresh_from_db()
    assert (held.status, held.reversed_amount) == (PayoutStatus.PAID, 1_045)
    assert balance(held_account(campaign)) == 1_045
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)


def test_a_transfer_whose_answer_was_lost_is_sent_again_with_the_same_key(
    charge_now, campaign_on, card, stripe_server, run_on_commit
):
    owner = UserFactory()
    owner_stripe_onboarding_start(user=owner, refresh_url="https://cf.test/r", return_url="https://cf.test/b")
    StripeConnectAccount.objects.filter(user=owner).update(payouts_enabled=True)
    stripe_server.accounts[StripeConnectAccount.objects.get(user=owner).account_id]["payouts_enabled"] = True
    campaign = campaign_on(charge_now, goal=1_000, owner=owner)
    pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card(GOOD))
    close(campaign, run_on_commit)
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    stripe_server.fault("POST", "/v1/transfers", "lost")
    assert release_due_payouts(now=_due(first)) == 0
    first.refresh_from_db()
    assert first.status == PayoutStatus.PROCESSING
    assert release_due_payouts(now=_due(first)) == 1
    first.refresh_from_db()
    assert first.status == PayoutStatus.PAID
    assert len(stripe_server.transfers) == 1  # Stripe replayed the first answer for the same key
    assert [c["key"] for c in stripe_server.calls("POST", "/v1/transfers")] == [f"payout-{campaign.pk}-first"] * 2


def test_an_owner_without_stripe_is_paid_by_manual_bank_transfer(
    charge_now, campaign_on, card, stripe_server, run_on_commit
):
    campaign = campaign_on(charge_now, goal=1_000)
    pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card(GOOD))
    close(campaign, run_on_commit)
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    release_due_payouts(now=_due(first))
    first.refresh_from_db()
    assert (first.status, first.method) == (PayoutStatus.PROCESSING, "manual_bank")
    assert stripe_server.calls("POST", "/v1/transfers") == []


def test_a_card_saved_on_stripe_checkout_secures_the_pledge(on_success, campaign_on, card, stripe_server, deliver):
    campaign = campaign_on(on_success)
    backer = UserFactory()
    pledge, url = pledge_checkout_start(
        campaign_id=campaign.pk,
        backer=backer,
        amount=2_000,
        success_url="https://cf.test/ok",
        cancel_url="https://cf.test/no",
    )
    assert pledge.status == PledgeStatus.PENDING
    session_id = pledge.attempts.get(kind="save_card").reference
    assert url.startswith("https://checkout.stripe.com/") and session_id in url
    stripe_server.complete_checkout(session_id, card(GOOD))
    event = stripe_server.wait_event("checkout.session.completed", session_id)
    assert deliver(event).status_code == 200
    assert deliver(event).content == b"duplicate"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SECURED
    assert pledge.payment_method.startswith("cus_") and "/pm_" in pledge.payment_method


def test_an_expired_checkout_declines_the_pledge(on_success, campaign_on, stripe_server, deliver):
    campaign = campaign_on(on_success)
    pledge, _ = pledge_checkout_start(
        campaign_id=campaign.pk,
        backer=UserFactory(),
        amount=2_000,
        success_url="https://cf.test/ok",
        cancel_url="https://cf.test/no",
    )
    session_id = pledge.attempts.get(kind="save_card").reference
    stripe_server.expire_checkout(session_id)
    assert deliver(stripe_server.wait_event("checkout.session.expired", session_id)).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED


def test_a_currency_stripe_does_not_take_is_refused_when_the_platform_is_configured(db):
    charity = Platform.objects.get(slug="charity")  # rials
    charity.payment_gateway = "stripe"
    with pytest.raises(ValidationError) as refused:
        charity.full_clean()
    assert "Stripe does not take payments in IRR" in str(refused.value)
    stripe_platform("charge_now")  # GBP: accepted


def test_reconcile_lists_a_refund_made_outside_civicfund(charge_now, campaign_on, card, stripe_server):
    from payments.stripe_gateway import stripe_client

    campaign = campaign_on(charge_now)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card(GOOD))
    call_command("reconcile_stripe", campaign=campaign.pk)
    stripe_client().v1.refunds.create({"payment_intent": pledge.attempts.get(kind="charge").reference, "amount": 400})
    with pytest.raises(CommandError):
        call_command("reconcile_stripe", campaign=campaign.pk)
    from funding.reconcile import stripe_reconcile

    problems = stripe_reconcile(campaign_id=campaign.pk)
    assert any("not made by civicfund" in p for p in problems)
    assert any("refunded 400 at Stripe, 0 in our refund rows, 0 in the ledger" in p for p in problems)
