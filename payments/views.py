import hmac
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from projects.labels import error_text

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
        completed_at = None
        if "completed_at" in event:  # when the payment completed, on the provider's clock
            completed_at = parse_datetime(event["completed_at"]) if isinstance(event["completed_at"], str) else None
            if completed_at is None or timezone.is_naive(completed_at):
                raise ValueError("completed_at is not an ISO 8601 time with its offset")
        payment_callback_handle(reference=event["reference"], status=event["status"], completed_at=completed_at)
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest("bad event")
    return HttpResponse("ok")


@login_required
def pledge_retry(request, pk):
    """Pay a pledge whose card payment needs the backer, on-session: confirm it with the bank (3-D
    Secure, through Stripe.js on the payment's client secret) or use another card. Two cases: the
    retry-window e-mail of a charge-on-success pledge whose card failed at collection, and a
    charge-now pledge whose payment the bank asks the backer to confirm (the Checkout return sends
    them here; the receipt page and e-mail link here). Coming back after Stripe.js confirmed the
    payment (the page reloads), Stripe's word is applied at once."""
    from django.conf import settings
    from django.shortcuts import get_object_or_404, render

    from civicfund.errors import ApplicationError
    from pledges.models import Pledge, PledgeStatus
    from pledges.services import pledge_retry_pay
    from projects.middleware import platform_locale_activate

    from .gateways import GatewayUnavailable, gateway_get
    from .models import AttemptStatus

    pledge = get_object_or_404(Pledge.objects.select_related("campaign__platform"), pk=pk,
                               backer=request.user)
    # The address names no platform (an e-mail's link): the pledge's platform's language and time zone.
    platform_locale_activate(request, pledge.campaign.platform)
    confirming = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    attempt = pledge.attempts.filter(kind="charge").last()
    on_stripe = bool(attempt and attempt.gateway == "stripe" and attempt.reference.startswith("pi_"))
    missing = False
    if (request.method == "GET" and on_stripe and attempt.status != AttemptStatus.SUCCEEDED
            and (confirming or pledge.status == PledgeStatus.RETRYING)):
        from .stripe_events import payment_intent_refresh
        from .stripe_gateway import StripeObjectMissing

        try:
            payment_intent_refresh(payment_intent=attempt.reference)
        except GatewayUnavailable:  # the webhook applies it later
            pass
        except StripeObjectMissing:  # it can take no money; the pending-payments job ends the pledge
            missing = True
        pledge.refresh_from_db()
        confirming = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
        attempt.refresh_from_db()
    error = ""
    payable = (pledge.status == PledgeStatus.RETRYING or confirming) and timezone.now() < pledge.retry_until
    if missing and payable:
        messages.warning(request, _("Stripe could not find this payment, so it cannot be confirmed with your bank. "
                                    "You can pay with another card below; otherwise your pledge ends when its time "
                                    "runs out, and nothing is charged."))
    elif missing:
        messages.warning(request, _("Stripe could not find this payment: nothing is charged, and your pledge ends "
                                    "shortly."))
    if request.method == "POST" and payable:
        try:
            pledge = pledge_retry_pay(pledge_id=pledge.pk, backer=request.user,
                                      card=request.POST.get("payment_method", ""))
        except ApplicationError as exc:
            error = error_text(exc)
        except GatewayUnavailable:  # a new try uses the same keys: never charged twice
            error = _("Stripe did not answer. Please try again in a moment: you will not be charged twice.")
        pledge.refresh_from_db()
        attempt = pledge.attempts.filter(kind="charge").last()
        on_stripe = bool(attempt and attempt.gateway == "stripe" and attempt.reference.startswith("pi_"))
        confirming = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
        payable = (pledge.status == PledgeStatus.RETRYING or confirming) and timezone.now() < pledge.retry_until
    client_secret = ""
    if payable and on_stripe:
        try:
            client_secret = gateway_get("stripe").payment_intent_client_secret(attempt.reference)
        except Exception:  # noqa: BLE001 -- the page still offers another card
            client_secret = ""
    # The payment waits only for the bank's check of the card it was made with (requires_action).
    bank_check = bool(client_secret and attempt.status == AttemptStatus.PENDING
                      and attempt.code == "authentication_required")
    return render(request, "payments/pledge_retry.html", {
        "pledge": pledge, "campaign": pledge.campaign, "error": error, "client_secret": client_secret,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY, "amount": pledge.campaign.money(pledge.amount),
        "reason": attempt.message if attempt and pledge.status == PledgeStatus.RETRYING else "",
        "payable": payable, "confirming": confirming, "bank_check": bank_check,
    }, status=400 if error else 200)


@login_required
def pledge_checkout_return(request):
    """Stripe Checkout sends the backer here (`?session_id=`): the session's state is applied at
    once (the webhook may still be on its way) and the backer sees the pledge's receipt, or the
    page to confirm a payment their bank asks about."""
    from django.shortcuts import redirect

    from pledges.models import PledgeStatus

    from .gateways import GatewayUnavailable
    from .models import AttemptKind, AttemptStatus
    from .stripe_events import checkout_session_refresh
    from .stripe_gateway import StripeObjectMissing

    session_id = request.GET.get("session_id", "")
    attempt = _checkout_attempt(request, session_id)
    missing = False
    try:
        checkout_session_refresh(session_id=session_id)
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.SUCCEEDED:  # secure or charge it now, for the receipt
            from pledges.services import pledge_card_saved

            pledge_card_saved(pledge_id=attempt.pledge_id, reference=attempt.reference)
    except GatewayUnavailable:  # the webhook and the retry jobs finish it; the receipt says so
        pass
    except StripeObjectMissing:  # Stripe lost the session (or its card setup): the pending-payments job ends it
        missing = True
    pledge = attempt.pledge
    pledge.refresh_from_db()
    if pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None:
        return redirect("payments:pledge_retry", pk=pledge.pk)
    if pledge.status == PledgeStatus.PENDING and missing:
        messages.warning(request, _("Stripe could not find your card page, so your card could not be checked. "
                                    "Your pledge stays pending for now: unless Stripe confirms your card, it is "
                                    "cancelled within half an hour and nothing is charged."))
    elif pledge.status == PledgeStatus.PENDING:
        messages.info(request, _("Stripe has not confirmed your card yet: your pledge is pending until it does."))
    elif pledge.status == PledgeStatus.DECLINED:
        charge = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
        messages.error(request, _("Your card was declined; nothing was charged.") if charge
                       else _("Your card could not be saved; nothing was charged."))
    return redirect("pledge-receipt", pk=attempt.pledge_id)


def _checkout_attempt(request, session_id: str):
    """The backer's card-saving attempt of a Checkout Session: by the session's id, or, once its
    card is saved (the attempt then holds the card's reference), by the key in the session."""
    from django.http import Http404

    from .gateways import GatewayUnavailable, gateway_get
    from .models import AttemptKind, PaymentAttempt

    mine = PaymentAttempt.objects.filter(kind=AttemptKind.SAVE_CARD, gateway="stripe",
                                         pledge__backer=request.user)
    if not session_id.startswith("cs_"):
        raise Http404
    attempt = mine.filter(reference=session_id).first()
    if attempt is None:
        try:
            key = gateway_get("stripe").checkout_session_get(session_id)["key"]
        except GatewayUnavailable:
            key = ""
        except Exception:  # noqa: BLE001 -- an unknown session
            raise Http404 from None
        attempt = mine.filter(idempotency_key=key).first() if key else None
    if attempt is None:
        raise Http404
    return attempt


@login_required
def pledge_checkout_cancel(request):
    """Stripe Checkout's cancel URL (`?pledge=<id>`): the backer left the card page. The session
    is expired at Stripe at once and the pending pledge cancelled, its reward back on sale; the
    backer is back on the pledge form."""
    from django.http import Http404
    from django.shortcuts import redirect

    from civicfund.errors import PermissionDenied
    from pledges.models import Pledge, PledgeStatus
    from pledges.services import pledge_checkout_cancel as cancel

    from .gateways import GatewayUnavailable

    pk = request.GET.get("pledge", "")
    pledge = Pledge.objects.select_related("campaign__platform").filter(
        pk=pk if pk.isdigit() else 0, backer=request.user).first()
    if pledge is None:
        raise Http404
    try:
        pledge = cancel(pledge_id=pledge.pk, backer=request.user)
    except PermissionDenied:
        raise Http404 from None
    except GatewayUnavailable:
        messages.info(request, _("Stripe did not answer: the pledge you left is cancelled within half an hour."))
        return redirect("pledge", pledge.campaign.platform.slug, pledge.campaign_id)
    if pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None:
        return redirect("payments:pledge_retry", pk=pledge.pk)
    if pledge.status in (PledgeStatus.CANCELLED, PledgeStatus.DECLINED):
        messages.info(request, _("You left Stripe's card page: your pledge was not made and nothing was charged."))
        return redirect("pledge", pledge.campaign.platform.slug, pledge.campaign_id)
    return redirect("pledge-receipt", pk=pledge.pk)


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
    """Back from Stripe's onboarding: the account's state is read again and the owner told where
    their payouts stand."""
    from django.shortcuts import redirect

    from payouts.services import owner_stripe_account_refresh

    from .gateways import GatewayUnavailable

    try:
        account = owner_stripe_account_refresh(user=request.user)
    except GatewayUnavailable:
        account = None
        messages.info(request, _("Stripe did not answer; your account's state is updated when it does."))
    else:
        if account is not None and account.ready:
            messages.success(request, _("Your Stripe account is connected: your payouts are sent to it."))
        elif account is not None:
            messages.info(request, _("Stripe has not finished setting up your account yet; your payouts wait "
                                     "until it has. You can continue the set-up from your campaign page."))
    return redirect("owner-dashboard")
