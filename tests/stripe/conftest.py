"""Fixtures for the Stripe tests: a local Stripe server (localstripe) started here, on 127.0.0.1."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from platforms.models import Platform
from pledges.models import PledgeStatus

from ..factories import CampaignFactory, TierFactory, UserFactory
from .harness import LocalStripe

GOOD = "4242424242424242"
DECLINES_AT_CHARGE = "4000000000000341"  # saves fine, every charge declined
DECLINED = "4000000000009995"  # refused when saved
NEEDS_3DS = "4000002760003184"  # every setup and charge asks for authentication
WEBHOOK = "/payments/stripe/webhook/"


@pytest.fixture(scope="session")
def localstripe_server():
    server = LocalStripe()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stripe_server(localstripe_server, settings):
    """A clean local Stripe, and civicfund's SDK pointed at it (the SDK's own retries off, so an
    outage reaches our code; one test turns them on)."""
    localstripe_server.reset()
    settings.STRIPE_SECRET_KEY = "sk_test_civicfund"
    settings.STRIPE_API_BASE = localstripe_server.base
    settings.STRIPE_WEBHOOK_SECRET = localstripe_server.webhook_secret
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 10.0
    settings.STRIPE_REFUNDS_PER_SECOND = 500.0
    settings.CIVICFUND_PLEDGE_RETRY_DAYS = 7
    yield localstripe_server
    localstripe_server.reset()


def stripe_platform(mode: str = "charge_now", **fields) -> Platform:
    """The civic preset (GBP) switched to Stripe by configuration alone."""
    platform = Platform.objects.get(slug="civic")
    for name, value in {
        "payment_gateway": "stripe",
        "collection_mode": mode,
        "refund_destination": "card",
        "fee_basis_points": 500,
        **fields,
    }.items():
        setattr(platform, name, value)
    platform.full_clean()
    platform.save()
    return platform


@pytest.fixture
def charge_now(db, stripe_server):
    return stripe_platform("charge_now")


@pytest.fixture
def on_success(db, stripe_server):
    return stripe_platform("charge_on_success")


@pytest.fixture
def campaign_on():
    def make(platform, *, goal=10_000, **kw):
        return CampaignFactory(
            slug=platform.slug,
            goal=goal,
            funding_model="all_or_nothing",
            owner=kw.pop("owner", None) or UserFactory(),
            **kw,
        )

    return make


@pytest.fixture
def card(stripe_server):
    """What Stripe.js gives the browser for a card number: a PaymentMethod id."""
    from payments.stripe_gateway import stripe_client

    def make(number: str = GOOD) -> str:
        return stripe_client().v1.payment_methods.create(
            {"type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2034, "cvc": "123"}}
        )["id"]

    return make


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Hand one signed delivery (from the harness inbox) to our webhook view, running what it
    queues for after the commit."""

    def post(delivery, *, signature: str | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                WEBHOOK,
                data=delivery["body"],
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature if signature is not None else delivery["signature"],
            )

    return post


def close(campaign, run_on_commit):
    """The deadline passes and the close job runs (its tasks inline)."""
    from funding.services import campaign_close

    with run_on_commit():
        campaign_close(campaign_id=campaign.pk, now=campaign.deadline + dt.timedelta(seconds=1))
    campaign.refresh_from_db()
    return campaign.status


def later(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def pledge_on_checkout(client, stripe_server, card, campaign, *, tier=None, number=NEEDS_3DS, amount="20.00"):
    """The website's flow: confirm, Stripe Checkout saves the card (its page does the card's own
    3-D Secure), the backer comes back; the charge made then asks for the bank's confirmation again."""
    from urllib.parse import urlsplit

    from django.urls import reverse

    from pledges.models import Pledge

    url = reverse("pledge", args=[campaign.platform.slug, campaign.pk])
    data = {"step": "pay", "source": "card", "amount": amount, "request_key": "k1", "tier": tier.pk if tier else ""}
    assert client.post(url, data).status_code == 302
    pledge = Pledge.objects.get(campaign=campaign)
    session_id = pledge.attempts.get(kind="save_card").reference
    stripe_server.complete_checkout(session_id, card(number))
    success = urlsplit(stripe_server.sessions[session_id]["success_url"])
    back = client.get(f"{success.path}?{success.query}")
    pledge.refresh_from_db()
    return pledge, back


@pytest.fixture
def payment_waiting(charge_now, campaign_on, card, stripe_server, client, run_on_commit, settings):
    """A backer's charge-now payment waiting for their bank (3-D Secure), on the one unit of a limited
    reward: (pledge, tier)."""
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_civicfund"
    campaign = campaign_on(charge_now, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000, quantity_limit=1)
    client.force_login(UserFactory())
    with run_on_commit():
        pledge, _back = pledge_on_checkout(client, stripe_server, card, campaign, tier=tier)
    assert pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    return pledge, tier
