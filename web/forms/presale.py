"""Forms of pre-sale trust. They only check and convert what a person typed; the rules live in presale."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from core.text import is_fa
from presale.models import ClaimGround
from web.forms.dates import PlatformDateField
from web.forms.fields import AmountField


class GuaranteeForm(forms.Form):
    issuer = forms.CharField(label=_("Issuer (bank or fund)"), max_length=200)
    reference = forms.CharField(label=_("Guarantee reference"), max_length=120)
    amount = AmountField(label=_("Amount guaranteed"))
    currency = forms.CharField(label=_("Currency"), max_length=3)
    expires_on = PlatformDateField(label=_("Valid until"))
    document = forms.FileField(label=_("Scanned guarantee (PDF or picture, seen by staff only)"))

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency
        self.fields["currency"].initial = currency
        # A day, typed as the page writes dates (Jalali on a Persian page), not the browser's picker.
        self.fields["expires_on"].setup(tz=zoneinfo.ZoneInfo("UTC"), jalali=is_fa())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one input (the rules on them, their number and content, are presale's)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(EvidenceField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class ClaimForm(forms.Form):
    ground = forms.ChoiceField(label=_("What is wrong"), widget=forms.RadioSelect)
    amount = AmountField(label=_("Amount you claim"))
    description = forms.CharField(label=_("Describe what happened"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = EvidenceField(
        label=_("Evidence (pictures or PDF, up to five; seen only by you, the owner and staff)"), required=False
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency
        self.fields["ground"].choices = ClaimGround.choices


class ClaimAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 5}))


class ClaimDecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[("accept", _("Accept in full")), ("partly", _("Accept in part")), ("reject", _("Reject"))],
    )
    accepted_amount = AmountField(label=_("Amount accepted (when accepted in part)"), required=False)
    reason = forms.CharField(
        label=_("Reason (shown to the backer and in the public decision log)"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accepted_amount"].currency = currency


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
