"""REST API v1 of pre-sale claims: a backer files a claim for their pledge and lists their claims; the
campaign's owner answers; staff decide. Thin views over presale.claims; refusals are the services'
ApplicationErrors (400 with a code, 403 for someone who may not)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from pledges.models import Pledge
from presale.claims import MAX_EVIDENCE, claim_answer, claim_decide, claim_file
from presale.models import Claim, ClaimGround, ClaimStatus
from presale.selectors import claim_visible

from .base import MAX_ID


class ClaimSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    owed = serializers.IntegerField(read_only=True, help_text="Minor units: accepted, not yet paid.")
    evidence = serializers.SerializerMethodField(help_text="How many files back the claim (served on the site).")

    class Meta:
        model = Claim
        fields = [
            "id",
            "pledge",
            "campaign",
            "ground",
            "description",
            "amount",
            "currency",
            "status",
            "status_label",
            "filed_at",
            "answer_due_on",
            "answer",
            "answered_at",
            "decided_at",
            "reason",
            "accepted_amount",
            "paid_from_held",
            "paid_from_guarantee",
            "owed",
            "evidence",
        ]
        read_only_fields = fields

    def get_evidence(self, obj: Claim) -> int:
        return obj.evidence.count()


class ClaimCreateSerializer(serializers.Serializer):
    ground = serializers.ChoiceField(choices=ClaimGround.choices)
    description = serializers.CharField(max_length=10_000)
    amount = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Minor units; at most what the pledge paid."
    )
    evidence = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_EVIDENCE,
        help_text="Pictures (PNG, JPEG, GIF, WebP) or PDF files, checked by their content (multipart/form-data).",
    )


class ClaimAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10_000)


class ClaimDecisionSerializer(serializers.Serializer):
    accepted_amount = serializers.IntegerField(
        min_value=0,
        max_value=MAX_ID,
        help_text="Minor units: the amount asked accepts in full, less in part, 0 rejects.",
    )
    reason = serializers.CharField(max_length=2_000, help_text="Shown to the backer and in the public decision log.")


class ClaimFilterSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(choices=ClaimStatus.choices, required=False)


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _claim_for(request, pk: int) -> Claim:
    claim = claim_visible(pk, request.user)
    if claim is None:
        raise Http404  # not telling whether it exists
    return claim


@extend_schema(tags=["claims"], parameters=[ClaimFilterSerializer])
class ClaimListView(generics.ListAPIView):
    """Claims the caller may see, newest first: their own as a backer, those on their campaigns as an
    owner, every claim for staff."""

    permission_classes = [IsAuthenticated]
    serializer_class = ClaimSerializer

    def get_queryset(self):
        f = _valid(ClaimFilterSerializer, self.request.query_params)
        user = self.request.user
        qs = Claim.objects.all() if user.is_staff else Claim.objects.filter(Q(backer=user) | Q(campaign__owner=user))
        if f.get("campaign"):
            qs = qs.filter(campaign_id=f["campaign"])
        if f.get("status"):
            qs = qs.filter(status=f["status"])
        return qs.order_by("-filed_at", "-id")


class ClaimCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["claims"],
        request={"multipart/form-data": ClaimCreateSerializer, "application/json": ClaimCreateSerializer},
        responses={201: ClaimSerializer},
        summary="File a claim for your pledge's reward (late beyond the grace, or not as described)",
    )
    def post(self, request, pk: int):
        pledge = get_object_or_404(
            Pledge.objects.select_related("campaign__platform", "tier"), pk=pk, backer=request.user
        )
        claim = claim_file(pledge=pledge, user=request.user, **_valid(ClaimCreateSerializer, request.data))
        return Response(ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["claims"])
class ClaimDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ClaimSerializer, summary="A claim (its backer, the campaign's owner, staff)")
    def get(self, request, pk: int):
        return Response(ClaimSerializer(_claim_for(request, pk)).data)


class ClaimAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["claims"],
        request=ClaimAnswerSerializer,
        responses=ClaimSerializer,
        summary="Owner: answer a claim on your campaign, within the platform's answer time",
    )
    def post(self, request, pk: int):
        claim = claim_answer(
            claim=_claim_for(request, pk), user=request.user, **_valid(ClaimAnswerSerializer, request.data)
        )
        return Response(ClaimSerializer(claim).data)


class ClaimDecideView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["claims"],
        request=ClaimDecisionSerializer,
        responses=ClaimSerializer,
        summary="Staff: decide a claim (accept in full or in part, or reject), with the public reason",
    )
    def post(self, request, pk: int):
        claim = claim_decide(
            claim=_claim_for(request, pk), staff=request.user, **_valid(ClaimDecisionSerializer, request.data)
        )
        return Response(ClaimSerializer(claim).data)
