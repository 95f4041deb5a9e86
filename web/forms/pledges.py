"""The pledge flow's forms: choose (a reward or a free amount, and how to pay), then confirm and pay."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from core.money import major_units, money_text
from core.text import digits
from pledges.models import PaymentSource
from web.forms.fields import AmountField


class TierRadio(forms.RadioSelect):
    """Radio buttons that carry each reward's amount, so a small script can fill in the amount."""

    amounts: dict[str, str] = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.amounts:
            option["attrs"]["data-amount"] = self.amounts[str(value)]
        return option


class PledgeChoiceForm(forms.Form):
    tier = forms.ChoiceField(label=_("Reward"), required=False, widget=TierRadio)
    amount = AmountField(label=_("Amount"))
    source = forms.ChoiceField(
        label=_("Pay with"),
        widget=forms.RadioSelect,
        choices=[(PaymentSource.CARD, _("Card")), (PaymentSource.WALLET, _("My wallet"))],
    )

    def __init__(self, *args, campaign, tiers, wallet_balance: int, backer=None, **kwargs):
        super().__init__(*args, **kwargs)
        platform = campaign.platform
        self.campaign, self.tiers = campaign, {str(t.pk): t for t in tiers}
        self.wallet_balance, self.backer = wallet_balance, backer
        self.fields["amount"].currency = campaign.currency
        self.fields["amount"].help_text = _("At least %(min)s.") % {
            "min": money_text(platform.min_pledge, campaign.currency)
        }
        choices = []
        if platform.allow_free_amounts:
            choices.append(("", _("No reward, just support")))
        for t in tiers:
            text = f"{t.title} — {money_text(t.amount, campaign.currency)}"
            if t.remaining == 0:
                text += f" ({_('sold out')})"
            choices.append((str(t.pk), text))
        self.fields["tier"].choices = choices
        self.fields["tier"].widget.amounts = {
            str(t.pk): digits(major_units(t.amount, campaign.currency)) for t in tiers
        }
        if not platform.allow_free_amounts:
            self.fields["tier"].required = True
        if not platform.allow_reward_tiers:
            self.fields["tier"].widget = forms.HiddenInput()
        self.fields["source"].help_text = _("Wallet balance: %(balance)s") % {
            "balance": money_text(wallet_balance, campaign.currency)
        }
        if wallet_balance <= 0:
            self.fields["source"].choices = [(PaymentSource.CARD, _("Card"))]
            self.fields["source"].initial = PaymentSource.CARD
        self.initial.setdefault("source", PaymentSource.CARD)

    def clean_tier(self):
        value = self.cleaned_data.get("tier") or ""
        if value and value not in self.tiers:
            raise forms.ValidationError(_("That reward is not part of this campaign."))
        tier = self.tiers.get(value)
        if tier is not None and tier.remaining == 0:
            raise forms.ValidationError(_("Sorry, this reward has sold out."), code="sold_out")
        return tier

    def clean(self):
        data = super().clean()
        tier, amount = data.get("tier"), data.get("amount")
        if amount is not None:
            if tier is not None and amount < tier.amount:
                self.add_error(
                    "amount",
                    _("This reward needs a pledge of at least %(amount)s.")
                    % {"amount": money_text(tier.amount, self.campaign.currency)},
                )
            elif amount < self.campaign.platform.min_pledge:
                self.add_error(
                    "amount",
                    _("The smallest pledge here is %(amount)s.")
                    % {"amount": money_text(self.campaign.platform.min_pledge, self.campaign.currency)},
                )
            elif data.get("source") == PaymentSource.WALLET and amount > self.wallet_balance:
                self.add_error("amount", _("Your wallet does not hold enough for this pledge."))
        # Said at the first step, not after the card is typed (the service refuses it anyway).
        if self.backer is not None and self.backer.pk == self.campaign.owner_id:
            self.add_error(None, _("You cannot back your own campaign."))
        return data


class PledgePayForm(forms.Form):
    """The confirm step: what was chosen travels in hidden fields, with a key that makes a double
    click (or a resent form) pledge once."""

    tier = forms.CharField(required=False, widget=forms.HiddenInput)
    amount = forms.CharField(widget=forms.HiddenInput)
    source = forms.CharField(widget=forms.HiddenInput)
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=120)
    show_name = forms.BooleanField(
        label=_("Show my name on the campaign's list of backers"),
        required=False,
        help_text=_("Otherwise you are listed as “Anonymous”. The amount is never shown. You can change this later."),
    )
    card = forms.CharField(
        label=_("Card number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "cc-number"}),
        help_text=_("Sandbox: 4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined."),
    )

    def __init__(self, *args, checkout: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if checkout:  # the card is entered on Stripe Checkout's page, never here
            del self.fields["card"]

    @staticmethod
    def new_key() -> str:
        return uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        if "card" in self.fields and data.get("source") == PaymentSource.CARD and not (data.get("card") or "").strip():
            self.add_error("card", _("Enter your card number."))
        return data
