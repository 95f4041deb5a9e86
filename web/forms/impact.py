"""Forms of accountability: the decision log's filters, the owner's indicators, upkeep plan, final
report's extras and follow-ups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from decisions.kinds import kind_label
from impact.models import AssetStatus
from web.forms.campaigns import ReportForm


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern); their checks are the service's."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FinalReportForm(ReportForm):
    """The final report with its receipts and photos and, per impact indicator, what was achieved."""

    attachments = MultipleFileField(label=_("Receipts and photos (pictures or PDF, up to 5 MB each)"), required=False)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for i in self.indicators:
            self.fields[f"achieved_{i.pk}"] = forms.IntegerField(
                label=_("Achieved: %(name)s (%(unit)s), target %(target)s")
                % {"name": i.name, "unit": i.unit, "target": i.target},
                min_value=0,
            )
            self.fields[f"evidence_{i.pk}"] = forms.CharField(
                label=_("Evidence for %(name)s") % {"name": i.name},
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "spending": data["spending"],
            "request_key": data.get("request_key"),
            "attachments": [(f, "") for f in data.get("attachments") or []],
            "achieved": {i.pk: (data[f"achieved_{i.pk}"], data.get(f"evidence_{i.pk}") or "") for i in self.indicators},
        }
