"""Stripe's webhook endpoint: verify the signature on the raw body, apply the event once, answer fast."""

import logging

import stripe
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .gateways import GatewayUnavailable
from .stripe_events import stripe_event_apply

log = logging.getLogger(__name__)


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
    try:
        event = stripe.Webhook.construct_event(request.body, request.headers.get("Stripe-Signature", ""), secret)
    except (ValueError, stripe.SignatureVerificationError):
        return HttpResponseBadRequest("bad signature")
    try:
        event = event.to_dict()
        note = stripe_event_apply(
            event_id=event["id"], type=event["type"], created=event.get("created"), obj=event["data"]["object"]
        )
    except GatewayUnavailable:
        return HttpResponse("stripe unavailable, retry", status=503)
    except (KeyError, TypeError):
        return HttpResponseBadRequest("bad event")
    return HttpResponse(note)
