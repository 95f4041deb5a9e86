"""REST API v1 of platforms, categories and campaigns: thin views over the selectors (reads) and
`projects.services` (every rule and state change); the serializers are in api.campaign_serializers."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import query_params, status_filtered
from funding.services import report_approve
from partners.selectors import campaigns_endorsed_filter
from platforms.selectors import areas_all, categories_all, platforms_with_categories
from pledges.selectors import campaigns_browse, campaigns_visible_to
from projects import reports, services
from projects.models import Campaign, FinalReport, ReportStatus, RewardTier
from projects.selectors import campaign_detail_prefetch, final_reports_visible_to

from .campaign_serializers import (
    AreaSerializer,
    CampaignCreateSerializer,
    CampaignDetailSerializer,
    CampaignEditSerializer,
    CampaignFilterSerializer,
    CampaignListSerializer,
    CampaignWrittenSerializer,
    CategorySerializer,
    FinalReportSerializer,
    PlatformSerializer,
    ReportSubmitSerializer,
    ReviewSerializer,
    StoryImageCreateSerializer,
    StoryImageSerializer,
    TierCreateSerializer,
    TierSerializer,
    UpdateCreateSerializer,
    UpdateFilterSerializer,
    UpdateSerializer,
)

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
    """Every platform of the deployment, with its rules, categories and areas."""

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
        params = CategoryFilterSerializer(data=query_params(self.request))
        params.is_valid(raise_exception=True)
        return categories_all(params.validated_data.get("platform", ""))


@extend_schema(tags=["platforms"], parameters=[CategoryFilterSerializer])
class AreaListView(generics.ListAPIView):
    """The areas campaigns are for (provinces, wards, ...): every platform's, or one platform's."""

    permission_classes = [AllowAny]
    serializer_class = AreaSerializer
    pagination_class = None

    def get_queryset(self):
        params = CategoryFilterSerializer(data=query_params(self.request))
        params.is_valid(raise_exception=True)
        return areas_all(params.validated_data.get("platform", ""))


class CampaignListView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CampaignListSerializer

    def get_queryset(self):
        params = CampaignFilterSerializer(data=query_params(self.request))
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = campaigns_browse(  # the browse page's selector, with the API's filters
            viewer=self.request.user,
            mine=f["mine"],
            platform=f.get("platform", ""),
            category=f.get("category", ""),
            status=f.get("status", ""),
            funding_model=f.get("funding_model", ""),
            area=f.get("area", ""),
            words=f.get("search", ""),
            sort=f["ordering"],
        )
        return campaigns_endorsed_filter(qs, f["endorser"]) if f.get("endorser") else qs

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


class TierDetailView(APIView):
    """A reward tier of your draft: change it or remove it (refused once the campaign is submitted)."""

    permission_classes = [IsAuthenticated]

    def _tier(self, request, pk: int, tier_pk: int) -> RewardTier:
        campaign = campaign_for(request, pk)
        return get_object_or_404(RewardTier.objects.select_related("campaign"), campaign=campaign, pk=tier_pk)

    @extend_schema(
        tags=["campaigns"],
        request=TierCreateSerializer(partial=True),
        responses=TierSerializer,
        summary="Change a reward tier of your draft",
    )
    def patch(self, request, pk: int, tier_pk: int):
        tier = self._tier(request, pk, tier_pk)
        serializer = TierCreateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        tier = services.tier_edit(tier=tier, user=request.user, **serializer.validated_data)
        return Response(TierSerializer(tier).data)

    @extend_schema(
        tags=["campaigns"], request=None, responses={204: None}, summary="Remove a reward tier from your draft"
    )
    def delete(self, request, pk: int, tier_pk: int):
        services.tier_delete(tier=self._tier(request, pk, tier_pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StoryImageCreateView(APIView):
    """Stories and updates show only pictures uploaded here, with alt text (any other image becomes a link)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["campaigns"],
        request={"multipart/form-data": StoryImageCreateSerializer},
        responses={201: StoryImageSerializer},
        summary="Upload a picture for your campaign's story and updates",
    )
    def post(self, request, pk: int):
        campaign = campaign_for(request, pk)
        image = services.story_image_add(
            campaign=campaign, user=request.user, **_valid(StoryImageCreateSerializer, request)
        )
        return Response(StoryImageSerializer(image).data, status=status.HTTP_201_CREATED)


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
        request=ReviewSerializer,
        responses=CampaignDetailSerializer,
        summary="Staff: send a submitted campaign back to its owner, with the reason",
    )
    def post(self, request, pk: int):
        campaign = campaign_for(request, pk)
        services.campaign_send_back(campaign=campaign, admin=request.user, **_valid(ReviewSerializer, request))
        return campaign_response(request, pk)


class UpdateListCreateView(generics.ListAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = UpdateSerializer

    def get_queryset(self):
        params = UpdateFilterSerializer(data=query_params(self.request))
        params.is_valid(raise_exception=True)
        updates = campaign_for(self.request, self.kwargs["pk"]).updates.all()
        if "kind" in params.validated_data:
            updates = updates.filter(kind=params.validated_data["kind"])
        return updates

    @extend_schema(
        tags=["campaigns"], parameters=[UpdateFilterSerializer], summary="A campaign's updates, newest first"
    )
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
        report = reports.report_submit(
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
        request=ReviewSerializer,
        responses=FinalReportSerializer,
        summary="Staff: reject a final report, with the reason",
    )
    def post(self, request, pk: int):
        report = reports.report_reject(
            report=report_for(request, pk), admin=request.user, **_valid(ReviewSerializer, request)
        )
        return Response(FinalReportSerializer(report).data)


def _valid(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
