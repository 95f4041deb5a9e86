"""Forms of accountability: the decision log's filters, the owner's indicators, upkeep plan, final
report's extras and follow-ups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.kinds import kind_label
from impact.models import AssetStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DecisionFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), required=False)
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, kinds, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        self.fields["kind"].choices = any_ + [(k, kind_label(k)) for k in kinds]
        self.fields["campaign"].choices = any_ + [(c.pk, c.title) for c in campaigns]


class IndicatorForm(forms.Form):
    standard = forms.TypedChoiceField(label=_("From the platform's list"), required=False, coerce=int, empty_value=None)
    name = forms.CharField(label=_("Or your own: name"), required=False, max_length=120)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    target = forms.IntegerField(label=_("Target"), min_value=1)

    def __init__(self, *args, standards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", "—")] + [(s.pk, f"{s.name} ({s.unit})") for s in standards]


class UpkeepForm(forms.Form):
    creates_asset = forms.BooleanField(label=_("This campaign creates an asset that needs upkeep"), required=False)
    maintainer = forms.CharField(label=_("Who maintains it"), required=False, max_length=200)
    months = forms.IntegerField(label=_("For how many months"), required=False, min_value=1, max_value=600)
    funding = forms.CharField(label=_("With what money"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("The asset is"), choices=AssetStatus.choices)
    text = forms.CharField(label=_("How it is doing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
