"""A backer may cancel a pledge whose payment waits for their bank's confirmation (3-D Secure), on the
site or through the API: the waiting payment is cancelled at Stripe first, so it can never take money,
then the pledge, its reward back on sale. A payment confirmed meanwhile in another tab is booked and the
backer told the pledge is paid; Stripe not answering changes nothing and asks them to try again."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.errors import PledgeRefused
from funding.audit import ledger_audit
from ledger.models import Entry
from payments.models import AttemptStatus, StripeEvent
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_cancel, pledge_create

from ..factories import UserFactory
from .conftest import GOOD

pytestmark = pytest.mark.django_db


def _cancel_url(pledge):
    return reverse("pledge-cancel", args=[pledge.pk])


def _claimed(tier):
    tier.refresh_from_db()
    return tier.quantity_claimed


def test_a_backer_cancels_a_pledge_waiting_for_their_banks_confirmation_and_nothing_is_charged(
    payment_waiting, card, stripe_server, client, deliver
):
    pledge, tier = payment_waiting
    charge = pledge.attempts.get(kind="charge")
    confirm_page = client.get(reverse("payments:pledge_retry", args=[pledge.pk])).content.decode()
    receipt = client.get(reverse("pledge-receipt", args=[pledge.pk])).content.decode()
    assert f'action="{_cancel_url(pledge)}"' in confirm_page and f'action="{_cancel_url(pledge)}"' in receipt

    cancelled = client.post(_cancel_url(pledge), follow=True)
    assert cancelled.redirect_chain[-1][0] == reverse("pledge-receipt", args=[pledge.pk])
    assert "Your pledge is cancelled; nothing was charged." in cancelled.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED
    (pi,) = stripe_server.objects("payment_intent")
    assert pi.status == "canceled"
    assert [c["key"] for c in stripe_server.calls("POST", rf"/v1/payment_intents/{pi.id}/cancel")] == [
        f"{charge.idempotency_key}-cancel"
    ]
    charge.refresh_from_db()
    assert (charge.status, charge.code) == (AttemptStatus.DECLINED, "canceled")
    with pytest.raises(Exception, match="400"):  # the bank's check can no longer be passed
        stripe_server.authenticate_payment(pi.id)
    assert _claimed(tier) == 0
    assert f'action="{_cancel_url(pledge)}"' not in cancelled.content.decode()

    # Stripe's event for the cancel changes nothing; the unit is on sale again.
    event = stripe_server.wait_event("payment_intent.canceled", pi.id)
    assert deliver(event).content.startswith(b"no change")
    assert StripeEvent.objects.filter(event_id=event["id"]).exists()
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.CANCELLED
    assert not Entry.objects.filter(pledge=pledge).exists()
    other = pledge_create(
        campaign_id=pledge.campaign_id, backer=UserFactory(), amount=2_000, tier_id=tier.pk, card=card(GOOD)
    )
    assert other.status == PledgeStatus.PAID
    assert ledger_audit() == []


def test_the_api_cancels_a_pledge_waiting_for_the_bank_once(payment_waiting, stripe_server):
    pledge, tier = payment_waiting
    api = APIClient()
    api.force_authenticate(pledge.backer)
    answer = api.post(f"/api/v1/pledges/{pledge.pk}/cancel/")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["status"] == PledgeStatus.CANCELLED and answer.json()["next_action"] is None
    again = api.post(f"/api/v1/pledges/{pledge.pk}/cancel/")
    assert (again.status_code, again.json()["code"]) == (422, "not_cancellable")
    charge = pledge.attempts.get(kind="charge")
    assert len(stripe_server.calls("POST", rf"/v1/payment_intents/{charge.reference}/cancel")) == 1
    assert _claimed(tier) == 0


def test_a_payment_confirmed_in_another_tab_is_booked_and_the_backer_told_it_is_paid_not_cancelled(
    payment_waiting, stripe_server, client, run_on_commit
):
    """Stripe refuses to cancel a succeeded payment: the pledge is paid, once, and keeps its reward.
    Cancelling it again then works as for any paid pledge while the campaign is live: refunded in full."""
    pledge, tier = payment_waiting
    charge = pledge.attempts.get(kind="charge")
    stripe_server.authenticate_payment(charge.reference)  # the other tab; neither return nor event reached us

    refused = client.post(_cancel_url(pledge), follow=True).content.decode()
    assert "Your bank confirmed this payment before it could be cancelled: your pledge is paid." in refused
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1
    assert _claimed(tier) == 1
    assert f'action="{_cancel_url(pledge)}"' in refused  # a paid pledge's own cancel button

    with run_on_commit():
        again = client.post(_cancel_url(pledge), follow=True).content.decode()
    assert "Your pledge is cancelled; the money comes back to you in full." in again
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REFUNDED
    (refund,) = stripe_server.objects("refund")
    assert refund.amount == 2_000 and refund.payment_intent == charge.reference
    assert _claimed(tier) == 0
    assert ledger_audit() == []


def test_stripe_down_while_cancelling_changes_nothing_and_asks_to_try_again(payment_waiting, stripe_server):
    pledge, tier = payment_waiting
    charge = pledge.attempts.get(kind="charge")
    stripe_server.fault("POST", rf"/v1/payment_intents/{charge.reference}/cancel", "down")
    api = APIClient()
    api.force_authenticate(pledge.backer)

    refused = api.post(f"/api/v1/pledges/{pledge.pk}/cancel/")
    assert (refused.status_code, refused.json()["code"]) == (503, "provider_unavailable")
    assert "try again" in refused.json()["message"]
    pledge.refresh_from_db()
    charge.refresh_from_db()
    assert (pledge.status, charge.status, charge.code) == (
        PledgeStatus.PENDING,
        AttemptStatus.PENDING,
        "authentication_required",
    )
    (pi,) = stripe_server.objects("payment_intent")
    assert pi.status == "requires_action"
    assert _claimed(tier) == 1

    assert api.post(f"/api/v1/pledges/{pledge.pk}/cancel/").json()["status"] == PledgeStatus.CANCELLED
    assert [c["key"] for c in stripe_server.calls("POST", rf"/v1/payment_intents/{pi.id}/cancel")] == [
        f"{charge.idempotency_key}-cancel"
    ] * 2
    assert _claimed(tier) == 0


def test_stripe_down_on_the_site_says_the_pledge_is_not_cancelled_yet(payment_waiting, stripe_server, client):
    pledge, _tier = payment_waiting
    charge = pledge.attempts.get(kind="charge")
    stripe_server.fault("POST", rf"/v1/payment_intents/{charge.reference}/cancel", "down")
    page = client.post(_cancel_url(pledge), follow=True).content.decode()
    assert "Stripe did not answer: your pledge is not cancelled yet. Please try again in a moment." in page
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING


def test_a_waiting_pledge_cannot_be_cancelled_once_the_campaign_has_closed(payment_waiting, stripe_server):
    pledge, _tier = payment_waiting
    with pytest.raises(PledgeRefused) as err:
        pledge_cancel(pledge_id=pledge.pk, backer=pledge.backer, now=pledge.campaign.deadline)
    assert err.value.code == "campaign_closed"
    assert stripe_server.calls("POST", r"/v1/payment_intents/\w+/cancel") == []
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING
