"""Forms of pre-sale trust. They only check and convert what a person typed; the rules live in presale."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from web.forms.fields import AmountField


class GuaranteeForm(forms.Form):
    issuer = forms.CharField(label=_("Issuer (bank or fund)"), max_length=200)
    reference = forms.CharField(label=_("Guarantee reference"), max_length=120)
    amount = AmountField(label=_("Amount guaranteed"))
    currency = forms.CharField(label=_("Currency"), max_length=3)
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}))
    document = forms.FileField(label=_("Scanned guarantee (PDF or picture, seen by staff only)"))

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency
        self.fields["currency"].initial = currency
