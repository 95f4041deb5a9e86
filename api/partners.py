"""REST API v1 of the partners app: organisations (with totals), endorsements, sponsors, match-funding
pots and their matches, open calls and their applications. Thin views over partners' selectors and
services (every rule is there)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from partners import selectors
from partners.models import Endorsement, Membership, Organisation, OrganisationKind
from partners.services import organisations as org_services
from platforms.models import Platform
from projects.models import Campaign

from .base import MAX_ID

# --- serializers -------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")

    class Meta:
        model = Membership
        fields = ["username", "role"]


class OrganisationSerializer(serializers.ModelSerializer):
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)
    logo = serializers.ImageField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "platform", "slug", "name", "kind", "description", "website", "logo", "verified", "verified_at"]


class OrganisationDetailSerializer(OrganisationSerializer):
    members = MemberSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "members", "totals"]

    def get_totals(self, obj) -> dict[str, int]:
        return selectors.organisation_totals(obj)


class OrganisationCreateSerializer(serializers.Serializer):
    platform = serializers.SlugRelatedField(slug_field="slug", queryset=Platform.objects.all())
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(OrganisationKind.choices)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    website = serializers.URLField(required=False, allow_blank=True, default="")
    slug = serializers.SlugField(required=False, allow_blank=True, default="", max_length=80)


class OrganisationFilterSerializer(serializers.Serializer):
    platform = serializers.SlugField(required=False, help_text="Platform slug.")
    verified = serializers.BooleanField(required=False, allow_null=True, default=None)


class EndorsementSerializer(serializers.ModelSerializer):
    organisation: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    campaign: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Endorsement
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "campaign",
            "note",
            "created_at",
            "withdrawn_at",
            "withdrawn_reason",
        ]


class EndorseSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    note = serializers.CharField(max_length=280)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class EndorsementFilterSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    standing = serializers.BooleanField(required=False, default=False, help_text="Only endorsements not withdrawn.")


# --- views -------------------------------------------------------------------------------------


@extend_schema(tags=["organisations"])
class OrganisationListView(generics.ListAPIView):
    """Organisations of every platform (or one), verified or not (`verified` says which)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        params = OrganisationFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = Organisation.objects.select_related("platform").order_by("platform_id", "name", "id")
        if f.get("platform"):
            qs = qs.filter(platform__slug=f["platform"])
        if f.get("verified") is not None:
            qs = qs.filter(verified_at__isnull=not f["verified"])
        return qs

    @extend_schema(parameters=[OrganisationFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=OrganisationCreateSerializer,
        responses={201: OrganisationDetailSerializer},
        summary="Register an organisation (you become its administrator; staff verify it)",
    )
    def post(self, request):
        serializer = OrganisationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organisation = org_services.organisation_create(user=request.user, **serializer.validated_data)
        return Response(OrganisationDetailSerializer(organisation).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["organisations"])
class OrganisationDetailView(generics.RetrieveAPIView):
    """An organisation with its members (username and role) and what it endorsed, matched and funded."""

    permission_classes = [AllowAny]
    serializer_class = OrganisationDetailSerializer
    queryset = Organisation.objects.select_related("platform").prefetch_related("members__user")


@extend_schema(tags=["organisations"])
class OrganisationVerifyView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=OrganisationDetailSerializer, summary="Verify an organisation (staff)")
    def post(self, request, pk: int):
        organisation = get_object_or_404(Organisation, pk=pk)
        organisation = org_services.organisation_verify(organisation=organisation, staff=request.user)
        return Response(OrganisationDetailSerializer(organisation).data)


@extend_schema(tags=["organisations"])
class EndorsementListView(generics.ListAPIView):
    """Endorsements, newest first, of a campaign or by an organisation; withdrawn ones keep their reason."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = EndorsementSerializer

    def get_queryset(self):
        params = EndorsementFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = Endorsement.objects.select_related("organisation").order_by("-created_at", "-id")
        if f.get("campaign"):
            qs = qs.filter(campaign_id=f["campaign"])
        if f.get("organisation"):
            qs = qs.filter(organisation_id=f["organisation"])
        if f.get("standing"):
            qs = qs.filter(withdrawn_at__isnull=True)
        return qs

    @extend_schema(parameters=[EndorsementFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["organisations"])
class EndorseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=EndorseSerializer,
        responses={201: EndorsementSerializer},
        summary="Endorse a submitted or live campaign for your organisation",
    )
    def post(self, request, pk: int):
        organisation = get_object_or_404(Organisation, pk=pk)
        serializer = EndorseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        campaign = get_object_or_404(Campaign, pk=serializer.validated_data["campaign"])
        endorsement = org_services.endorsement_create(
            organisation=organisation, campaign=campaign, user=request.user, note=serializer.validated_data["note"]
        )
        return Response(EndorsementSerializer(endorsement).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["organisations"])
class EndorsementWithdrawView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=WithdrawSerializer, responses=EndorsementSerializer, summary="Withdraw an endorsement")
    def post(self, request, pk: int):
        endorsement = get_object_or_404(Endorsement, pk=pk)
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endorsement = org_services.endorsement_withdraw(
            endorsement=endorsement, user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(EndorsementSerializer(endorsement).data)
