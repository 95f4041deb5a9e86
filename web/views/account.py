"""The account page: the user's API tokens, listed and revoked (docs/security.md); their bank details."""

from __future__ import annotations

from allauth.account.views import confirm_email as allauth_confirm_email
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.profile import display_name, display_name_set
from accounts.tokens import token_expired, token_expires_at, tokens_of, tokens_revoke
from core.errors import ApplicationError
from ledger.selectors import wallets_with_balance
from payouts.details import account_field, bank_details_of, bank_details_save, number_display
from payouts.withdrawals import withdrawal_request, withdrawals_of
from platforms.middleware import platform_locale_activate
from web.account_adapter import platform_of_request
from web.forms.bank import BankDetailsForm, WithdrawalForm
from web.forms.profile import DisplayNameForm
from web.labels import form_error


@login_required
def account_page(request):
    """GET: the display name and the API tokens (never their whole key), each with when it expires.
    POST: save the display name (a form with `display_name`), or revoke all tokens."""
    name_form = DisplayNameForm(
        request.POST if "display_name" in request.POST else None, initial={"display_name": request.user.first_name}
    )
    if request.method == "POST" and "display_name" in request.POST:
        if name_form.is_valid():
            try:
                display_name_set(user=request.user, name=name_form.cleaned_data["display_name"])
            except ApplicationError as exc:
                form_error(name_form, exc)
            else:
                messages.success(request, _("Your display name is saved."))
                return redirect("my-account")
    elif request.method == "POST":
        if tokens_revoke(user=request.user):
            messages.success(request, _("Your API tokens are revoked: apps using them must sign in again."))
        return redirect("my-account")
    tokens = [
        {
            "start": token.key[:6],
            "created": token.created,
            "expires": token_expires_at(token.created),
            "expired": token_expired(token.created),
        }
        for token in tokens_of(user=request.user)
    ]
    return render(
        request,
        "account/me.html",
        {"tokens": tokens, "name_form": name_form, "profile_name": display_name(request.user)},
    )


@login_required
def bank_details_page(request):
    """GET/POST: the user's bank details (IBAN and/or Sheba), private to them and the Finance staff."""
    details = bank_details_of(request.user)
    initial = {"holder_name": details.holder_name, "iban": details.iban, "sheba": details.sheba} if details else {}
    form = BankDetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            bank_details_save(user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Your bank details are saved."))
            return redirect("my-bank-details")
    return render(request, "account/bank_details.html", {"form": form, "details": details})


@login_required
def wallet_withdraw(request):
    """GET/POST: ask for money of a wallet (the currency in ?currency=) to be paid to the bank account
    of the user's bank details; lists their withdrawals."""
    wallets = [w for w in wallets_with_balance(request.user) if getattr(w, "balance", 0) > 0]
    currencies = [w.currency for w in wallets]
    currency = request.GET.get("currency") or (currencies[0] if currencies else "")
    if currency not in currencies:
        currency = currencies[0] if currencies else ""
    form = WithdrawalForm(request.POST or None, currency=currency or "IRT")
    if request.method == "POST" and currency and form.is_valid():
        try:
            withdrawal_request(
                user=request.user,
                currency=currency,
                amount=form.cleaned_data["amount"],
                request_key=form.cleaned_data["request_key"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Withdrawal asked: the platform's finance staff will pay it to your bank."))
            return redirect("my-withdrawals")
    details = bank_details_of(request.user)
    number = getattr(details, account_field(currency)) if details and currency else ""
    return render(
        request,
        "account/withdraw.html",
        {
            "form": form if currency else None,
            "wallets": wallets,
            "currency": currency,
            "details": details,
            "account_number": number_display(number) if number else "",
            "withdrawals": withdrawals_of(request.user),
        },
    )


def confirm_email(request, key):
    """allauth's e-mail confirmation page, in the language of the platform its link names
    (`?platform=<slug>`, added by web.account_adapter), even opened in a browser that never saw it."""
    if (platform := platform_of_request(request)) is not None:
        platform_locale_activate(request, platform)
    return allauth_confirm_email(request, key=key)
