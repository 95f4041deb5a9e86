"""The sandbox provider's callback: verified and dispatched, like the Stripe webhook (payments.webhooks)."""

import hmac
import json

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .sandbox import sandbox_signature
from .services import payment_callback_handle


@csrf_exempt
@require_POST
def sandbox_callback(request: HttpRequest) -> HttpResponse:
    """The sandbox provider's late answer for a pending charge, signed with HMAC-SHA256."""
    body = request.body.decode()
    if not hmac.compare_digest(sandbox_signature(body), request.headers.get("X-Sandbox-Signature", "")):
        return HttpResponseBadRequest("bad signature")
    try:
        event = json.loads(body)
        payment_callback_handle(reference=event["reference"], status=event["status"])
    except (ValueError, KeyError):
        return HttpResponseBadRequest("bad event")
    return HttpResponse("ok")
