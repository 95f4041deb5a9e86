import hmac
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .gateways import sandbox_signature
from .services import payment_callback_handle


@csrf_exempt
@require_POST
def sandbox_callback(request):
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


@login_required
def pledge_retry(request, pk):
    """The link in the retry-window e-mail: pay a pledge whose card failed at collection, on-session
    (the bank's 3-D Secure check, through Stripe.js on the failed payment) or with another card."""
    from django.conf import settings
    from django.shortcuts import get_object_or_404, render

    from civicfund.errors import ApplicationError
    from pledges.models import Pledge, PledgeStatus
    from pledges.services import pledge_retry_pay

    pledge = get_object_or_404(Pledge.objects.select_related("campaign__platform"), pk=pk,
                               backer=request.user)
    error = ""
    if request.method == "POST" and pledge.status == PledgeStatus.RETRYING:
        try:
            pledge = pledge_retry_pay(pledge_id=pledge.pk, backer=request.user,
                                      card=request.POST.get("payment_method", ""))
        except ApplicationError as exc:
            error = exc.message
    client_secret = ""
    attempt = pledge.attempts.filter(kind="charge").last()
    if (pledge.status == PledgeStatus.RETRYING and attempt and attempt.gateway == "stripe"
            and attempt.reference.startswith("pi_")):
        from .gateways import gateway_get

        try:
            client_secret = gateway_get("stripe").payment_intent_client_secret(attempt.reference)
        except Exception:  # the page still offers another card
            client_secret = ""
    return render(request, "payments/pledge_retry.html", {
        "pledge": pledge, "campaign": pledge.campaign, "error": error, "client_secret": client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY, "amount": pledge.campaign.money(pledge.amount),
        "reason": attempt.message if attempt else "",
    }, status=400 if error else 200)


@login_required
def pledge_checkout_return(request):
    """Stripe Checkout sends the backer here (`?session_id=`): the session's state is applied at
    once (the webhook may still be on its way) and the backer sees the pledge's receipt."""
    from django.shortcuts import get_object_or_404, redirect

    from .gateways import GatewayUnavailable
    from .models import AttemptKind, AttemptStatus, PaymentAttempt
    from .stripe_events import checkout_session_refresh

    session_id = request.GET.get("session_id", "")
    attempt = get_object_or_404(PaymentAttempt, kind=AttemptKind.SAVE_CARD, gateway="stripe",
                                reference=session_id or "-", pledge__backer=request.user)
    try:
        checkout_session_refresh(session_id=session_id)
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.SUCCEEDED:  # secure or charge it now, for the receipt
            from pledges.services import pledge_card_saved

            pledge_card_saved(pledge_id=attempt.pledge_id, reference=attempt.reference)
    except GatewayUnavailable:  # the webhook and the retry jobs finish it; the receipt says so
        pass
    return redirect("pledge-receipt", pk=attempt.pledge_id)


@login_required
def stripe_connect_start(request):
    """An owner connects (or finishes connecting) a Stripe Express account to be paid."""
    from django.shortcuts import redirect
    from django.urls import reverse

    from payouts.services import owner_stripe_onboarding_start

    here = request.build_absolute_uri(reverse("payments:stripe_connect"))
    back = request.build_absolute_uri(reverse("payments:stripe_connect_return"))
    return redirect(owner_stripe_onboarding_start(user=request.user, refresh_url=here, return_url=back))


@login_required
def stripe_connect_return(request):
    from django.shortcuts import redirect

    from payouts.services import owner_stripe_account_refresh

    owner_stripe_account_refresh(user=request.user)
    return redirect("owner-dashboard")
