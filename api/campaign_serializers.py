"""REST API v1 of platforms, categories and campaigns: what the views read and write (serializers)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.profile import display_name
from core.errors import ApplicationError
from core.money import MAX_AMOUNT
from platforms.calendars import local_moment, repeated_time_note
from platforms.models import Area, Category, FundingModel, Platform
from pledges.selectors import ORDERINGS
from projects.models import Campaign, CampaignStatus, CampaignUpdate, FinalReport, RewardTier, UpdateKind

from .base import MAX_ID

MAX_QUANTITY = 2_147_483_647  # PositiveIntegerField's ceiling


# --- output -----------------------------------------------------------------------------------


# A title is one line without bidi controls (projects.services.check_title says why precisely); the
# pattern puts the rule in the schema, so clients (and the schema fuzzer) know it.
ONE_LINE = RegexValidator(
    r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$",
    "A title is one line: no line breaks, tabs, control or bidi override characters.",
    code="title_control",
)


class CategorySerializer(serializers.ModelSerializer):
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "name_fa", "platform"]


class AreaSerializer(serializers.ModelSerializer):
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Area
        fields = ["slug", "name", "name_fa", "kind", "population", "platform"]
        read_only_fields = fields
        extra_kwargs = {"slug": {"help_text": "Unique within its platform: a campaign's `area`."}}


class PlatformSerializer(serializers.ModelSerializer):
    funding_models = serializers.ListField(child=serializers.ChoiceField(FundingModel.choices))
    weekend_days = serializers.ListField(child=serializers.IntegerField())
    categories = CategorySerializer(many=True, read_only=True)
    areas = AreaSerializer(many=True, read_only=True)

    class Meta:
        model = Platform
        fields = [
            "id",
            "slug",
            "name",
            "domain",
            "language",
            "currency",
            "time_zone",
            "holiday_country",
            "weekend_days",
            "funding_models",
            "allow_reward_tiers",
            "allow_free_amounts",
            "min_pledge",
            "success_threshold_percent",
            "fee_basis_points",
            "first_payout_percent",
            "payout_delay_working_days",
            "collection_mode",
            "refund_destination",
            "description",
            "categories",
            "areas",
        ]
        read_only_fields = fields


class TierSerializer(serializers.ModelSerializer):
    remaining = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Units left; null for an unlimited tier."
    )

    class Meta:
        model = RewardTier
        fields = [
            "id",
            "amount",
            "title",
            "description",
            "quantity_limit",
            "quantity_claimed",
            "remaining",
            "estimated_delivery",
            "ships",
        ]
        read_only_fields = fields


class UpdateSerializer(serializers.ModelSerializer):
    mailed = serializers.BooleanField(
        read_only=True,
        help_text="False when the campaign had e-mailed its backers its platform's `update_mails_per_week` "
        "times in the last 7 days: the update is posted, not e-mailed.",
    )

    class Meta:
        model = CampaignUpdate
        fields = ["id", "title", "body", "kind", "created_at", "mailed"]
        read_only_fields = fields


class SpendingLineSerializer(serializers.Serializer):
    item = serializers.CharField(max_length=200)
    amount = serializers.IntegerField(help_text="Minor units of the campaign's currency.")


class FinalReportSerializer(serializers.ModelSerializer):
    spending = SpendingLineSerializer(many=True)
    spending_total = serializers.IntegerField(read_only=True)

    class Meta:
        model = FinalReport
        fields = [
            "id",
            "campaign",
            "text",
            "spending",
            "spending_total",
            "status",
            "reason",
            "submitted_at",
            "reviewed_at",
        ]
        read_only_fields = fields


class CampaignListSerializer(serializers.ModelSerializer):
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    owner_name = serializers.SerializerMethodField(help_text="The owner's display name (never an e-mail address).")
    area: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The slug of the campaign's area (one of its platform's `areas`); null when it has none yet.",
    )
    area_name = serializers.CharField(source="area.name", read_only=True, allow_null=True, default=None)
    raised = serializers.IntegerField(
        read_only=True,
        help_text=("Minor units: paid and secured pledges; for a closed campaign, what it had raised at its deadline."),
    )
    backers = serializers.IntegerField(
        read_only=True, help_text=("Distinct backers of those pledges; for a closed campaign, at its deadline.")
    )

    def get_owner_name(self, campaign: Campaign) -> str:
        return display_name(campaign.owner)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "platform",
            "category",
            "category_name",
            "owner",
            "owner_name",
            "area",
            "area_name",
            "status",
            "funding_model",
            "goal",
            "raised",
            "backers",
            "currency",
            "starts_at",
            "deadline",
            "created_at",
        ]
        read_only_fields = fields


class GalleryPictureSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="image.url", read_only=True)
    alt = serializers.CharField(read_only=True, help_text="What the picture shows, for people who cannot see it.")
    position = serializers.IntegerField(read_only=True)
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)


class CampaignDetailSerializer(CampaignListSerializer):
    image = serializers.SerializerMethodField(help_text="The main picture's address, or null.")
    gallery = GalleryPictureSerializer(
        many=True, read_only=True, help_text="The gallery's pictures in their order (at most 8)."
    )
    video_url = serializers.CharField(
        read_only=True, help_text="The campaign's video: a YouTube, Vimeo or PeerTube address; empty for none."
    )
    video_embed = serializers.BooleanField(
        read_only=True,
        help_text="True: the site offers a privacy-respecting player (youtube-nocookie.com, Vimeo dnt=1), "
        "loaded only when the visitor clicks; false: a link to `video_url`.",
    )
    tiers = TierSerializer(many=True, read_only=True)
    updates = UpdateSerializer(many=True, read_only=True)
    final_report = serializers.SerializerMethodField(help_text="The approved final report, once public.")

    class Meta(CampaignListSerializer.Meta):
        fields = CampaignListSerializer.Meta.fields + [
            "story",
            "review_note",
            "closed_at",
            "raised_at_close",
            "collected",
            "fee_amount",
            "first_payout_amount",
            "held_amount",
            "first_payout_due",
            "tiers",
            "updates",
            "final_report",
            "image",
            "image_alt",
            "gallery",
            "video_url",
            "video_embed",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_image(self, campaign):
        return campaign.image.url if campaign.image else None

    @extend_schema_field(FinalReportSerializer(allow_null=True))
    def get_final_report(self, campaign):
        reports = getattr(campaign, "public_reports", None)
        if reports is None:
            reports = list(campaign.final_reports.filter(status="approved"))
        return FinalReportSerializer(reports[0]).data if reports else None


class CampaignWrittenSerializer(CampaignDetailSerializer):
    """The campaign as created or edited, and what the owner should know about the times they sent."""

    notices = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text=(
            "Sentences for the owner about how the request was read, e.g. which of two repeated local "
            "times (the clocks going back) a deadline without an offset was taken as; empty otherwise."
        ),
    )

    class Meta(CampaignDetailSerializer.Meta):
        fields = CampaignDetailSerializer.Meta.fields + ["notices"]
        read_only_fields = fields


# --- input ------------------------------------------------------------------------------------

LOCAL_TIME_RULE = (
    "ISO 8601. With an offset (`2027-03-28T12:00:00+03:30`, `2027-03-28T08:30:00Z`) it is that instant. "
    "Without one (`2027-03-28T12:00:00`) it is the platform's local time, in the platform's `time_zone`, "
    "as on the owner's form: a local time the clocks skip when they go forward does not exist and is "
    "refused (400, code `nonexistent_time`, with the reason); one they show twice when they go back is "
    "taken as the first of the two, and `notices` in the response says so (send the offset to choose)."
)


class PlatformLocalDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time. One without an offset stays a wall-clock time here: the serializer makes it
    an instant in the platform's time zone (`calendars.local_moment`) once it knows the platform."""

    def enforce_timezone(self, value):
        return super().enforce_timezone(value) if timezone.is_aware(value) else value


class CampaignEditSerializer(serializers.Serializer):
    """Times without an offset are read in the platform's time zone: the platform given (create) or
    the campaign's (edit, `context["platform"]`). After validation, `notices` holds what the owner
    should be told about them."""

    category = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all())
    title = serializers.CharField(max_length=200, allow_blank=True, validators=[ONE_LINE])
    story = serializers.CharField(allow_blank=True, trim_whitespace=False)
    area = serializers.SlugField(
        max_length=80,
        required=False,
        allow_null=True,
        help_text=(
            "The slug of one of the platform's areas (`GET /api/v1/platforms/<slug>/`: `areas`). Needed "
            "by submission on a platform that has areas; null clears it."
        ),
    )
    goal = serializers.IntegerField(help_text="Minor units of the platform's currency.")
    starts_at = PlatformLocalDateTimeField(
        required=False,
        help_text=(
            "When pledging opens; left out, or already past when an admin approves: at the approval. " + LOCAL_TIME_RULE
        ),
    )
    deadline = PlatformLocalDateTimeField(help_text=LOCAL_TIME_RULE)
    funding_model = serializers.ChoiceField(FundingModel.choices)
    video_url = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text="One video: a YouTube, Vimeo or PeerTube address (anything else: 400, code bad_video); "
        "empty removes it.",
    )
    video_embed = serializers.BooleanField(
        required=False,
        help_text="Offer the privacy-respecting player (YouTube and Vimeo only, loaded when the visitor "
        "clicks); otherwise the page links to the video.",
    )

    LABELS = {"starts_at": "Start", "deadline": "Deadline"}  # as on the owner's form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.notices: list[str] = []

    def validate(self, attrs):
        platform = attrs.get("platform") or self.context["platform"]
        for name, label in self.LABELS.items():
            value = attrs.get(name)
            if value is None or timezone.is_aware(value):
                continue
            try:
                attrs[name] = local_moment(value, platform.tz)
            except DjangoValidationError as exc:  # its own code (nonexistent_time), not DRF's "invalid"
                raise ApplicationError(exc.messages[0], code=exc.code, field=name) from None
            if note := repeated_time_note(attrs[name], platform.tz):
                self.notices.append(f"{_(label)}: {note}")
        if attrs.get("area") is not None:
            area = Area.objects.filter(platform=platform, slug=attrs["area"]).first()
            if area is None:
                raise ApplicationError("Choose an area of this platform.", field="area")
            attrs["area"] = area
        return super().validate(attrs)


class CampaignCreateSerializer(CampaignEditSerializer):
    platform = serializers.SlugRelatedField(slug_field="slug", queryset=Platform.objects.all())


class TierCreateSerializer(serializers.Serializer):
    amount = serializers.IntegerField(max_value=MAX_AMOUNT, help_text="Minor units.")
    title = serializers.CharField(max_length=200, validators=[ONE_LINE])
    description = serializers.CharField(allow_blank=True, required=False, default="")
    quantity_limit = serializers.IntegerField(required=False, allow_null=True, default=None, max_value=MAX_QUANTITY)
    estimated_delivery = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The estimated delivery month: any day of it (kept as the 1st). Required when `ships`.",
    )
    ships = serializers.BooleanField(
        required=False, default=False, help_text="A physical reward: its backers give a shipping address."
    )


class UpdateCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, validators=[ONE_LINE])
    body = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(
        UpdateKind.choices,
        required=False,
        default=UpdateKind.NEWS,
        help_text="`delivery`: news of the rewards' delivery, only on a campaign with a reward that ships; "
        "e-mailed to the backers of those rewards.",
    )


class UpdateFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(UpdateKind.choices, required=False, help_text="Only updates of this kind.")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        help_text="Why: required, not blank (the services refuse an empty reason, as the schema says). "
        "Public: the owner and the decision log show it."
    )
    private_note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="For the owner only; never public, never logged."
    )


class ReviewSerializer(ReasonSerializer):
    reason = serializers.CharField(
        help_text="Why, for everyone: required, not blank; it is shown in the public decision log."
    )
    private_note = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        write_only=True,
        help_text="Optional note only the owner (on their campaign's page) and staff see; never in the API's "
        "answers nor in the public decision log.",
    )


class StoryImageCreateSerializer(serializers.Serializer):
    image = serializers.FileField(
        help_text="A JPEG, PNG, WebP or GIF picture of at most 5 MB and 40 megapixels (multipart/form-data). "
        "It is checked by its content and re-encoded; anything else is refused (400, code invalid_image)."
    )
    alt = serializers.CharField(
        max_length=200, help_text="What the picture shows, for readers who cannot see it: required, one line."
    )


class GalleryPictureCreateSerializer(serializers.Serializer):
    image = serializers.FileField(
        help_text="JPEG, PNG, WebP or GIF; at least 320 × 180 pixels, at most 8000 on a side, 5 MB and 40 "
        "megapixels. Checked by its content and re-encoded (400, codes invalid_image, too_small, too_wide, "
        "too_large; gallery_full beyond 8 pictures)."
    )
    alt = serializers.CharField(max_length=200, help_text="What the picture shows (required, one line).")


class GalleryPictureMoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(
        [("up", "up"), ("down", "down")], help_text="up: one place earlier; down: one place later."
    )


class StoryImageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    url = serializers.CharField(source="image.url", read_only=True)
    alt = serializers.CharField(read_only=True)
    markdown = serializers.CharField(
        read_only=True, help_text="Paste this into the story or an update to show the picture."
    )


class ReportSubmitSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    spending = SpendingLineSerializer(many=True)


class CampaignFilterSerializer(serializers.Serializer):
    ORDERINGS = list(ORDERINGS)

    platform = serializers.SlugField(required=False, help_text="Platform slug.")
    category = serializers.SlugField(required=False, help_text="Category slug.")
    status = serializers.ChoiceField(CampaignStatus.choices, required=False)
    funding_model = serializers.ChoiceField(FundingModel.choices, required=False)
    area = serializers.SlugField(
        max_length=80, required=False, help_text="Area slug (on every platform that has an area of that slug)."
    )
    search = serializers.CharField(
        max_length=200, required=False, help_text="Words in the title, story or area name (English or Persian)."
    )
    mine = serializers.BooleanField(required=False, default=False, help_text="Only my own campaigns (any status).")
    endorser = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="Only campaigns this organisation (id) endorses (not withdrawn).",
    )
    ordering = serializers.ChoiceField(ORDERINGS, required=False, default="-created_at")
