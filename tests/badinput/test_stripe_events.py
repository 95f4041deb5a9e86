"""Signed but malformed Stripe events are a 400 (never a 500), nothing recorded; a signature whose
timestamp is off our clock by more than the tolerance, either way, is refused."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from payments.models import StripeEvent

pytestmark = pytest.mark.django_db

WEBHOOK = "/payments/stripe/webhook/"
SECRET = "whsec_badinput"


@pytest.fixture(autouse=True)
def secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


def deliver(client, body: str, *, at: float | None = None):
    stamp = int(time.time() if at is None else at)
    mac = hmac.new(SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return client.post(WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=f"t={stamp},v1={mac}")


def event(**changes) -> str:
    body = {"id": "evt_1", "type": "civicfund.test", "created": int(time.time()), "data": {"object": {"id": "x_1"}}}
    return json.dumps({**body, **changes})


def test_a_well_formed_signed_event_is_accepted(client):
    response = deliver(client, event())
    assert response.status_code == 200
    assert StripeEvent.objects.get().event_id == "evt_1"


@pytest.mark.parametrize(
    "body",
    [
        "[]",
        '[{"id": "evt_1"}]',
        '"evt_1"',
        "null",
        event(created=1e20),
        event(created=10**20),
        event(created="yesterday"),
        event(id="e" * 10_240),
        event(id=7),
        event(type=["payment_intent.succeeded"]),
        event(data=[]),
        event(data={"object": "pi_1"}),
        "[" * 5_000 + "]" * 5_000,
        "{not json",
    ],
    ids=lambda body: body[:30],
)
def test_a_signed_malformed_event_is_a_400_and_nothing_is_recorded(client, body):
    response = deliver(client, body)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_signature_an_hour_in_the_future_or_the_past_is_refused(client):
    assert deliver(client, event(), at=time.time() + 3_600).status_code == 400
    assert deliver(client, event(), at=time.time() - 3_600).status_code == 400
    assert not StripeEvent.objects.exists()
    assert deliver(client, event(), at=time.time() + 60).status_code == 200  # small clock skew is fine
