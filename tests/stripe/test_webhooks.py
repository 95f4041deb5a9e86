"""Stripe webhooks: signature checked on the raw body, each event applied once whatever the number
and order of deliveries, the object re-fetched where order matters."""

import json

import pytest

from payments.models import AttemptStatus, PaymentAttempt, StripeEvent
from pledges.models import PledgeStatus
from pledges.services import pledge_create

from ..factories import UserFactory
from .conftest import NEEDS_3DS, WEBHOOK

pytestmark = pytest.mark.django_db


def test_a_forged_signature_is_rejected_and_changes_nothing(
    charge_now, campaign_on, card, stripe_server, deliver, client
):
    campaign = campaign_on(charge_now)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card())
    event = stripe_server.wait_event("payment_intent.succeeded", pledge.attempts.get(kind="charge").reference)
    forged = event["signature"].replace("v1=", "v1=0")[: len(event["signature"])]
    assert deliver(event, signature=forged).status_code == 400
    assert deliver(event, signature="").status_code == 400
    tampered = dict(event, body=event["body"].replace(b'"amount": 1000', b'"amount": 1'))
    assert deliver(tampered).status_code == 400
    unsigned = client.post(WEBHOOK, data=event["body"], content_type="application/json")
    assert unsigned.status_code == 400
    assert StripeEvent.objects.count() == 0
    assert deliver(event).status_code == 200
    assert StripeEvent.objects.count() == 1


def test_an_event_delivered_three_times_and_out_of_order_is_applied_once(
    charge_now, campaign_on, card, stripe_server, deliver
):
    """A charge-now payment that needs 3-D Secure is pending; Stripe then sends payment_failed (an
    earlier try) after succeeded, and succeeded three times. The payment is booked once; the late
    failure, re-fetched, cannot undo it."""
    campaign = campaign_on(charge_now)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card(NEEDS_3DS))
    setup = pledge.attempts.get(kind="save_card")
    assert setup.status == AttemptStatus.PENDING
    stripe_server.authenticate_setup(setup.reference)
    assert deliver(stripe_server.wait_event("setup_intent.succeeded", setup.reference)).status_code == 200
    pledge.refresh_from_db()
    charge = pledge.attempts.get(kind="charge")
    assert charge.status == AttemptStatus.PENDING  # the charge itself asks for 3-D Secure: on-session
    assert pledge.status == PledgeStatus.PENDING

    import requests
    from localstripe.resources import PaymentIntent

    secret = PaymentIntent._api_retrieve(charge.reference).client_secret
    requests.post(
        f"{stripe_server.base}/v1/payment_intents/{charge.reference}/_authenticate",
        data={"client_secret": secret, "success": "true", "key": "pk_test_x"},
        timeout=10,
    )
    succeeded = stripe_server.wait_event("payment_intent.succeeded", charge.reference)
    # An older failure event for the same intent, signed by Stripe, arriving last.
    failed_body = json.loads(succeeded["body"])
    failed_body.update(id="evt_older_failure", type="payment_intent.payment_failed")
    failed_body["data"]["object"]["status"] = "requires_payment_method"
    failed = _signed(failed_body, stripe_server.webhook_secret)

    responses = [deliver(succeeded), deliver(succeeded), deliver(failed), deliver(succeeded)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert responses[1].content == b"duplicate" and responses[3].content == b"duplicate"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert StripeEvent.objects.filter(event_id=succeeded["id"]).count() == 1
    assert StripeEvent.objects.get(event_id="evt_older_failure").note.startswith("no change")
    assert PaymentAttempt.objects.get(pk=charge.pk).status == AttemptStatus.SUCCEEDED
    from ledger.models import Entry

    assert Entry.objects.filter(pledge=pledge, amount=1_000).count() == 1


def test_stripe_down_during_the_re_fetch_answers_503_so_stripe_redelivers(
    charge_now, campaign_on, card, stripe_server, deliver
):
    campaign = campaign_on(charge_now)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card())
    event = stripe_server.wait_event("payment_intent.succeeded", pledge.attempts.get(kind="charge").reference)
    stripe_server.fault("GET", r"/v1/payment_intents/pi_\w+", "down")
    assert deliver(event).status_code == 503
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()
    assert deliver(event).status_code == 200


def test_an_event_about_an_object_stripe_no_longer_has_is_recorded_acknowledged_and_reported(
    charge_now, campaign_on, card, stripe_server, deliver, settings
):
    """An outage still answers 503 (Stripe delivers again); a 404 on the re-fetch cannot mend with
    time (test data deleted on the dashboard): the event is recorded with a note, an admin is told,
    and Stripe gets a 2xx instead of retrying for days."""
    from django.core import mail

    settings.ADMINS = [("Ops", "ops@example.org")]
    campaign = campaign_on(charge_now)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card())
    pi = pledge.attempts.get(kind="charge").reference
    event = stripe_server.wait_event("payment_intent.succeeded", pi)
    stripe_server.fault("GET", r"/v1/payment_intents/pi_\w+", "down")
    assert deliver(event).status_code == 503
    assert not StripeEvent.objects.filter(event_id=event["id"]).exists()

    stripe_server.forget("payment_intent", pi)
    response = deliver(event)
    assert response.status_code == 200
    assert response.content.decode().startswith(f"not applied: Stripe no longer has {pi} (")
    row = StripeEvent.objects.get(event_id=event["id"])
    assert (row.type, row.object_id, row.note) == ("payment_intent.succeeded", pi, response.content.decode())
    (alert,) = [m for m in mail.outbox if m.to == ["ops@example.org"] and "Stripe needs attention" in m.subject]
    assert event["id"] in alert.body and pi in alert.body
    assert deliver(event).content == b"duplicate"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID


def test_unknown_event_types_are_stored_and_acknowledged(charge_now, stripe_server, deliver):
    event = _signed(
        {
            "id": "evt_unknown",
            "object": "event",
            "type": "customer.created",
            "created": 1700000000,
            "data": {"object": {"id": "cus_x", "object": "customer"}},
        },
        stripe_server.webhook_secret,
    )
    assert deliver(event).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_unknown").note == "ignored"


def _signed(payload: dict, secret: str) -> dict:
    import hashlib
    import hmac
    import time

    body = json.dumps(payload).encode()
    ts = int(time.time())
    sig = hmac.new(secret.encode(), b"%d.%s" % (ts, body), hashlib.sha256).hexdigest()
    return {"id": payload["id"], "type": payload["type"], "body": body, "signature": f"t={ts},v1={sig}"}
