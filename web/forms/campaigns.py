"""Forms of the citizen site for campaigns: browsing, drafting, tiers, updates and final reports.
They only check and convert what a person typed; the rules live in projects.services."""

from __future__ import annotations

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import money
from core.errors import ApplicationError
from core.money import amount_parse, currency_unit, major_units, money_text
from core.text import digits
from platforms.calendars import repeated_time_note
from platforms.models import Area, AreaKind, Category, FundingModel, Platform
from pledges.selectors import STATES
from projects import pictures
from projects.models import Campaign, RewardTier, UpdateKind
from web import labels
from web.forms.dates import PlatformDateTimeField, PlatformMonthField, is_persian
from web.forms.fields import AmountField, QuickSelect
from web.templatetags.civic import area_name, category_name, platform_text


def area_label(areas) -> str:
    """The word for the areas of a list: "Province" when all are provinces, "Ward" when all are wards,
    "Area" when they are of several kinds."""
    kinds = {a.kind for a in areas}
    if len(kinds) == 1 and (kind := kinds.pop()) != AreaKind.OTHER:
        return str(AreaKind(kind).label)
    return str(_("Area"))


class BrowseForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    platform = forms.ChoiceField(label=_("Platform"), required=False, widget=QuickSelect)
    category = forms.ChoiceField(label=_("Category"), required=False, widget=QuickSelect)
    area = forms.ChoiceField(label=_("Area"), required=False, widget=QuickSelect)
    state = forms.ChoiceField(label=_("State"), required=False, widget=QuickSelect)
    funding_model = forms.ChoiceField(label=_("Funding model"), required=False, widget=QuickSelect)
    endorser = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=QuickSelect,
        choices=[("newest", _("Newest")), ("ending", _("Ending soon")), ("funded", _("Most funded"))],
    )

    def __init__(self, *args, platforms, categories, areas, fixed_platform=None, **kwargs):
        super().__init__(*args, **kwargs)
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
        places = {a.slug: area_name(a) for a in areas}  # one choice per slug (several platforms' Tehran)
        self.fields["area"].choices = any_ + sorted(places.items(), key=lambda choice: choice[1])
        self.fields["area"].label = area_label(areas)
        self.fields["state"].choices = any_ + [(state, labels.STATE_LABELS[state]) for state in STATES]
        self.fields["funding_model"].choices = any_ + list(FundingModel.choices)


IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}
IMAGE_MAX_BYTES = pictures.IMAGE_MAX_BYTES
IMAGE_MAX_PIXELS = pictures.IMAGE_MAX_PIXELS
# What owners are told about a campaign's pictures (projects.pictures holds the limits).
PICTURE_HELP = _(
    "JPEG, PNG, WebP or GIF; at least 320 × 180 pixels, at most 8000 pixels on a side and 5 MB. "
    "Wide pictures (16:9) fill the space best."
)


class CampaignImageField(forms.ImageField):
    """A JPEG, PNG, WebP or GIF of at most 5 MB, checked by opening it with Pillow (not by its name)."""

    default_error_messages = {
        "invalid_image": _("Upload a picture in JPEG, PNG, WebP or GIF format; this file is not one."),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if getattr(data, "size", 0) > IMAGE_MAX_BYTES:
            raise forms.ValidationError(_("The picture is too large: at most 5 MB."), code="too_large")
        f = super().to_python(data)
        image = f.image
        if image.format not in IMAGE_TYPES:
            raise forms.ValidationError(self.error_messages["invalid_image"], code="invalid_image")
        if image.width * image.height > IMAGE_MAX_PIXELS:
            raise forms.ValidationError(_("The picture has too many pixels: at most 40 megapixels."), code="too_large")
        return f


class CampaignPictureField(CampaignImageField):
    """A campaign's main or gallery picture: as CampaignImageField, and of the dimensions
    projects.pictures accepts (the owner is told them in PICTURE_HELP)."""

    def to_python(self, data):
        f = super().to_python(data)
        if f is not None:
            try:
                pictures.picture_size_check(f.image.width, f.image.height)
            except ApplicationError as exc:
                raise forms.ValidationError(labels.error_text(exc), code=exc.code) from None
        return f


class CampaignForm(forms.Form):
    """Step 1 of a draft: the story and the terms. Times are in the platform's time zone, typed as
    Jalali dates on a Persian page and Gregorian ones on an English page."""

    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.none(), required=False)
    story = forms.CharField(
        label=_("Story"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Markdown: **bold**, *italic*, lists and links. HTML is shown as text."),
    )
    image = CampaignPictureField(
        label=_("Picture"),
        required=False,
        help_text=PICTURE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": pictures.ACCEPT}),
    )
    image_alt = forms.CharField(
        label=_("What the picture shows"),
        max_length=200,
        required=False,
        help_text=_("Read out to people who cannot see the picture."),
    )
    video_url = forms.CharField(
        label=_("Video (optional)"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"dir": "ltr", "placeholder": "https://www.youtube.com/watch?v=…"}),
        help_text=_("The address of one video on YouTube, Vimeo or a PeerTube server."),
    )
    video_embed = forms.BooleanField(
        label=_("Show the YouTube or Vimeo player on the page"),
        required=False,
        help_text=_(
            "Loaded only when a visitor clicks it, from youtube-nocookie.com or Vimeo without tracking. "
            "Otherwise, and always for PeerTube, the page shows a link to the video."
        ),
    )
    goal = AmountField(label=_("Goal"))
    starts_at = PlatformDateTimeField(
        label=_("Start"), required=False, help_text=_("Empty: as soon as the campaign is approved.")
    )
    deadline = PlatformDateTimeField(label=_("Deadline"))
    funding_model = forms.ChoiceField(label=_("Funding model"))

    def __init__(self, *args, platform: Platform, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.platform, self.campaign = platform, campaign
        self.fields["category"].queryset = platform.categories.all()
        self.fields["category"].label_from_instance = category_name
        areas = sorted(platform.areas.all(), key=area_name)
        if areas:
            self.fields["area"].queryset = platform.areas.all()
            self.fields["area"].choices = [("", "---------")] + [(a.pk, area_name(a)) for a in areas]
            self.fields["area"].required = True
            self.fields["area"].label = area_label(areas)
            self.fields["area"].help_text = _("Where the campaign's project is; the platform's statistics count by it.")
        else:
            del self.fields["area"]
        self.fields["goal"].currency = platform.currency
        self.fields["goal"].help_text = _("In %(currency)s.") % {"currency": currency_unit(platform.currency)}
        self.fields["funding_model"].choices = [(m, labels.funding_model(m)) for m in platform.funding_models]
        jalali = is_persian()
        for name in ("starts_at", "deadline"):
            self.fields[name].setup(tz=platform.tz, jalali=jalali, month_first=platform.holiday_country == "US")

    def clean_video_url(self):
        text = (self.cleaned_data.get("video_url") or "").strip()
        if text:
            try:
                return pictures.video_parse(text).url
            except ApplicationError as exc:
                raise forms.ValidationError(labels.error_text(exc), code=exc.code) from None
        return ""

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline is not None and deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."), code="past")
        return deadline

    def clean(self):
        data = super().clean()
        starts_at, deadline = data.get("starts_at"), data.get("deadline")
        if starts_at and deadline and deadline <= starts_at:
            self.add_error(
                "deadline", forms.ValidationError(_("The deadline must come after the start."), code="before_start")
            )
        has_image = bool(data.get("image")) or (
            self.campaign is not None and self.campaign.image and data.get("image") is not False
        )
        if has_image and not (data.get("image_alt") or "").strip() and "image" not in self.errors:
            self.add_error(
                "image_alt",
                forms.ValidationError(
                    _("Describe the picture in a few words, for people who cannot see it."), code="required"
                ),
            )
        return data

    def time_notes(self) -> list[str]:
        """What the owner should know about the times they typed: which of two repeated local times
        was taken (`calendars.repeated_time_note`)."""
        return [
            f"{self.fields[name].label}: {note}"
            for name in ("starts_at", "deadline")
            if self.cleaned_data.get(name) and (note := repeated_time_note(self.cleaned_data[name], self.platform.tz))
        ]

    def service_fields(self) -> dict:
        """The cleaned data as campaign_create/campaign_edit take it: an unchanged picture or start is left
        out, a cleared picture is ""."""
        data = dict(self.cleaned_data)
        if data.get("image") is None:
            data.pop("image", None)
        elif data["image"] is False:
            data["image"], data["image_alt"] = "", ""
        if data.get("starts_at") is None:
            data.pop("starts_at", None)
        return data

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        return {
            "title": campaign.title,
            "category": campaign.category_id,
            "area": campaign.area_id,
            "story": campaign.story,
            "goal": major_units(campaign.goal, campaign.currency),
            "image": campaign.image or None,
            "image_alt": campaign.image_alt,
            "video_url": campaign.video_url,
            "video_embed": campaign.video_embed,
            # A start already past means "as soon as approved": the field shows empty, as it was typed.
            "starts_at": campaign.starts_at if campaign.starts_at > timezone.now() else None,
            "deadline": campaign.deadline,
            "funding_model": campaign.funding_model,
        }


def request_key_new() -> str:
    return uuid.uuid4().hex


class OnceForm(forms.Form):
    """An owner form that is done once however often it is sent: each page view gives it a fresh key
    (hidden), which the service stores on the row it adds, unique per campaign (pledges' request_key
    does the same). A post without a key (an old page) is done each time, as before."""

    request_key = forms.CharField(widget=forms.HiddenInput, max_length=120, required=False, initial=request_key_new)

    def clean_request_key(self):
        return self.cleaned_data.get("request_key") or None


class TierForm(OnceForm):
    title = forms.CharField(label=_("Reward"), max_length=200)
    amount = AmountField(label=_("Pledge amount"))
    description = forms.CharField(
        label=_("What the backer gets"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    quantity_limit = forms.IntegerField(
        label=_("How many (empty: unlimited)"), required=False, min_value=1, max_value=1_000_000
    )
    estimated_delivery = PlatformMonthField(
        label=_("Estimated delivery month"),
        required=False,
        help_text=_("Required for a reward that ships. The promise is kept if it arrives by the month's last day."),
    )
    ships = forms.BooleanField(label=_("A physical reward we ship: backers give a shipping address"), required=False)

    def __init__(self, *args, currency: str, goal: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].currency = currency
        self.fields["estimated_delivery"].setup(jalali=is_persian())
        if goal is not None:  # the bound projects.services applies, said before it refuses
            self.fields["amount"].help_text = _("At most the campaign's goal, %(goal)s.") % {
                "goal": money_text(goal, currency)
            }

    @classmethod
    def initial_for(cls, tier: RewardTier, currency: str) -> dict:
        return {
            "title": tier.title,
            "amount": major_units(tier.amount, currency),
            "description": tier.description,
            "quantity_limit": tier.quantity_limit,
            "estimated_delivery": tier.estimated_delivery,
        }


class StoryImageForm(forms.Form):
    """A picture for the story or an update, with its alt text (checked again and re-encoded by
    projects.services.story_image_add)."""

    image = CampaignImageField(label=_("Picture"))
    alt = forms.CharField(label=_("What the picture shows (for readers who cannot see it)"), max_length=200, strip=True)


class GalleryPictureForm(forms.Form):
    """A picture added to the campaign's gallery, with its alt text (checked again and re-encoded by
    projects.gallery.campaign_picture_add). Prefixed, beside the story pictures' form on one page."""

    prefix = "gallery"
    image = CampaignPictureField(
        label=_("Picture"), help_text=PICTURE_HELP, widget=forms.ClearableFileInput(attrs={"accept": pictures.ACCEPT})
    )
    alt = forms.CharField(label=_("What the picture shows (for people who cannot see it)"), max_length=200, strip=True)


class UpdateForm(OnceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    kind = forms.ChoiceField(
        label=_("Kind of update"),
        choices=UpdateKind.choices,
        initial=UpdateKind.NEWS,
        widget=forms.RadioSelect,
        help_text=_(
            "Delivery news (making, shipping, delays) is marked as such and e-mailed to the backers of "
            "rewards that ship."
        ),
    )

    def __init__(self, *args, ships: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ships:  # only campaigns with rewards that ship post delivery news
            del self.fields["kind"]


class ReportForm(OnceForm):
    text = forms.CharField(label=_("What was done with the money"), widget=forms.Textarea(attrs={"rows": 8}))
    spending = forms.CharField(
        label=_("Spending, one line each: item: amount"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, currency: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.currency = currency
        example = "1500000" if money.exponent(currency) == 0 else "1500.00"
        self.fields["spending"].widget.attrs["placeholder"] = _("Equipment: %(amount)s") % {"amount": digits(example)}

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        """Filing again after a rejection starts from the rejected report: its text and its spending
        lines as the owner typed them ("item: amount"). Reads the campaign's prefetched reports."""
        latest = next(iter(campaign.final_reports.all()), None)
        if campaign.status != "report_rejected" or latest is None or latest.status != "rejected":
            return {}
        lines = [
            f"{' '.join(str(row['item']).split())}: {major_units(row['amount'], campaign.currency)}"
            for row in latest.spending
        ]
        return {"text": latest.text, "spending": "\n".join(lines)}

    def clean_spending(self):
        rows = []
        for number, line in enumerate((self.cleaned_data.get("spending") or "").splitlines(), start=1):
            if not line.strip():
                continue
            item, sep, amount = line.rpartition(":")
            if not sep or not item.strip():
                raise forms.ValidationError(_("Line %(n)s: write it as “item: amount”.") % {"n": digits(number)})
            try:
                rows.append({"item": item.strip(), "amount": amount_parse(amount, self.currency)})
            except forms.ValidationError as exc:
                raise forms.ValidationError(
                    _("Line %(n)s: %(error)s") % {"n": digits(number), "error": " ".join(exc.messages)}
                ) from None
        return rows


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
