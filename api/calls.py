"""REST API v1 of open calls: calls (public list and page, publishing by an organisation's
administrator), applications (an owner applies with a draft; the organisation's reviewers shortlist,
approve or decline). Thin views over partners.selectors_calls and partners.services.calls."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ApplicationError
from partners import selectors_calls as selectors
from partners.models import Application, Call, CallStatus, Organisation, Pot
from partners.services import calls as call_services
from platforms.models import Area, Category
from projects.models import Campaign

from .base import MAX_ID, partner_list_filter

# --- serializers -------------------------------------------------------------------------------


class CallSerializer(serializers.ModelSerializer):
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    categories: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    areas: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    pot_rule = serializers.CharField(source="pot.rule", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Call
        fields = [
            "id",
            "platform",
            "organisation",
            "organisation_name",
            "title",
            "theme",
            "description",
            "criteria",
            "categories",
            "areas",
            "pot",
            "pot_rule",
            "applications_open_at",
            "applications_close_at",
            "campaigns_deadline",
            "status",
            "round_closed_at",
        ]


class CallCampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    goal = serializers.IntegerField(help_text="Minor units.")
    raised = serializers.IntegerField(help_text="Citizen money, minor units.")
    backers = serializers.IntegerField()
    matched = serializers.IntegerField(help_text="Match money from the call's pot it holds (minor units).")
    match_returned = serializers.IntegerField(help_text="Match money that went back to the pot.")


class PotUseSerializer(serializers.Serializer):
    budget = serializers.IntegerField()
    paid_in = serializers.IntegerField()
    available = serializers.IntegerField()
    committed = serializers.IntegerField()
    collected = serializers.IntegerField()
    returned = serializers.IntegerField()


class CallDecisionSerializer(serializers.Serializer):
    kind = serializers.CharField()
    at = serializers.DateTimeField()
    actor_role = serializers.CharField()
    on_behalf_of = serializers.CharField()
    reason = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id", allow_null=True)


class CallDetailSerializer(CallSerializer):
    campaigns = serializers.SerializerMethodField()
    pot_use = serializers.SerializerMethodField()
    applications = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta(CallSerializer.Meta):
        fields = [*CallSerializer.Meta.fields, "campaigns", "pot_use", "applications", "decisions"]

    @extend_schema_field(CallCampaignSerializer(many=True))
    def get_campaigns(self, obj: Call) -> Any:
        return CallCampaignSerializer(selectors.call_campaigns(obj), many=True).data

    @extend_schema_field(PotUseSerializer(allow_null=True))
    def get_pot_use(self, obj: Call) -> dict[str, int] | None:
        return selectors.call_pot_use(obj)

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_applications(self, obj: Call) -> dict[str, int]:
        return selectors.call_counts(obj)

    @extend_schema_field(CallDecisionSerializer(many=True))
    def get_decisions(self, obj: Call) -> Any:
        return CallDecisionSerializer(selectors.call_decisions(obj)[:100], many=True).data


class CallCreateSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    title = serializers.CharField(max_length=200)
    theme = serializers.CharField(max_length=200)
    description = serializers.CharField()
    criteria = serializers.CharField()
    applications_open_at = serializers.DateTimeField()
    applications_close_at = serializers.DateTimeField()
    campaigns_deadline = serializers.DateTimeField()
    pot = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None)
    categories = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    areas = serializers.ListField(child=serializers.SlugField(), required=False, default=list)


class CallFilterSerializer(serializers.Serializer):
    platform = serializers.SlugField(required=False, help_text="Platform slug.")
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(
        [CallStatus.PUBLISHED, CallStatus.CLOSED], required=False, help_text="published: open for applications."
    )


class ApplicationSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    call: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    campaign: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Application
        fields = ["id", "call", "campaign", "campaign_title", "status", "reason", "submitted_at", "decided_at"]


class ApplySerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="Your draft campaign.")


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Public: shown on the call's page.")


# --- views -------------------------------------------------------------------------------------


@extend_schema(tags=["calls"])
class CallListView(generics.ListAPIView):
    """Published calls of every platform (or one), open ones first."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = CallSerializer

    def get_queryset(self):
        params = CallFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = (
            Call.objects.exclude(status=CallStatus.DRAFT)
            .select_related("platform", "organisation", "pot")
            .prefetch_related("categories", "areas")
            .order_by(selectors.OPEN_FIRST, "-applications_close_at", "-id")
        )
        return partner_list_filter(qs, f)

    @extend_schema(parameters=[CallFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=CallCreateSerializer,
        responses={201: CallDetailSerializer},
        summary="Publish a call for your (verified) organisation",
    )
    def post(self, request):
        serializer = CallCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = get_object_or_404(Organisation, pk=data.pop("organisation"))
        pot_id = data.pop("pot")
        pot = get_object_or_404(Pot, pk=pot_id) if pot_id else None
        data["categories"] = _by_slug(Category, organisation, data.pop("categories"), "categories")
        data["areas"] = _by_slug(Area, organisation, data.pop("areas"), "areas")
        call = call_services.call_create(organisation=organisation, user=request.user, pot=pot, **data)
        return Response(CallDetailSerializer(call).data, status=status.HTTP_201_CREATED)


def _by_slug(model: Any, organisation: Organisation, slugs: list[str], field: str) -> list[Any]:
    found = list(model.objects.filter(platform_id=organisation.platform_id, slug__in=slugs))
    if len(found) != len(set(slugs)):
        raise ApplicationError("Choose only categories and areas of the call's platform.", field=field)
    return found


@extend_schema(tags=["calls"])
class CallDetailView(generics.RetrieveAPIView):
    """A call with its live campaigns (citizen money, backers, the match each holds), the pot's use, the
    number of applications in each state, and its public decisions."""

    permission_classes = [AllowAny]
    serializer_class = CallDetailSerializer
    queryset = (
        Call.objects.exclude(status=CallStatus.DRAFT)
        .select_related("platform", "organisation", "pot")
        .prefetch_related("categories", "areas")
    )


@extend_schema(tags=["calls"])
class CallApplicationListView(generics.ListAPIView):
    """A call's applications: all of them for the organisation's reviewers, your own for anyone else."""

    permission_classes = [IsAuthenticated]
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        call = get_object_or_404(Call, pk=self.kwargs["pk"])
        qs = selectors.call_applications(call)
        if not selectors.call_reviewer(call, self.request.user):
            qs = qs.filter(campaign__owner_id=self.request.user.pk)
        return qs


@extend_schema(tags=["calls"])
class CallApplyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=ApplySerializer,
        responses={201: ApplicationSerializer},
        summary="Apply to a call with your draft campaign (it takes the call's deadline)",
    )
    def post(self, request, pk: int):
        call = get_object_or_404(Call.objects.exclude(status=CallStatus.DRAFT), pk=pk)
        serializer = ApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = get_object_or_404(Campaign, pk=serializer.validated_data["campaign"])
        application = call_services.application_submit(call=call, campaign=campaign, user=request.user)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class _DecideView(APIView):
    permission_classes = [IsAuthenticated]
    input_class: type[serializers.Serializer] = NoteSerializer

    def decide(self, application: Application, user: Any, data: dict[str, Any]) -> Application:
        raise NotImplementedError

    def post(self, request, pk: int):
        application = get_object_or_404(Application, pk=pk)
        serializer = self.input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        application = self.decide(application, request.user, serializer.validated_data)
        return Response(ApplicationSerializer(application).data)


@extend_schema(tags=["calls"])
class ApplicationShortlistView(_DecideView):
    @extend_schema(request=NoteSerializer, responses=ApplicationSerializer, summary="Shortlist (a reviewer)")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def decide(self, application, user, data):
        return call_services.application_shortlist(application=application, user=user, note=data["note"])


@extend_schema(tags=["calls"])
class ApplicationApproveView(_DecideView):
    @extend_schema(
        request=NoteSerializer,
        responses=ApplicationSerializer,
        summary="Approve (a reviewer): the draft goes to the platform's review, then live with the match",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def decide(self, application, user, data):
        return call_services.application_approve(application=application, user=user, note=data["note"])


@extend_schema(tags=["calls"])
class ApplicationDeclineView(_DecideView):
    input_class = ReasonSerializer

    @extend_schema(
        request=ReasonSerializer, responses=ApplicationSerializer, summary="Decline with a public reason (a reviewer)"
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def decide(self, application, user, data):
        return call_services.application_decline(application=application, user=user, reason=data["reason"])
