"""REST API v1 of accountability: the public decision log, per platform (with the page's filters) and per
campaign. Read-only and public: who decided is a role, a name only where the platform shows names."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from decisions.kinds import KINDS, kind_label
from decisions.models import ActorRole, Decision
from impact.selectors import campaign_impact, decision_who, decisions_public, indicator_sums
from platforms.selectors import platform_by_slug
from projects.models import NOT_PUBLIC_STATUSES, Campaign

from .base import MAX_ID


class DecisionSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField()
    actor_role_label = serializers.SerializerMethodField()
    actor_name = serializers.SerializerMethodField(help_text="Empty unless the platform shows who decided by name.")
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    campaign_title = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "at",
            "platform",
            "campaign",
            "campaign_title",
            "subject_type",
            "subject_id",
            "kind",
            "kind_label",
            "actor_role",
            "actor_role_label",
            "actor_name",
            "on_behalf_of",
            "reason",
        ]

    def get_kind_label(self, obj: Decision) -> str:
        return kind_label(obj.kind)

    def get_actor_role_label(self, obj: Decision) -> str:
        return str(ActorRole(obj.actor_role).label)

    def get_actor_name(self, obj: Decision) -> str:
        return decision_who(obj)

    def get_campaign_title(self, obj: Decision) -> str:
        return obj.campaign.title if obj.campaign else ""


class DecisionFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[], required=False, help_text="A decision kind, e.g. report.approved.")
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    since = serializers.DateField(required=False, help_text="From this day (the platform's time zone).")
    until = serializers.DateField(required=False, help_text="Up to and including this day.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(KINDS)  # type: ignore[attr-defined]


@extend_schema(tags=["decisions"], parameters=[DecisionFilterSerializer])
class PlatformDecisionListView(generics.ListAPIView):
    """A platform's public decision log, newest first."""

    permission_classes = [AllowAny]
    serializer_class = DecisionSerializer

    def get_queryset(self):
        platform = platform_by_slug(self.kwargs["slug"])
        if platform is None:
            raise Http404
        params = DecisionFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        return decisions_public(
            platform=platform,
            kind=f.get("kind", ""),
            campaign_id=f.get("campaign"),
            since=f.get("since"),
            until=f.get("until"),
        )


@extend_schema(tags=["decisions"])
class CampaignDecisionListView(generics.ListAPIView):
    """A public campaign's decisions, oldest first (its timeline)."""

    permission_classes = [AllowAny]
    serializer_class = DecisionSerializer

    def get_queryset(self):
        campaign = get_object_or_404(Campaign.objects.exclude(status__in=NOT_PUBLIC_STATUSES), pk=self.kwargs["pk"])
        return decisions_public(campaign=campaign).order_by("at", "id")


class IndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    unit = serializers.CharField()
    standard = serializers.IntegerField(source="standard_id", allow_null=True)
    target = serializers.IntegerField()
    achieved = serializers.IntegerField(allow_null=True, help_text="Null until the final report is approved.")
    evidence = serializers.CharField()


class FollowUpSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    status = serializers.CharField()
    text = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class UpkeepSerializer(serializers.Serializer):
    creates_asset = serializers.BooleanField()
    maintainer = serializers.CharField()
    months = serializers.IntegerField(allow_null=True)
    funding = serializers.CharField()


class CampaignImpactSerializer(serializers.Serializer):
    report_due_on = serializers.DateField(allow_null=True)
    report_approved = serializers.BooleanField()
    raised = serializers.IntegerField(help_text="Minor units: what was collected.")
    paid_to_owner = serializers.IntegerField(help_text="Minor units: first payout + held part.")
    spent = serializers.IntegerField(help_text="Minor units: the approved report's spending lines.")
    spending_above_payout = serializers.BooleanField()
    spending = serializers.ListField(child=serializers.DictField())
    attachments = serializers.ListField(child=serializers.URLField())
    indicators = IndicatorSerializer(many=True)
    upkeep = UpkeepSerializer(allow_null=True)
    follow_ups = FollowUpSerializer(many=True)


class CampaignImpactView(generics.GenericAPIView):
    """A public campaign's accountability: its approved final report's spending against what was raised,
    its attachments, its indicators (target, and achieved once the report is approved), upkeep and follow-ups."""

    permission_classes = [AllowAny]
    serializer_class = CampaignImpactSerializer

    @extend_schema(tags=["decisions"], responses=CampaignImpactSerializer)
    def get(self, request, pk):
        campaign = get_object_or_404(
            Campaign.objects.exclude(status__in=NOT_PUBLIC_STATUSES).select_related("platform"), pk=pk
        )
        data = campaign_impact(campaign)
        data["attachments"] = [
            request.build_absolute_uri(reverse("report-attachment", args=[a_id])) for a_id in data["attachments"]
        ]
        return Response(CampaignImpactSerializer(data).data)


class IndicatorSumSerializer(serializers.Serializer):
    standard = serializers.IntegerField(source="standard.pk")
    name = serializers.CharField(source="standard.name")
    unit = serializers.CharField(source="standard.unit")
    category = serializers.CharField(source="standard.category.slug", default="")
    campaigns = serializers.IntegerField()
    achieved = serializers.IntegerField()
    target = serializers.IntegerField()


@extend_schema(tags=["decisions"])
class IndicatorSumListView(generics.ListAPIView):
    """A platform's standard indicators summed across its completed campaigns."""

    permission_classes = [AllowAny]
    serializer_class = IndicatorSumSerializer
    pagination_class = None

    def get_queryset(self):
        platform = platform_by_slug(self.kwargs["slug"])
        if platform is None:
            raise Http404
        return indicator_sums(platform)
