"""Stripe's webhook endpoint: verify the signature on the raw body, apply the event once, answer fast."""

import datetime as dt
import json
import logging
import time
from typing import Any

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .gateways import GatewayUnavailable
from .models import StripeEvent
from .stripe_events import stripe_event_apply

log = logging.getLogger(__name__)

# Seconds a signature's timestamp may be off our clock, either way (Stripe's SDK checks only the past).
TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE
EVENT_ID_MAX = StripeEvent._meta.get_field("event_id").max_length or 80
LATEST_CREATED = dt.datetime(9000, 1, 1, tzinfo=dt.UTC).timestamp()


def _signed_at(header: str) -> int | None:
    for item in header.split(","):
        key, _, value = item.partition("=")
        if key.strip() == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _event_refusal(event: Any) -> str:
    """Why a verified body is not an event we can apply ("" when it is): Stripe never sends these,
    so they are someone's mistake or test, answered 400 and not retried."""
    if not isinstance(event, dict):
        return "not a JSON object"
    event_id, type_ = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= EVENT_ID_MAX:
        return f"id is not a string of 1 to {EVENT_ID_MAX} characters"
    if not isinstance(type_, str) or not 0 < len(type_) <= 80:
        return "type is not a string of 1 to 80 characters"
    created = event.get("created")
    if created is not None and (
        isinstance(created, bool) or not isinstance(created, int) or not 0 < created < LATEST_CREATED
    ):
        return "created is not a Unix time"
    data = event.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        return "data.object is not a JSON object"
    return ""


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """400 for a bad signature or body (Stripe does not retry those), 503 when Stripe itself could
    not be reached for the re-fetch (Stripe redelivers later), 200 once applied or a duplicate, and
    200 with a note when the re-fetch finds the object gone at Stripe (404): redelivering for days
    would not bring it back; the event is recorded unapplied and the admins alerted."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        log.error("Stripe webhook received but STRIPE_WEBHOOK_SECRET is not set")
        return HttpResponse("webhook secret not configured", status=503)
    header = request.headers.get("Stripe-Signature", "")
    try:
        payload = request.body.decode("utf-8")
        stripe.WebhookSignature.verify_header(payload, header, secret, TOLERANCE)
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("bad signature")
    signed_at = _signed_at(header)
    if signed_at is None or signed_at > time.time() + TOLERANCE:
        return HttpResponseBadRequest("bad signature: timestamp in the future")
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError):
        return HttpResponseBadRequest("bad event: not JSON")
    if refusal := _event_refusal(event):
        return HttpResponseBadRequest(f"bad event: {refusal}")
    try:
        note = stripe_event_apply(
            event_id=event["id"], type=event["type"], created=event.get("created"), obj=event["data"]["object"]
        )
    except GatewayUnavailable:
        return HttpResponse("stripe unavailable, retry", status=503)
    except (KeyError, TypeError):
        return HttpResponseBadRequest("bad event")
    return HttpResponse(note)
