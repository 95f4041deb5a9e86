"""The owner's bank details (where payouts and withdrawals are sent)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from web.forms.fields import AmountField


class BankDetailsForm(forms.Form):
    holder_name = forms.CharField(label=_("Account holder's name"), max_length=140)
    iban = forms.CharField(
        label=_("IBAN"),
        required=False,
        max_length=50,
        help_text=_("For platforms in pounds, e.g. GB82 WEST 1234 5698 7654 32."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
    )
    sheba = forms.CharField(
        label=_("Sheba number"),
        required=False,
        max_length=50,
        help_text=_("For the Iranian platforms: IR followed by 24 digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr", "spellcheck": "false"}),
    )


class WithdrawalForm(forms.Form):
    """How much of one wallet to pay to the bank; the hidden key makes a double click ask once."""

    request_key = forms.CharField(widget=forms.HiddenInput, max_length=64, initial=lambda: uuid.uuid4().hex)

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"] = AmountField(label=_("Amount to withdraw"), currency=currency)
