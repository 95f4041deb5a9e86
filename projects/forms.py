"""Forms of the citizen site for campaigns: browsing, drafting, tiers, updates and final reports.
They only check and convert what a person typed; the rules live in projects.services."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicfund.forms import AmountField, amount_parse

from . import labels
from .models import Campaign, Category, Platform


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    platform = forms.ChoiceField(label=_("Platform"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    region = forms.ChoiceField(label=_("Region or province"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    funding_model = forms.ChoiceField(label=_("Funding model"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("newest", _("Newest")), ("ending", _("Ending soon")), ("funded", _("Most funded"))])

    def __init__(self, *args, platforms, categories, regions, fixed_platform=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .templatetags.civic import category_name, platform_text

        any_ = [("", _("Any"))]
        if fixed_platform is not None:
            del self.fields["platform"]
        else:
            self.fields["platform"].choices = any_ + [(p.slug, platform_text(p.name)) for p in platforms]
        seen, cats = set(), []
        for c in categories:
            if c.slug not in seen:
                seen.add(c.slug)
                cats.append((c.slug, category_name(c)))
        self.fields["category"].choices = any_ + cats
        self.fields["region"].choices = any_ + [(r, r) for r in regions]
        self.fields["state"].choices = any_ + [(k, v[0]) for k, v in labels.STATES.items()]
        self.fields["funding_model"].choices = any_ + list(labels.FUNDING_MODEL.items())


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CampaignForm(forms.Form):
    """Step 1 of a draft: the story and the terms. Times are in the platform's time zone."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    region = forms.CharField(label=_("Region or province"), max_length=100, required=False)
    story = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 10}),
                            help_text=_("Markdown: **bold**, *italic*, lists and links. HTML is shown as text."))
    goal = AmountField(label=_("Goal"))
    deadline = forms.DateTimeField(label=_("Deadline"), widget=DateTimeLocalInput(),
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"])
    funding_model = forms.ChoiceField(label=_("Funding model"))

    def __init__(self, *args, platform: Platform, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform = platform
        from .templatetags.civic import category_name

        self.fields["category"].queryset = platform.categories.all()
        self.fields["category"].label_from_instance = category_name
        self.fields["goal"].currency = platform.currency
        self.fields["goal"].help_text = _("In %(currency)s.") % {"currency": platform.currency}
        self.fields["funding_model"].choices = [(m, labels.funding_model(m)) for m in platform.funding_models]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."), code="past")
        return deadline

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        from .templatetags.civic import major_units

        return {"title": campaign.title, "category": campaign.category_id, "region": campaign.region,
                "story": campaign.story, "goal": major_units(campaign.goal, campaign.currency),
                "deadline": timezone.localtime(campaign.deadline, campaign.platform.tz).replace(tzinfo=None),
                "funding_model": campaign.funding_model}


class TierForm(forms.Form):
    title = forms.CharField(label=_("Reward"), max_length=200)
    amount = AmountField(label=_("Pledge amount"))
    description = forms.CharField(label=_("What the backer gets"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    quantity_limit = forms.IntegerField(label=_("How many (empty: unlimited)"), required=False, min_value=1,
                                        max_value=1_000_000)
    estimated_delivery = forms.DateField(label=_("Estimated delivery"), required=False,
                                         widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency


class UpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class ReportForm(forms.Form):
    text = forms.CharField(label=_("What was done with the money"), widget=forms.Textarea(attrs={"rows": 8}))
    spending = forms.CharField(
        label=_("Spending, one line each: item: amount"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Equipment: 1500000"}))

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_spending(self):
        rows = []
        for number, line in enumerate((self.cleaned_data.get("spending") or "").splitlines(), start=1):
            if not line.strip():
                continue
            item, sep, amount = line.rpartition(":")
            if not sep or not item.strip():
                raise forms.ValidationError(_("Line %(n)s: write it as “item: amount”.") % {"n": number})
            try:
                rows.append({"item": item.strip(), "amount": amount_parse(amount, self.currency)})
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(n)s: %(error)s") % {"n": number, "error": " ".join(exc.messages)}) from None
        return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
