"""The pages of a card payment that needs its backer (3-D Secure, a retry window), of a hosted card page
(Stripe Checkout) and of an owner's connected payout account (Stripe Connect). Their URLs live under
/payments/ (namespace "payments", web.urls_payments) beside the provider's webhook."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from payments.gateways import GatewayUnavailable, ProviderObjectMissing, gateway_get
from payments.models import AttemptKind, AttemptStatus, PaymentAttempt
from payments.services import card_page_attempt, confirmable, confirmation_secret
from payouts.services import owner_stripe_account_refresh, owner_stripe_onboarding_start
from platforms.middleware import platform_locale_activate
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import pledge_of_backer
from pledges.services import pledge_card_saved, pledge_retry_pay
from pledges.services import pledge_checkout_cancel as cancel
from web.labels import error_text


@login_required
def pledge_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Pay a pledge whose card payment needs the backer, on-session: confirm it with the bank (3-D
    Secure, through Stripe.js on the payment's client secret) or use another card. Two cases: the
    retry-window e-mail of a charge-on-success pledge whose card failed at collection, and a
    charge-now pledge whose payment the bank asks the backer to confirm (the Checkout return sends
    them here; the receipt page and e-mail link here). Coming back after Stripe.js confirmed the
    payment (the page reloads), Stripe's word is applied at once."""
    pledge = pledge_of_backer(request.user, pk)
    if pledge is None:
        raise Http404
    # The address names no platform (an e-mail's link): the pledge's platform's language and time zone.
    platform_locale_activate(request, pledge.campaign.platform)
    confirming = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    attempt = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
    on_stripe = confirmable(attempt)  # the customer can confirm it in the browser (Stripe.js)
    missing = False
    if (
        request.method == "GET"
        and attempt is not None
        and on_stripe
        and attempt.status != AttemptStatus.SUCCEEDED
        and (confirming or pledge.status == PledgeStatus.RETRYING)
    ):
        try:
            gateway_get(attempt.gateway).charge_refresh(attempt.reference)
        except GatewayUnavailable:  # the webhook applies it later
            pass
        except ProviderObjectMissing:  # it can take no money; the pending-payments job ends the pledge
            missing = True
        pledge.refresh_from_db()
        confirming = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
        attempt.refresh_from_db()
    error = ""
    payable = _payable(pledge, confirming)
    if missing and payable:
        messages.warning(
            request,
            _(
                "Stripe could not find this payment, so it cannot be confirmed with your bank. "
                "You can pay with another card below; otherwise your pledge ends when its time "
                "runs out, and nothing is charged."
            ),
        )
    elif missing:
        messages.warning(
            request, _("Stripe could not find this payment: nothing is charged, and your pledge ends shortly.")
        )
    if request.method == "POST" and payable:
        try:
            pledge = pledge_retry_pay(
                pledge_id=pledge.pk, backer=request.user, card=request.POST.get("payment_method", "")
            )
        except ApplicationError as exc:
            error = error_text(exc)
        except GatewayUnavailable:  # a new try uses the same keys: never charged twice
            error = _("Stripe did not answer. Please try again in a moment: you will not be charged twice.")
        pledge.refresh_from_db()
        attempt = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
        on_stripe = confirmable(attempt)
        confirming = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
        payable = _payable(pledge, confirming)
    client_secret = ""
    if payable and attempt is not None and on_stripe:
        try:
            client_secret = confirmation_secret(attempt) or ""
        except Exception:  # noqa: BLE001 -- the page still offers another card
            client_secret = ""
    # The payment waits only for the bank's check of the card it was made with (requires_action).
    bank_check = bool(
        client_secret
        and attempt is not None
        and attempt.status == AttemptStatus.PENDING
        and attempt.code == "authentication_required"
    )
    return render(
        request,
        "payments/pledge_retry.html",
        {
            "pledge": pledge,
            "campaign": pledge.campaign,
            "error": error,
            "client_secret": client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "amount": pledge.campaign.money(pledge.amount),
            "reason": attempt.message if attempt and pledge.status == PledgeStatus.RETRYING else "",
            "payable": payable,
            "confirming": confirming,
            "bank_check": bank_check,
        },
        status=400 if error else 200,
    )


def _payable(pledge: Pledge, confirming: bool) -> bool:
    """The backer may still pay this pledge on the page: in its retry or confirmation window."""
    in_window = pledge.retry_until is not None and timezone.now() < pledge.retry_until
    return (pledge.status == PledgeStatus.RETRYING or confirming) and in_window


@login_required
def pledge_checkout_return(request: HttpRequest) -> HttpResponse:
    """Stripe Checkout sends the backer here (`?session_id=`): the session's state is applied at
    once (the webhook may still be on its way) and the backer sees the pledge's receipt, or the
    page to confirm a payment their bank asks about."""
    session_id = request.GET.get("session_id", "")
    attempt = _checkout_attempt(request, session_id)
    missing = False
    try:
        gateway_get(attempt.gateway).card_page_refresh(session_id)
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.SUCCEEDED:  # secure or charge it now, for the receipt
            pledge_card_saved(pledge_id=attempt.pledge_id, reference=attempt.reference)
    except GatewayUnavailable:  # the webhook and the retry jobs finish it; the receipt says so
        pass
    except ProviderObjectMissing:  # Stripe lost the session (or its card setup): the pending-payments job ends it
        missing = True
    pledge = attempt.pledge
    pledge.refresh_from_db()
    if pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None:
        return redirect("payments:pledge_retry", pk=pledge.pk)
    if pledge.status == PledgeStatus.PENDING and missing:
        messages.warning(
            request,
            _(
                "Stripe could not find your card page, so your card could not be checked. "
                "Your pledge stays pending for now: unless Stripe confirms your card, it is "
                "cancelled within half an hour and nothing is charged."
            ),
        )
    elif pledge.status == PledgeStatus.PENDING:
        messages.info(request, _("Stripe has not confirmed your card yet: your pledge is pending until it does."))
    elif pledge.status == PledgeStatus.DECLINED:
        charge = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
        messages.error(
            request,
            _("Your card was declined; nothing was charged.")
            if charge
            else _("Your card could not be saved; nothing was charged."),
        )
    return redirect("pledge-receipt", pk=attempt.pledge_id)


def _checkout_attempt(request: HttpRequest, session_id: str) -> PaymentAttempt:
    """The backer's card-saving attempt of a hosted card page (payments.services.card_page_attempt);
    404 for a page that is not theirs, unknown, or not to be looked up now."""
    try:
        attempt = card_page_attempt(reference=session_id, backer_id=int(request.user.pk or 0))
    except Exception:  # noqa: BLE001 -- the provider down or an unknown page: nothing to show here
        raise Http404 from None
    if attempt is None:
        raise Http404
    return attempt


@login_required
def pledge_checkout_cancel(request: HttpRequest) -> HttpResponse:
    """Stripe Checkout's cancel URL (`?pledge=<id>`): the backer left the card page. The session
    is expired at Stripe at once and the pending pledge cancelled, its reward back on sale; the
    backer is back on the pledge form."""
    pk = request.GET.get("pledge", "")
    pledge = pledge_of_backer(request.user, int(pk) if pk.isdigit() else 0)
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
def stripe_connect_start(request: HttpRequest) -> HttpResponse:
    """An owner connects (or finishes connecting) a Stripe Express account to be paid."""
    here = request.build_absolute_uri(reverse("payments:stripe_connect"))
    back = request.build_absolute_uri(reverse("payments:stripe_connect_return"))
    return redirect(owner_stripe_onboarding_start(user=request.user, refresh_url=here, return_url=back))


@login_required
def stripe_connect_return(request: HttpRequest) -> HttpResponse:
    """Back from Stripe's onboarding: the account's state is read again and the owner told where
    their payouts stand."""
    try:
        account = owner_stripe_account_refresh(user=request.user)
    except GatewayUnavailable:
        account = None
        messages.info(request, _("Stripe did not answer; your account's state is updated when it does."))
    else:
        if account is not None and account.ready:
            messages.success(request, _("Your Stripe account is connected: your payouts are sent to it."))
        elif account is not None:
            messages.info(
                request,
                _(
                    "Stripe has not finished setting up your account yet; your payouts wait "
                    "until it has. You can continue the set-up from your campaign page."
                ),
            )
    return redirect("owner-dashboard")
