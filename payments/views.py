"""The sandbox provider's callback: verified and dispatched, like the Stripe webhook (payments.webhooks)."""

import hmac
import json

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .sandbox import sandbox_signature
from .services import payment_callback_handle


@csrf_exempt
@require_POST
def sandbox_callback(request: HttpRequest) -> HttpResponse:
    """The sandbox provider's late answer for a pending charge, signed with HMAC-SHA256."""
    try:
        body = request.body.decode()
    except UnicodeDecodeError:
        return HttpResponseBadRequest("bad body: not UTF-8")
    if not hmac.compare_digest(sandbox_signature(body), request.headers.get("X-Sandbox-Signature", "")):
        return HttpResponseBadRequest("bad signature")
    try:
        event = json.loads(body)
        completed_at = None
        if "completed_at" in event:  # when the payment completed, on the provider's clock
            completed_at = parse_datetime(event["completed_at"]) if isinstance(event["completed_at"], str) else None
            if completed_at is None or timezone.is_naive(completed_at):
                raise ValueError("completed_at is not an ISO 8601 time with its offset")
        payment_callback_handle(reference=event["reference"], status=event["status"], completed_at=completed_at)
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("bad event")
    return HttpResponse("ok")
