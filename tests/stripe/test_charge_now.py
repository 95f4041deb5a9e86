"""Charge now through Stripe: pledges paid at once, a failed campaign refunded through the Refund API,
our idempotency keys on every call, outages resumed without a double refund."""

import pytest
from celery.exceptions import Retry
from django.core.management import call_command

from core.errors import PaymentDeclined
from funding.audit import ledger_audit
from funding.services import campaign_refund_chunk
from ledger.models import Entry
from payments.gateways import GatewayUnavailable
from payments.models import AttemptStatus, PaymentAttempt
from payments.services import RefundExceedsCharge, pledge_refund_call
from pledges.models import Pledge, PledgeStatus
from pledges.services import pending_payments_retry, pledge_create, pledge_refund
from projects.models import CampaignStatus

from ..factories import UserFactory
from .conftest import DECLINED, close, later

pytestmark = pytest.mark.django_db


def _pledge(campaign, amount, card_id, backer=None):
    return pledge_create(campaign_id=campaign.pk, backer=backer or UserFactory(), amount=amount, card=card_id)


def test_a_card_pledge_is_paid_at_once_in_pence_with_our_keys(charge_now, campaign_on, card, stripe_server):
    campaign = campaign_on(charge_now)
    pledge = _pledge(campaign, 2_500, card())
    assert pledge.status == PledgeStatus.PAID
    (pi,) = stripe_server.objects("payment_intent")
    assert (pi.amount, pi.currency, pi.status) == (2_500, "gbp", "succeeded")
    assert pi.transfer_group == f"campaign-{campaign.pk}"
    create = stripe_server.calls("POST", "/v1/payment_intents")
    assert [c["key"] for c in create] == [f"pledge-{pledge.pk}-charge"]
    setups = stripe_server.calls("POST", "/v1/setup_intents")
    assert [c["key"] for c in setups] == [f"pledge-{pledge.pk}-card"]
    charge = pledge.attempts.get(kind="charge")
    assert (charge.gateway, charge.reference, charge.status) == ("stripe", pi.id, "succeeded")
    assert Entry.objects.filter(pledge=pledge, amount=2_500).count() == 1


def test_a_card_refused_when_saved_declines_the_pledge_with_stripes_reason(
    charge_now, campaign_on, card, stripe_server
):
    campaign = campaign_on(charge_now)
    with pytest.raises(PaymentDeclined):
        _pledge(campaign, 2_500, card(DECLINED))
    pledge = Pledge.objects.get()
    assert pledge.status == PledgeStatus.DECLINED
    assert pledge.attempts.get(kind="save_card").code == "card_declined"
    assert stripe_server.objects("payment_intent") == []


def test_a_failed_campaign_refunds_every_payment_in_full_through_the_refund_api(
    charge_now, campaign_on, card, stripe_server, run_on_commit
):
    campaign = campaign_on(charge_now, goal=100_000)
    pledges = [_pledge(campaign, amount, card()) for amount in (1_000, 2_345, 50_000)]
    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    refunds = {r.payment_intent: r.amount for r in stripe_server.objects("refund")}
    charges = {p.pk: p.attempts.get(kind="charge").reference for p in pledges}
    assert refunds == {charges[p.pk]: p.amount for p in pledges}
    assert sorted(c["key"] for c in stripe_server.calls("POST", "/v1/refunds")) == sorted(
        f"pledge-{p.pk}-refund" for p in pledges
    )
    assert set(Pledge.objects.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)  # raises on any mismatch


def test_a_stripe_outage_mid_refund_is_resumed_with_the_same_keys_and_no_double_refund(
    charge_now, campaign_on, card, stripe_server, run_on_commit
):
    """The second refund reaches Stripe but its answer is lost (500); the next request finds Stripe
    down (503). The Celery retries run the chunk again: although the local Stripe ignores idempotency
    keys here, nothing is refunded twice, and every retry sends the same key."""
    campaign = campaign_on(charge_now, goal=100_000)
    pledges = [_pledge(campaign, 1_000 * (i + 1), card()) for i in range(4)]
    stripe_server.honour_keys = False
    stripe_server.fault("POST", "/v1/refunds", "lost", after=1)
    stripe_server.fault("POST", "/v1/refunds", "down", after=2)
    try:
        close(campaign, run_on_commit)  # the eager task asks Celery for a retry
    except (GatewayUnavailable, Retry):
        pass
    for _ in range(5):  # what the refund batch's Celery retries (or the stalled-refund restart) do
        try:
            with run_on_commit():
                campaign_refund_chunk(campaign_id=campaign.pk, resume=True)
        except (GatewayUnavailable, Retry):
            continue
        campaign.refresh_from_db()
        if campaign.status == CampaignStatus.REFUNDED:
            break
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REFUNDED
    per_intent = {}
    for r in stripe_server.objects("refund"):
        per_intent[r.payment_intent] = per_intent.get(r.payment_intent, 0) + r.amount
    assert per_intent == {p.attempts.get(kind="charge").reference: p.amount for p in pledges}
    keys = [c["key"] for c in stripe_server.calls("POST", "/v1/refunds")]
    assert len(keys) == len(pledges) + 1  # the refund that met the outage was sent again ...
    assert set(keys) == {f"pledge-{p.pk}-refund" for p in pledges}  # ... with the same key
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)


def test_a_refund_larger_than_the_charge_is_refused_before_stripe_is_asked(
    charge_now, campaign_on, card, stripe_server
):
    """The local Stripe would accept it; our own guard does not send it."""
    campaign = campaign_on(charge_now)
    pledge = _pledge(campaign, 3_000, card())
    charge = pledge.attempts.get(kind="charge")
    PaymentAttempt.objects.create(
        kind="refund",
        pledge=pledge,
        amount=1_000,
        currency="GBP",
        gateway="stripe",
        idempotency_key=f"staff-{pledge.pk}-partial",
        status=AttemptStatus.SUCCEEDED,
        reference="re_by_staff",
    )
    Pledge.objects.filter(pk=pledge.pk).update(status=PledgeStatus.REFUNDING)
    with pytest.raises(RefundExceedsCharge):
        pledge_refund_call(pledge=Pledge.objects.get(pk=pledge.pk))
    assert stripe_server.calls("POST", "/v1/refunds") == []
    assert charge.amount == 3_000


def test_a_refund_retried_after_a_timeout_resends_the_same_key_and_stripe_replays_it(
    charge_now, campaign_on, card, stripe_server
):
    """With Stripe's idempotency (honoured by the harness, as by Stripe), the SDK's own retry of a
    lost answer reuses our key and gets the first refund back."""
    from django.conf import settings

    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    campaign = campaign_on(charge_now)
    pledge = _pledge(campaign, 3_000, card())
    stripe_server.fault("POST", "/v1/refunds", "lost")
    refunded = pledge_refund(pledge_id=pledge.pk)
    assert refunded.status == PledgeStatus.REFUNDED
    keys = [c["key"] for c in stripe_server.calls("POST", "/v1/refunds")]
    assert keys == [f"pledge-{pledge.pk}-refund"] * 2
    assert len(stripe_server.objects("refund")) == 1


def test_rate_limits_and_5xx_leave_the_attempt_for_a_retry_with_the_same_key(
    charge_now, campaign_on, card, stripe_server
):
    campaign = campaign_on(charge_now)
    stripe_server.fault("POST", "/v1/payment_intents", "rate_limited")
    pledge = _pledge(campaign, 1_500, card())
    assert pledge.status == PledgeStatus.PENDING  # left for the pending-payments retry
    attempt = PaymentAttempt.objects.get(pledge=pledge, kind="charge")
    assert attempt.status == AttemptStatus.STARTED
    pending_payments_retry(now=later(5 / 1440))  # the beat task, a few minutes on
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    keys = [c["key"] for c in stripe_server.calls("POST", "/v1/payment_intents")]
    assert keys == [f"pledge-{pledge.pk}-charge"] * 2
    assert len(stripe_server.objects("payment_intent")) == 1
