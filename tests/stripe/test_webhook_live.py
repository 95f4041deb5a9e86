"""End to end: localstripe itself signs and POSTs webhook events to a running civicfund
(`live_server`), registered as a webhook endpoint with it, and the effects land in the database."""

import time

import pytest
import requests
from localstripe import webhooks as localstripe_webhooks

from payments.models import StripeEvent
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create

from ..factories import CampaignFactory, UserFactory
from .conftest import NEEDS_3DS, WEBHOOK, stripe_platform

pytestmark = pytest.mark.django_db(transaction=True)


def _until(check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError("the webhook's effect did not land")


@pytest.fixture
def webhook_to_live_server(live_server, stripe_server):
    localstripe_webhooks.register_webhook(
        "civicfund-live", live_server.url + WEBHOOK, stripe_server.webhook_secret, None
    )
    yield
    localstripe_webhooks._webhooks.pop("civicfund-live", None)


def test_localstripe_posts_signed_events_to_the_running_site_and_the_pledge_gets_paid(
    webhook_to_live_server, stripe_server, card
):
    """A card needing 3-D Secure: the backer authenticates the card setup, localstripe POSTs
    setup_intent.succeeded to the site, which charges it (on-session: authentication again); the
    backer authenticates the payment, localstripe POSTs payment_intent.succeeded: the pledge is paid."""
    platform = stripe_platform("charge_now")
    campaign = CampaignFactory(slug=platform.slug, goal=10_000, funding_model="all_or_nothing")
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_500, card=card(NEEDS_3DS))
    setup = pledge.attempts.get(kind="save_card")
    assert pledge.status == PledgeStatus.PENDING and setup.status == "pending"

    stripe_server.authenticate_setup(setup.reference)
    charge = _until(lambda: pledge.attempts.filter(kind="charge", status="pending").first())
    assert StripeEvent.objects.get(type="setup_intent.succeeded").note == "card saved"

    from localstripe.resources import PaymentIntent

    secret = PaymentIntent._api_retrieve(charge.reference).client_secret
    requests.post(
        f"{stripe_server.base}/v1/payment_intents/{charge.reference}/_authenticate",
        data={"client_secret": secret, "success": "true", "key": "pk_test_x"},
        timeout=10,
    )
    _until(lambda: Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PAID)
    event = StripeEvent.objects.get(type="payment_intent.succeeded", object_id=charge.reference)
    assert event.note.startswith("charge pending → succeeded")
