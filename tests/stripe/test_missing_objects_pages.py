"""A page that asks Stripe about a payment or a Checkout page Stripe no longer has (404: test data deleted
from the dashboard) shows the pledge with a plain message, never a server error; such a payment can take
no money, so the backer may pay with another card, and the pending-payments job still ends the pledge
and frees its reward when its time runs out."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ledger.models import Entry
from payments.models import AttemptStatus
from pledges.models import PledgeStatus
from pledges.services import pending_payments_retry

from ..factories import TierFactory, UserFactory
from .conftest import GOOD

pytestmark = pytest.mark.django_db


def test_the_confirm_page_of_a_payment_stripe_no_longer_has_offers_another_card_instead_of_a_server_error(
    payment_waiting, card, stripe_server, client
):
    pledge, _tier = payment_waiting
    charge = pledge.attempts.get(kind="charge")
    stripe_server.forget("payment_intent", charge.reference)

    page = client.get(reverse("payments:pledge_retry", args=[pledge.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Stripe could not find this payment, so it cannot be confirmed with your bank." in html
    assert 'id="pay-form"' in html and 'id="bank-check"' not in html
    api = APIClient()
    api.force_authenticate(pledge.backer)
    mine = api.get(f"/api/v1/pledges/{pledge.pk}/")
    assert mine.status_code == 200 and mine.json()["next_action"]["client_secret"] == ""

    paid = client.post(reverse("payments:pledge_retry", args=[pledge.pk]), {"payment_method": card(GOOD)})
    assert paid.status_code == 200 and "is paid" in paid.content.decode()
    pledge.refresh_from_db()
    charge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert (charge.status, charge.code) == (AttemptStatus.DECLINED, "payment_missing")
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1


def test_a_payment_stripe_no_longer_has_is_ended_by_the_job_when_its_window_closes(
    payment_waiting, card, stripe_server
):
    pledge, tier = payment_waiting
    stripe_server.forget("payment_intent", pledge.attempts.get(kind="charge").reference)
    assert pending_payments_retry(now=pledge.retry_until) == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0
    assert not Entry.objects.filter(pledge=pledge).exists()


def test_a_backer_can_cancel_a_waiting_pledge_whose_payment_stripe_no_longer_has(
    payment_waiting, stripe_server, client
):
    pledge, tier = payment_waiting
    stripe_server.forget("payment_intent", pledge.attempts.get(kind="charge").reference)
    page = client.post(reverse("pledge-cancel", args=[pledge.pk]), follow=True).content.decode()
    assert "Your pledge is cancelled; nothing was charged." in page
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0


def test_the_checkout_return_for_a_session_stripe_no_longer_has_shows_the_receipt_and_the_job_ends_the_pledge(
    charge_now, campaign_on, stripe_server, client
):
    campaign = campaign_on(charge_now, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000, quantity_limit=1)
    client.force_login(UserFactory())
    sent = client.post(
        reverse("pledge", args=[campaign.platform.slug, campaign.pk]),
        {"step": "pay", "source": "card", "amount": "20.00", "tier": tier.pk, "request_key": "k1"},
    )
    assert sent.status_code == 302
    pledge = campaign.pledges.get()
    session_id = pledge.attempts.get(kind="save_card").reference
    success = urlsplit(stripe_server.sessions[session_id]["success_url"])
    stripe_server.forget("checkout_session", session_id)

    back = client.get(f"{success.path}?{success.query}", follow=True)
    assert back.status_code == 200
    assert back.redirect_chain[-1][0] == reverse("pledge-receipt", args=[pledge.pk])
    assert "Stripe could not find your card page, so your card could not be checked." in back.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING

    assert pending_payments_retry(now=timezone.now() + dt.timedelta(minutes=30)) == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED
    assert pledge.attempts.get(kind="save_card").status == AttemptStatus.DECLINED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0
