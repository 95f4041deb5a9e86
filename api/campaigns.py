"""REST API v1 of platforms, categories and campaigns: serializers and thin views over
`projects.selectors` (reads) and `projects.services` (every rule and state change)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import status_filtered
from core.errors import ApplicationError
from core.money import MAX_AMOUNT
from funding.services import report_approve
from platforms.calendars import local_moment, repeated_time_note
from platforms.models import Category, FundingModel, Platform
from platforms.selectors import categories_all, platforms_with_categories
from pledges.selectors import ORDERINGS, campaigns_browse, campaigns_visible_to
from projects import services
from projects.models import Campaign, CampaignStatus, CampaignUpdate, FinalReport, ReportStatus, RewardTier
from projects.selectors import campaign_detail_prefetch, final_reports_visible_to

MAX_QUANTITY = 2_147_483_647  # PositiveIntegerField's ceiling


# --- output -----------------------------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "name_fa", "platform"]


class PlatformSerializer(serializers.ModelSerializer):
    funding_models = serializers.ListField(child=serializers.ChoiceField(FundingModel.choices))
    weekend_days = serializers.ListField(child=serializers.IntegerField())
    categories = CategorySerializer(many=True, read_only=True)

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
        ]
        read_only_fields = fields


class UpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignUpdate
        fields = ["id", "title", "body", "created_at"]
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
    raised = serializers.IntegerField(
        read_only=True,
        help_text=("Minor units: paid and secured pledges; for a closed campaign, what it had raised at its deadline."),
    )
    backers = serializers.IntegerField(
        read_only=True, help_text=("Distinct backers of those pledges; for a closed campaign, at its deadline.")
    )

    class Meta:
        model = Campaign
        fields = [
            "id",
            "title",
            "platform",
            "category",
            "category_name",
            "owner",
            "region",
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


class CampaignDetailSerializer(CampaignListSerializer):
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
        ]
        read_only_fields = fields

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
    title = serializers.CharField(max_length=200, allow_blank=True)
    story = serializers.CharField(allow_blank=True, trim_whitespace=False)
    region = serializers.CharField(max_length=100, allow_blank=True, required=False)
    goal = serializers.IntegerField(help_text="Minor units of the platform's currency.")
    starts_at = PlatformLocalDateTimeField(
        required=False,
        help_text=(
            "When pledging opens; left out, or already past when an admin approves: at the approval. " + LOCAL_TIME_RULE
        ),
    )
    deadline = PlatformLocalDateTimeField(help_text=LOCAL_TIME_RULE)
    funding_model = serializers.ChoiceField(FundingModel.choices)

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
        return super().validate(attrs)


class CampaignCreateSerializer(CampaignEditSerializer):
    platform = serializers.SlugRelatedField(slug_field="slug", queryset=Platform.objects.all())


class TierCreateSerializer(serializers.Serializer):
    amount = serializers.IntegerField(max_value=MAX_AMOUNT, help_text="Minor units.")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    quantity_limit = serializers.IntegerField(required=False, allow_null=True, default=None, max_value=MAX_QUANTITY)
    estimated_delivery = serializers.DateField(required=False, allow_null=True, default=None)


class UpdateCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class ReportSubmitSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    spending = SpendingLineSerializer(many=True)


class CampaignFilterSerializer(serializers.Serializer):
    ORDERINGS = list(ORDERINGS)

    platform = serializers.SlugField(required=False, help_text="Platform slug.")
    category = serializers.SlugField(required=False, help_text="Category slug.")
    status = serializers.ChoiceField(CampaignStatus.choices, required=False)
    funding_model = serializers.ChoiceField(FundingModel.choices, required=False)
    region = serializers.CharField(max_length=100, required=False)
    search = serializers.CharField(max_length=200, required=False, help_text="Words in the title, story or region.")
    mine = serializers.BooleanField(required=False, default=False, help_text="Only my own campaigns (any status).")
    ordering = serializers.ChoiceField(ORDERINGS, required=False, default="-created_at")


# --- views ------------------------------------------------------------------------------------


def campaign_for(request, pk: int) -> Campaign:
    """A campaign the user may see, or 404: another owner's draft does not exist for you."""
    return get_object_or_404(campaigns_visible_to(request.user), pk=pk)


def campaign_response(
    request, pk: int, code: int = status.HTTP_200_OK, *, notices: list[str] | None = None
) -> Response:
    """The campaign's detail; with `notices` (a create or an edit), as `CampaignWrittenSerializer`."""
    campaign = get_object_or_404(campaign_detail_prefetch(campaigns_visible_to(request.user)), pk=pk)
    if notices is None:
        return Response(CampaignDetailSerializer(campaign).data, status=code)
    campaign.notices = notices  # type: ignore[attr-defined]  # read by CampaignWrittenSerializer
    return Response(CampaignWrittenSerializer(campaign).data, status=code)


@extend_schema(tags=["platforms"])
class PlatformListView(generics.ListAPIView):
    """Every platform of the deployment, with its rules and categories."""

    permission_classes = [AllowAny]
    serializer_class = PlatformSerializer
    pagination_class = None
    queryset = platforms_with_categories()


@extend_schema(tags=["platforms"])
class PlatformDetailView(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = PlatformSerializer
    queryset = platforms_with_categories()
    lookup_field = "slug"


class CategoryFilterSerializer(serializers.Serializer):
    platform = serializers.SlugField(required=False, help_text="Platform slug.")


@extend_schema(tags=["platforms"], parameters=[CategoryFilterSerializer])
class CategoryListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    pagination_class = None

    def get_queryset(self):
        params = CategoryFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return categories_all(params.validated_data.get("platform", ""))


class CampaignListView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CampaignListSerializer

    def get_queryset(self):
        params = CampaignFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        return campaigns_browse(  # the browse page's selector, with the API's filters
            viewer=self.request.user,
            mine=f["mine"],
            platform=f.get("platform", ""),
            category=f.get("category", ""),
            status=f.get("status", ""),
            funding_model=f.get("funding_model", ""),
            region=f.get("region", ""),
            words=f.get("search", ""),
            sort=f["ordering"],
        )

    @extend_schema(
        tags=["campaigns"],
        parameters=[CampaignFilterSerializer],
        summary="List campaigns (public ones, plus your own and, for staff, all)",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["campaigns"],
        request=CampaignCreateSerializer,
        responses={201: CampaignWrittenSerializer},
        summary="Create a draft campaign",
    )
    def post(self, request):
        serializer = CampaignCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = services.campaign_create(owner=request.user, **serializer.validated_data)
        return campaign_response(request, campaign.pk, status.HTTP_201_CREATED, notices=serializer.notices)


class CampaignDetailView(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=["campaigns"],
        responses=CampaignDetailSerializer,
        summary="A campaign with its totals, tiers, updates and public final report",
    )
    def get(self, request, pk: int):
        return campaign_response(request, pk)

    @extend_schema(
        tags=["campaigns"],
        request=CampaignEditSerializer(partial=True),
        responses=CampaignWrittenSerializer,
        summary="Edit your draft campaign",
    )
    def patch(self, request, pk: int):
        campaign = campaign_for(request, pk)
        serializer = CampaignEditSerializer(data=request.data, partial=True, context={"platform": campaign.platform})
        serializer.is_valid(raise_exception=True)
        services.campaign_edit(campaign=campaign, user=request.user, **serializer.validated_data)
        return campaign_response(request, pk, notices=serializer.notices)


class TierCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["campaigns"],
        request=TierCreateSerializer,
        responses={201: TierSerializer},
        summary="Add a reward tier to your draft",
    )
    def post(self, request, pk: int):
        campaign = campaign_for(request, pk)
        tier = services.tier_add(campaign=campaign, user=request.user, **_valid(TierCreateSerializer, request))
        return Response(TierSerializer(tier).data, status=status.HTTP_201_CREATED)


class CampaignSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["campaigns"], request=None, responses=CampaignDetailSerializer, summary="Submit your draft for review"
    )
    def post(self, request, pk: int):
        services.campaign_submit(campaign=campaign_for(request, pk), user=request.user)
        return campaign_response(request, pk)


class CampaignApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["review"],
        request=None,
        responses=CampaignDetailSerializer,
        summary="Staff: approve a submitted campaign (it goes live)",
    )
    def post(self, request, pk: int):
        services.campaign_approve(campaign=campaign_for(request, pk), admin=request.user)
        return campaign_response(request, pk)


class CampaignSendBackView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["review"],
        request=ReasonSerializer,
        responses=CampaignDetailSerializer,
        summary="Staff: send a submitted campaign back to its owner, with the reason",
    )
    def post(self, request, pk: int):
        campaign = campaign_for(request, pk)
        services.campaign_send_back(campaign=campaign, admin=request.user, **_valid(ReasonSerializer, request))
        return campaign_response(request, pk)


class UpdateListCreateView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = UpdateSerializer

    def get_queryset(self):
        return campaign_for(self.request, self.kwargs["pk"]).updates.all()

    @extend_schema(tags=["campaigns"], summary="A campaign's updates, newest first")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["campaigns"],
        request=UpdateCreateSerializer,
        responses={201: UpdateSerializer},
        summary="Post an update on your campaign",
    )
    def post(self, request, pk: int):
        update = services.update_post(
            campaign=campaign_for(request, pk), user=request.user, **_valid(UpdateCreateSerializer, request)
        )
        return Response(UpdateSerializer(update).data, status=status.HTTP_201_CREATED)


class ReportSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        request=ReportSubmitSerializer,
        responses={201: FinalReportSerializer},
        summary="File (or after a rejection, file again) your campaign's final report",
    )
    def post(self, request, pk: int):
        report = services.report_submit(
            campaign=campaign_for(request, pk), user=request.user, **_valid(ReportSubmitSerializer, request)
        )
        return Response(FinalReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportStatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(ReportStatus.choices, required=False)


@extend_schema(
    tags=["reports"],
    parameters=[ReportStatusFilterSerializer],
    summary="Final reports: staff see all, owners those of their campaigns",
)
class ReportListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = FinalReportSerializer

    def get_queryset(self):
        return status_filtered(final_reports_visible_to(self.request.user), self.request, ReportStatusFilterSerializer)


def report_for(request, pk: int) -> FinalReport:
    return get_object_or_404(final_reports_visible_to(request.user), pk=pk)


class ReportApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        request=None,
        responses=FinalReportSerializer,
        summary="Staff: approve a final report (releases the held part)",
    )
    def post(self, request, pk: int):
        report = report_approve(report=report_for(request, pk), admin=request.user)
        return Response(FinalReportSerializer(report).data)


class ReportRejectView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["reports"],
        request=ReasonSerializer,
        responses=FinalReportSerializer,
        summary="Staff: reject a final report, with the reason",
    )
    def post(self, request, pk: int):
        report = services.report_reject(
            report=report_for(request, pk), admin=request.user, **_valid(ReasonSerializer, request)
        )
        return Response(FinalReportSerializer(report).data)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
