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


class ShipForm(forms.Form):
    pledge = forms.IntegerField(label=_("Pledge"), min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)
    tracking_reference = forms.CharField(label=_("Tracking reference"), max_length=120, required=False)


class ShipCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file of pledge ids and tracking references"),
        help_text=_("One line per reward: pledge_id,tracking_reference. A header line is allowed."),
    )


class ProblemForm(forms.Form):
    problem = forms.CharField(label=_("What is wrong?"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ShippingAddressForm(forms.Form):
    """Where a reward that ships is sent (prefix "ship" on the confirm step). Private to the campaign's
    owner and the platform's staff."""

    recipient = forms.CharField(
        label=_("Recipient's name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    city = forms.CharField(
        label=_("City"), max_length=80, widget=forms.TextInput(attrs={"autocomplete": "address-level2"})
    )
    region = forms.CharField(
        label=_("Province or region"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level1"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=20, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    country = forms.CharField(
        label=_("Country (two-letter code)"),
        max_length=2,
        min_length=2,
        widget=forms.TextInput(attrs={"autocomplete": "country"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, country: str = "", **kwargs):
        kwargs.setdefault("prefix", "ship")
        super().__init__(*args, **kwargs)
        self.fields["country"].initial = country
