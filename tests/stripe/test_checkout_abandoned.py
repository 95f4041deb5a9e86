"""An abandoned Stripe Checkout page holds its reward for half an hour at most: sessions expire 30
minutes after they open; the backer who leaves through the cancel URL gets the session expired and
the reward freed at once; `checkout.session.expired` and the pending-payments job do the same, once."""

import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from payments.models import AttemptStatus, StripeEvent
from pledges.models import Pledge, PledgeStatus
from pledges.services import pending_payments_retry, pledge_checkout_cancel, pledge_checkout_start, pledge_create

from ..factories import TierFactory, UserFactory
from .conftest import GOOD

pytestmark = pytest.mark.django_db


def _to_checkout(client, campaign, tier, key="k1"):
    url = reverse("pledge", args=[campaign.platform.slug, campaign.pk])
    sent = client.post(url, {"step": "pay", "source": "card", "amount": "20.00", "tier": tier.pk, "request_key": key})
    assert sent.status_code == 302 and sent.url.startswith("https://checkout.stripe.com/")
    pledge = Pledge.objects.get(campaign=campaign, request_key=key)
    return pledge, pledge.attempts.get(kind="save_card").reference


def _cancel_url(stripe_server, session_id):
    cancel = urlsplit(stripe_server.sessions[session_id]["cancel_url"])
    return f"{cancel.path}?{cancel.query}"


@pytest.fixture
def last_unit(on_success, campaign_on):
    campaign = campaign_on(on_success, goal=100_000)
    return campaign, TierFactory(campaign=campaign, amount=2_000, quantity_limit=1)


def test_a_checkout_session_expires_thirty_minutes_after_it_opens_not_after_a_day(
    on_success, campaign_on, stripe_server
):
    campaign = campaign_on(on_success)
    before = int(time.time())
    pledge, _url = pledge_checkout_start(
        campaign_id=campaign.pk,
        backer=UserFactory(),
        amount=2_000,
        success_url="https://cf.test/ok",
        cancel_url="https://cf.test/no",
    )
    (sent,) = stripe_server.calls("POST", "/v1/checkout/sessions")
    expires_at = int(parse_qs(sent["body"])["expires_at"][0])
    # Stripe's shortest life (30 minutes; the harness refuses less, as Stripe does) plus a minute's margin.
    assert before + 30 * 60 < expires_at <= int(time.time()) + 31 * 60
    session = stripe_server.sessions[pledge.attempts.get(kind="save_card").reference]
    assert session["expires_at"] == expires_at


def test_leaving_checkout_through_its_cancel_url_expires_the_session_and_frees_the_reward_at_once(
    last_unit, card, stripe_server, client, deliver
):
    campaign, tier = last_unit
    backer = UserFactory()
    client.force_login(backer)
    pledge, session_id = _to_checkout(client, campaign, tier)
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1
    assert _cancel_url(stripe_server, session_id) == f"/payments/stripe/checkout/cancel/?pledge={pledge.pk}"

    back = client.get(_cancel_url(stripe_server, session_id), follow=True)
    assert back.redirect_chain[-1][0] == reverse("pledge", args=[campaign.platform.slug, campaign.pk])
    assert "your pledge was not made and nothing was charged" in back.content.decode()
    assert stripe_server.sessions[session_id]["status"] == "expired"
    assert len(stripe_server.calls("POST", rf"/v1/checkout/sessions/{session_id}/expire")) == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.CANCELLED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0
    with pytest.raises(AssertionError, match="expired"):  # its page no longer takes a card
        stripe_server.complete_checkout(session_id, card(GOOD))

    # Stripe's event for it, delivered twice, and the backer's second visit change nothing.
    event = stripe_server.wait_event("checkout.session.expired", session_id)
    assert deliver(event).status_code == 200 and deliver(event).content == b"duplicate"
    assert StripeEvent.objects.get(event_id=event["id"]).note.startswith("no change")
    assert client.get(_cancel_url(stripe_server, session_id)).status_code == 302
    assert len(stripe_server.calls("POST", rf"/v1/checkout/sessions/{session_id}/expire")) == 1
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0
    other = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=2_000, tier_id=tier.pk, card=card(GOOD))
    assert other.status == PledgeStatus.SECURED


def test_an_expired_checkout_event_frees_the_reward_once_however_often_it_comes(
    on_success, campaign_on, stripe_server, deliver, client
):
    campaign = campaign_on(on_success, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000, quantity_limit=5)
    client.force_login(UserFactory())
    kept, _ = _to_checkout(client, campaign, tier, key="kept")
    left, session_id = _to_checkout(client, campaign, tier, key="left")
    tier.refresh_from_db()
    assert tier.quantity_claimed == 2
    stripe_server.expire_checkout(session_id)  # Stripe, at expires_at
    event = stripe_server.wait_event("checkout.session.expired", session_id)
    assert [deliver(event).status_code for _ in range(3)] == [200, 200, 200]
    client.get(_cancel_url(stripe_server, session_id))  # the backer comes back later
    left.refresh_from_db()
    assert left.status == PledgeStatus.DECLINED
    assert left.attempts.get(kind="save_card").status == AttemptStatus.DECLINED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1  # the other pending pledge still holds its unit
    assert Pledge.objects.get(pk=kept.pk).status == PledgeStatus.PENDING


def test_the_cancel_url_after_the_card_was_saved_in_another_tab_keeps_the_pledge(
    on_success, campaign_on, card, stripe_server, client
):
    campaign = campaign_on(on_success, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000, quantity_limit=1)
    client.force_login(UserFactory())
    pledge, session_id = _to_checkout(client, campaign, tier)
    stripe_server.complete_checkout(session_id, card(GOOD))
    back = client.get(_cancel_url(stripe_server, session_id))
    assert back.status_code == 302 and back.url == reverse("pledge-receipt", args=[pledge.pk])
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SECURED
    assert stripe_server.sessions[session_id]["status"] == "complete"
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1


def test_the_pending_payments_job_expires_an_abandoned_checkout_before_freeing_its_reward(
    last_unit, stripe_server, client
):
    campaign, tier = last_unit
    client.force_login(UserFactory())
    pledge, session_id = _to_checkout(client, campaign, tier)
    assert pending_payments_retry(now=timezone.now() + dt.timedelta(minutes=10)) == 0
    assert stripe_server.sessions[session_id]["status"] == "open"
    assert pending_payments_retry(now=timezone.now() + dt.timedelta(minutes=30)) == 1
    assert stripe_server.sessions[session_id]["status"] == "expired"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0


def test_only_the_backer_can_cancel_their_checkout(on_success, campaign_on, stripe_server, client):
    from core.errors import PermissionDenied

    campaign = campaign_on(on_success, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000)
    client.force_login(UserFactory())
    pledge, session_id = _to_checkout(client, campaign, tier)
    client.force_login(UserFactory())
    assert client.get(_cancel_url(stripe_server, session_id)).status_code == 404
    with pytest.raises(PermissionDenied):
        pledge_checkout_cancel(pledge_id=pledge.pk, backer=UserFactory())
    assert stripe_server.sessions[session_id]["status"] == "open"
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING


def test_the_return_page_finds_the_pledge_when_stripes_event_came_first(
    charge_now, campaign_on, card, stripe_server, client, deliver
):
    campaign = campaign_on(charge_now, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000)
    client.force_login(UserFactory())
    pledge, session_id = _to_checkout(client, campaign, tier)
    stripe_server.complete_checkout(session_id, card(GOOD))
    assert deliver(stripe_server.wait_event("checkout.session.completed", session_id)).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    success = urlsplit(stripe_server.sessions[session_id]["success_url"])
    back = client.get(f"{success.path}?{success.query}")
    assert back.status_code == 302 and back.url == reverse("pledge-receipt", args=[pledge.pk])
    assert pledge.attempts.filter(kind="charge").count() == 1
