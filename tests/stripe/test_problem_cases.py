"""What goes wrong after the money moved: a stray payment, a dispute, and Stripe PaymentIntents we
have no row for. (A refund that fails after it was booked: test_refund_retries.py.)"""

import json

import pytest
from django.urls import reverse

from funding.audit import ledger_audit
from funding.reconcile import stripe_reconcile
from ledger.models import Transaction, TransactionKind
from payments.models import AttemptStatus, Dispute, PaymentAttempt, StripeEvent
from pledges.models import PledgeStatus
from pledges.services import pledge_create, pledge_retry_pay
from projects.models import CampaignStatus

from ..factories import StaffFactory, UserFactory
from .conftest import GOOD, NEEDS_3DS, close

pytestmark = pytest.mark.django_db


def test_a_stray_payment_confirmed_on_an_old_intent_is_refunded_with_its_own_key_and_booked(
    on_success, campaign_on, card, stripe_server, deliver, run_on_commit
):
    """The off-session charge needed 3-D Secure; the backer paid with another card in the retry
    window, then also confirmed the old PaymentIntent. That second payment goes back at once."""
    import requests
    from localstripe.resources import PaymentIntent

    campaign = campaign_on(on_success, goal=1_000)
    backer = UserFactory()
    pledge = pledge_create(campaign_id=campaign.pk, backer=backer, amount=3_000, card=card(NEEDS_3DS))
    setup = pledge.attempts.get(kind="save_card")
    stripe_server.authenticate_setup(setup.reference)
    assert deliver(stripe_server.wait_event("setup_intent.succeeded", setup.reference)).status_code == 200
    assert close(campaign, run_on_commit) == CampaignStatus.SUCCEEDED
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RETRYING
    old = pledge.attempts.get(kind="charge", code="authentication_required")
    pledge = pledge_retry_pay(pledge_id=pledge.pk, backer=backer, card=card(GOOD))
    assert pledge.status == PledgeStatus.PAID

    secret = PaymentIntent._api_retrieve(old.reference).client_secret
    requests.post(
        f"{stripe_server.base}/v1/payment_intents/{old.reference}/_authenticate",
        data={"client_secret": secret, "success": "true", "key": "pk_test_x"},
        timeout=10,
    )
    event = stripe_server.wait_event("payment_intent.succeeded", old.reference)
    response = deliver(event)
    assert response.status_code == 200 and b"refund queued" in response.content
    assert deliver(event).content == b"duplicate"

    old.refresh_from_db()
    assert (old.status, old.code) == (AttemptStatus.SUCCEEDED, "stray_payment")
    refund = PaymentAttempt.objects.get(kind="refund", pledge=pledge)
    assert (refund.idempotency_key, refund.status, refund.code, refund.amount) == (
        f"{old.idempotency_key}-stray-refund",
        AttemptStatus.SUCCEEDED,
        "stray_refund",
        3_000,
    )
    sent = stripe_server.calls("POST", "/v1/refunds")
    assert [c["key"] for c in sent] == [refund.idempotency_key]
    assert [(r.payment_intent, r.amount) for r in stripe_server.objects("refund")] == [(old.reference, 3_000)]
    assert deliver(stripe_server.wait_event("refund.updated", refund.reference)).status_code == 200
    assert deliver(stripe_server.wait_event("charge.refunded", old.reference)).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID  # the pledge itself is untouched
    assert ledger_audit() == []
    assert stripe_reconcile(campaign_id=campaign.pk) == []


def test_a_dispute_is_recorded_when_opened_and_booked_only_when_lost(
    charge_now, campaign_on, card, stripe_server, deliver, client
):
    campaign = campaign_on(charge_now)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=2_000, card=card())
    pi = pledge.attempts.get(kind="charge").reference
    dispute = {
        "id": "dp_test_1",
        "object": "dispute",
        "amount": 2_000,
        "currency": "gbp",
        "payment_intent": pi,
        "charge": "ch_x",
        "reason": "fraudulent",
        "status": "needs_response",
    }
    before = Transaction.objects.count()
    stripe_server.emit("charge.dispute.created", dispute)
    assert deliver(stripe_server.wait_event("charge.dispute.created", "dp_test_1")).status_code == 200
    row = Dispute.objects.get()
    assert (row.pledge_id, row.amount, row.currency, row.reason, row.status) == (
        pledge.pk,
        2_000,
        "GBP",
        "fraudulent",
        "needs_response",
    )
    assert Transaction.objects.count() == before  # nothing moves while it is open

    stripe_server.emit("charge.dispute.closed", {**dispute, "status": "lost"})
    closed = stripe_server.wait_event("charge.dispute.closed", "dp_test_1")
    assert deliver(closed).status_code == 200
    row.refresh_from_db()
    assert row.status == "lost" and row.closed_at is not None
    lost = Transaction.objects.get(kind=TransactionKind.DISPUTE_LOST)
    assert sorted(e.amount for e in lost.entries.all()) == [-2_000, 2_000]
    assert ledger_audit() == []
    # A late "updated" after the close changes nothing.
    stripe_server.emit("charge.dispute.updated", {**dispute, "status": "under_review"})
    assert deliver(stripe_server.wait_event("charge.dispute.updated", "dp_test_1")).status_code == 200
    row.refresh_from_db()
    assert row.status == "lost"

    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(reverse("admin:payments_dispute_changelist"))
    assert page.status_code == 200 and "dp_test_1" in page.content.decode()


def test_reconcile_lists_stripe_payments_we_have_no_row_for(charge_now, campaign_on, card, stripe_server):
    """A payment tagged as our charges are (its row lost, e.g. to a database restore) is listed for
    its campaign and for its date range."""
    from payments.stripe_gateway import stripe_client

    campaign = campaign_on(charge_now)
    pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card())
    assert stripe_reconcile(campaign_id=campaign.pk) == []
    foreign = stripe_client().v1.payment_intents.create(
        {
            "amount": 777,
            "currency": "gbp",
            "payment_method": card(),
            "confirm": True,
            "transfer_group": f"campaign-{campaign.pk}",
            "metadata": {"group": f"campaign-{campaign.pk}"},
        }
    )
    problems = stripe_reconcile(campaign_id=campaign.pk)
    assert problems == [f"payment {foreign['id']} of 777 GBP at Stripe has no row in civicfund"]
    assert any(foreign["id"] in p for p in stripe_reconcile())  # by date range too
    assert json.dumps(problems)
    assert StripeEvent.objects.count() == 0
