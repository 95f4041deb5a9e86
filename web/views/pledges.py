"""The pledge flow (choose, confirm, pay, receipt), cancelling a pledge, and the backer's dashboard."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError, PaymentDeclined
from core.money import major_units
from ledger.selectors import wallet_balance, wallets_history, wallets_with_balance
from partners.selectors import pledges_matched_set
from payments.gateways import gateway_for
from platforms.middleware import platform_locale_activate
from platforms.models import Platform
from pledges.models import PaymentSource, Pledge, PledgeStatus
from pledges.selectors import (
    backer_shown_by_name,
    campaigns_public,
    pledge_decline_reason,
    pledge_of_backer,
    pledges_of_dashboard,
)
from pledges.services import backer_visibility_set, pledge_cancel
from presale.delivery import pledge_checkout_start_shipped, pledge_create_shipped
from presale.selectors import delivery_states, receipt_delivery
from projects.selectors import owns_campaigns
from web.forms.pledges import PledgeChoiceForm, PledgePayForm
from web.forms.presale import ShippingAddressForm
from web.labels import error_text, form_error

CHOICE_FIELDS = {"amount": "amount", "tier": "tier", "source": "source", "currency": "amount"}


@login_required
def pledge_start(request, slug, pk):
    """Step 1 (choose a reward or an amount and how to pay) and step 2 (confirm, then pay)."""
    campaign = get_object_or_404(campaigns_public().filter(platform__slug=slug), pk=pk)
    tiers = list(campaign.tiers.all())
    balance = wallet_balance(request.user, campaign.currency)
    context = {"campaign": campaign, "platform": campaign.platform, "balance": balance}

    def choice_form(data=None, initial=None):
        return PledgeChoiceForm(
            data, initial=initial or {}, campaign=campaign, tiers=tiers, wallet_balance=balance, backer=request.user
        )

    now = timezone.now()
    if not campaign.accepts_pledges(now):
        # Closed (or past its deadline, the close job not yet run; or not started): say so, no form.
        context["closed"] = True
        context["closed_on"] = campaign.deadline if now >= campaign.deadline else None
        return render(request, "pledges/pledge_choose.html", {**context, "form": None}, status=200)
    if request.method != "POST":
        tier = next((t for t in tiers if str(t.pk) == request.GET.get("tier")), None)

        # ?tier= from a reward's button; ?amount= and ?source= too from the confirm step's "Change".
        initial = {
            "tier": str(tier.pk) if tier else "",
            "amount": request.GET.get("amount", "")[:40]
            or (major_units(tier.amount, campaign.currency) if tier else ""),
        }
        if request.GET.get("source") in PaymentSource.values:
            initial["source"] = request.GET["source"]
        return render(request, "pledges/pledge_choose.html", {**context, "form": choice_form(initial=initial)})

    checkout = pays_on_stripe_checkout(campaign.platform)
    if request.POST.get("step") == "pay":
        pay = PledgePayForm(request.POST, checkout=checkout)
        chosen = choice_form(
            {
                "tier": request.POST.get("tier", ""),
                "amount": request.POST.get("amount", ""),
                "source": request.POST.get("source", ""),
            }
        )
        if not chosen.is_valid():
            return render(request, "pledges/pledge_choose.html", {**context, "form": chosen})
        address = _address_form(campaign, chosen, request.POST)
        if not pay.is_valid() or (address is not None and not address.is_valid()):
            return _confirm(request, context, chosen, pay, address)
        data = chosen.cleaned_data
        if checkout and data["source"] == PaymentSource.CARD:
            return _pledge_on_stripe_checkout(request, campaign, chosen, pay, address)
        try:
            pledge, _made = pledge_create_shipped(
                campaign_id=campaign.pk,
                backer=request.user,
                amount=data["amount"],
                tier_id=data["tier"].pk if data["tier"] else None,
                address=address.cleaned_data if address is not None else None,
                source=data["source"],
                card=pay.cleaned_data.get("card", ""),
                request_key=_attempt_key(pay.cleaned_data),
            )
            if pledge.status == PledgeStatus.DECLINED:  # this key's pledge was declined (a double click)
                raise PaymentDeclined("The card was declined.", field="card", reason=pledge_decline_reason(pledge))
        except ApplicationError as exc:
            if exc.field == "card":
                # That pledge is over: the form comes back with a new key, so another card is a new
                # attempt rather than a replay of the declined one.
                pay = PledgePayForm({**request.POST.dict(), "request_key": PledgePayForm.new_key()}, checkout=checkout)
                pay.is_valid()
                pay.add_error("card", error_text(exc))
                return _confirm(request, context, chosen, pay, address)
            if address is not None and (exc.field or "").startswith("shipping_address"):
                form_error(address, exc, fields={exc.field or "": (exc.field or "").split(".")[-1]})
                return _confirm(request, context, chosen, pay, address)
            form_error(chosen, exc, fields=CHOICE_FIELDS)
            return render(request, "pledges/pledge_choose.html", {**context, "form": chosen})
        _visibility_keep(pledge, request.user, pay)
        return redirect("pledge-receipt", pk=pledge.pk)

    chosen = choice_form(request.POST)
    if not chosen.is_valid():
        return render(request, "pledges/pledge_choose.html", {**context, "form": chosen})
    pay = PledgePayForm(
        initial={
            "tier": request.POST.get("tier", ""),
            "amount": request.POST.get("amount", ""),
            "source": chosen.cleaned_data["source"],
            "request_key": PledgePayForm.new_key(),
            "show_name": backer_shown_by_name(campaign.pk, request.user),
        },
        checkout=checkout,
    )
    return _confirm(request, context, chosen, pay, _address_form(campaign, chosen))


def _visibility_keep(pledge, backer, pay) -> None:
    """The backer's choice on the confirm step: shown by name on the campaign's backers list, or not."""
    backer_visibility_set(
        campaign_id=pledge.campaign_id, backer=backer, by_name=pay.cleaned_data.get("show_name", False)
    )


def _address_form(campaign, chosen, data=None) -> ShippingAddressForm | None:
    """The shipping address form when the chosen reward ships (None otherwise)."""
    tier = chosen.cleaned_data.get("tier")
    if tier is None or not tier.ships:
        return None
    return ShippingAddressForm(data, country=campaign.platform.holiday_country)


def _attempt_key(pay: dict) -> str:
    """The pledge's request key: the form's key, and for a card typed here a tag of that card. The same
    form sent twice with the same card pledges once; the same form with another card (after a
    decline, the browser's Back button brings back a page with the declined attempt's key) is a new
    attempt. The tag is a keyed hash cut to 32 bits: it cannot give the card number back."""
    digits = "".join(c for c in pay.get("card", "") if c.isdigit())
    if not digits:
        return pay["request_key"]
    tag = hmac.new(settings.SECRET_KEY.encode(), digits.encode(), hashlib.sha256).hexdigest()[:8]
    return f"{pay['request_key'][:111]}-{tag}"  # within the pledge's 120 characters


def _confirm(request, context, chosen, pay, address=None):
    data, campaign = chosen.cleaned_data, context["campaign"]
    change = (
        reverse("pledge", args=[campaign.platform.slug, campaign.pk])
        + "?"
        + urlencode(
            {
                "tier": data["tier"].pk if data["tier"] else "",
                "amount": major_units(data["amount"], campaign.currency),
                "source": data["source"],
            }
        )
    )
    return render(
        request,
        "pledges/pledge_confirm.html",
        {
            **context,
            "chosen": data,
            "pay": pay,
            "by_card": data["source"] == PaymentSource.CARD,
            "checkout": "card" not in pay.fields,
            "change_url": change,
            "address": address,
        },
    )


def pays_on_stripe_checkout(platform: Platform) -> bool:
    """Card pledges on a platform whose gateway has a hosted card page (Stripe Checkout): the card is
    entered on the provider's page (sandbox platforms keep the card field of the confirm step)."""
    return gateway_for(platform).capabilities.hosted_card_page


def _pledge_on_stripe_checkout(request, campaign, chosen, pay, address=None):
    """Open the pledge and send the backer to Stripe Checkout; Stripe sends them back to
    `payments:pledge_checkout_return` (then the receipt), or on cancel to
    `payments:pledge_checkout_cancel`, which ends the session and the pledge, then shows the form."""
    data = chosen.cleaned_data
    back = request.build_absolute_uri(reverse("payments:pledge_checkout_return"))
    try:
        pledge, url = pledge_checkout_start_shipped(
            campaign_id=campaign.pk,
            backer=request.user,
            amount=data["amount"],
            tier_id=data["tier"].pk if data["tier"] else None,
            address=address.cleaned_data if address else None,
            request_key=pay.cleaned_data["request_key"],
            success_url=back + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=request.build_absolute_uri(reverse("payments:pledge_checkout_cancel")) + "?pledge={PLEDGE_ID}",
        )
        _visibility_keep(pledge, request.user, pay)
    except ApplicationError as exc:
        form_error(chosen, exc, fields=CHOICE_FIELDS)
        return render(
            request,
            "pledges/pledge_choose.html",
            {
                "campaign": campaign,
                "platform": campaign.platform,
                "form": chosen,
                "balance": wallet_balance(request.user, campaign.currency),
            },
        )
    return redirect(url)


def _own_pledge(request: HttpRequest, pk: int) -> Pledge:
    """The signed-in backer's pledge `pk`, or 404."""
    pledge = pledge_of_backer(request.user, pk)
    if pledge is None:
        raise Http404
    return pledge


@login_required
def pledge_receipt(request, pk):
    pledge = _own_pledge(request, pk)
    platform_locale_activate(request, pledge.campaign.platform)  # /pledges/ addresses name no platform
    declined = ""
    if pledge.status == PledgeStatus.DECLINED:
        declined = error_text(PaymentDeclined("", reason=pledge_decline_reason(pledge) or "card_declined"))
    return render(
        request,
        "pledges/receipt.html",
        {
            "pledge": pledge,
            "platform": pledge.campaign.platform,
            "campaign": pledge.campaign,
            "declined": declined,
            "shown_by_name": backer_shown_by_name(pledge.campaign_id, request.user),
            **receipt_delivery(pledge),
        },
    )


@login_required
@require_POST
def pledge_cancel_view(request, pk):
    pledge = _own_pledge(request, pk)
    platform_locale_activate(request, pledge.campaign.platform)  # its message, in the receipt's language
    try:
        if pledge_cancel(pledge_id=pk, backer=request.user).status == PledgeStatus.CANCELLED:
            messages.success(request, _("Your pledge is cancelled; nothing was charged."))
        else:
            messages.success(request, _("Your pledge is cancelled; the money comes back to you in full."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect("pledge-receipt", pk=pledge.pk)


@login_required
def dashboard(request):
    """The backer's page: pledges and their states, wallet balances and history."""
    pledges: list[Any] = []
    declined: list[Any] = []
    # each pledge with its match (`matched_amount`), one query more
    everything: list[Any] = pledges_matched_set(pledges_of_dashboard(request.user))
    for pledge, state in zip(everything, delivery_states(everything), strict=True):
        pledge.delivery_state = state  # shown next to the reward
        # A declined card attempt is no pledge the backer holds: kept out of the list, behind a
        # disclosure with a link to each attempt's page (its history), not deleted.
        (declined if pledge.status == PledgeStatus.DECLINED else pledges).append(pledge)
    wallets = wallets_with_balance(request.user)
    history = wallets_history(wallets)
    owned = owns_campaigns(request.user)
    return render(
        request,
        "pledges/dashboard.html",
        {
            "pledges": pledges,
            "declined": declined,
            "wallets": wallets,
            "history": history,
            "owns_campaigns": owned,
            "any_matched": any(p.matched_amount for p in pledges),
        },
    )
