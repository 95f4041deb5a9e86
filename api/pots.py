"""REST API v1 of match-funding pots and their matches: an organisation's pots with their balance
(what was paid in, what is committed to live campaigns, what is still available), the matches of a pot
or of a campaign; an organisation's administrator creates a pot or closes it early, staff record a bank
transfer paid in. Thin views over partners' selectors and services (every rule is there)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import ApplicationError
from core.money import MAX_AMOUNT
from partners import selectors
from partners.models import Match, MatchStatus, Organisation, Pot, PotPayIn, PotRule, PotStatus
from partners.services import pay_ins
from partners.services import pots as pot_services
from partners.services.pots import BACKERS_MAX, PER_BACKER_MAX
from platforms.models import Area, Category
from projects.models import Campaign

from .base import MAX_ID, partner_list_filter
from .errors import ErrorSerializer


class PotSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    platform: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    ratio = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, read_only=True)
    committed = serializers.IntegerField(
        read_only=True, help_text="Minor units committed to live campaigns (back to the pot if they fail)."
    )
    collected = serializers.IntegerField(read_only=True, help_text="Minor units paid to campaigns that succeeded.")
    balance = serializers.IntegerField(
        read_only=True,
        help_text="What the pot holds or has promised: available + committed (paid in, less what succeeded "
        "campaigns collected and what went back to the organisation).",
    )

    class Meta:
        model = Pot
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "platform",
            "name",
            "currency",
            "rule",
            "status",
            "budget",
            "paid_in",
            "balance",
            "available",
            "committed",
            "collected",
            "opens_at",
            "closes_at",
            "closed_at",
            "ratio",
            "cap_per_pledge",
            "cap_per_campaign",
            "cap_per_campaign_percent",
            "matched_pledges_per_backer",
            "milestone_percent",
            "milestone_backers",
            "grant_amount",
            "grant_percent",
            "cap_percent",
            "categories",
            "areas",
            "campaigns",
        ]
        read_only_fields = fields


class PotCreateSerializer(serializers.Serializer):
    """The terms are checked by the pot service (a rule that cannot work is a 400 naming its field)."""

    organisation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    name = serializers.CharField(max_length=200)
    budget = serializers.IntegerField(
        min_value=1, max_value=MAX_AMOUNT, help_text="Minor units of the platform's currency."
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    rule = serializers.ChoiceField(PotRule.choices)
    ratio = serializers.DecimalField(
        max_digits=12, decimal_places=6, required=False, allow_null=True, help_text="Linear: 1 doubles every pledge."
    )
    cap_per_pledge = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_AMOUNT)
    cap_per_campaign = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_AMOUNT)
    cap_per_campaign_percent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    matched_pledges_per_backer = serializers.IntegerField(
        required=False, allow_null=True, default=1, min_value=1, max_value=PER_BACKER_MAX
    )
    milestone_percent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    milestone_backers = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BACKERS_MAX)
    grant_amount = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_AMOUNT)
    grant_percent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    cap_percent = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    categories = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False)
    areas = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False)
    campaigns = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False)


class PotFilterSerializer(serializers.Serializer):
    platform = serializers.SlugField(required=False, help_text="Platform slug.")
    organisation = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.ChoiceField(PotStatus.choices, required=False)


class PayInSerializer(serializers.Serializer):
    amount = serializers.IntegerField(
        min_value=1, max_value=MAX_AMOUNT, help_text="Minor units received by bank transfer."
    )
    reference = serializers.CharField(max_length=100, help_text="The transfer's reference (never booked twice).")


class CardPayInSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT, help_text="Minor units to pay into the pot.")
    card = serializers.RegexField(
        r"^[0-9]{12,19}$", max_length=19, help_text="The card number (the sandbox takes its test cards)."
    )


class PotPayInSerializer(serializers.ModelSerializer):
    class Meta:
        model = PotPayIn
        fields = ["id", "pot", "method", "amount", "currency", "status", "reference", "created_at", "credited_at"]
        read_only_fields = fields


class CloseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Public: the decision log shows it.")


class MatchSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="pot.organisation_id", read_only=True)
    organisation_name = serializers.CharField(source="pot.organisation.name", read_only=True)
    kind = serializers.SerializerMethodField(help_text="pledge (linear), grant (milestone) or round (quadratic).")

    class Meta:
        model = Match
        fields = [
            "id",
            "pot",
            "organisation",
            "organisation_name",
            "campaign",
            "pledge",
            "kind",
            "amount",
            "currency",
            "status",
            "created_at",
            "settled_at",
        ]
        read_only_fields = fields

    def get_kind(self, match) -> str:
        if match.pledge_id:
            return "pledge"
        return "round" if match.pot.rule == PotRule.QUADRATIC else "grant"


def _pots():
    return selectors.pots_with_totals(Pot.objects.select_related("organisation", "platform")).prefetch_related(
        "categories", "areas", "campaigns"
    )


def _ids(model, ids, field):
    found = list(model.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ApplicationError(f"No such {field[:-1] if field != 'areas' else 'area'}.", field=field)
    return found


@extend_schema(tags=["pots"])
class PotListView(generics.ListAPIView):
    """Match-funding pots, newest first: their terms and balance (minor units)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = PotSerializer

    def get_queryset(self):
        params = PotFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        f = params.validated_data
        qs = _pots().order_by("-opens_at", "-id")
        return partner_list_filter(qs, f)

    @extend_schema(parameters=[PotFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=PotCreateSerializer,
        responses={201: PotSerializer},
        summary="Open a pot for your verified organisation (its administrator; staff record the money paid in)",
    )
    def post(self, request):
        serializer = PotCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organisation = get_object_or_404(Organisation, pk=data.pop("organisation"))
        choices = {
            "categories": _ids(Category, data.pop("categories", []), "categories"),
            "areas": _ids(Area, data.pop("areas", []), "areas"),
            "campaigns": _ids(Campaign, data.pop("campaigns", []), "campaigns"),
        }
        pot = pot_services.pot_create(organisation=organisation, user=request.user, **choices, **data)
        return Response(PotSerializer(_pots().get(pk=pot.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["pots"])
class PotDetailView(generics.RetrieveAPIView):
    """A pot with its terms, eligibility and balance."""

    permission_classes = [AllowAny]
    serializer_class = PotSerializer

    def get_queryset(self):
        return _pots()


@extend_schema(tags=["pots"])
class PotPayInView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PayInSerializer, responses=PotSerializer, summary="Record a bank transfer paid into the pot (staff)"
    )
    def post(self, request, pk: int):
        pot = get_object_or_404(Pot, pk=pk)
        serializer = PayInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pot_services.pot_pay_in(pot=pot, staff=request.user, **serializer.validated_data)
        return Response(PotSerializer(_pots().get(pk=pk)).data)


@extend_schema(tags=["pots"])
class PotCardPayInView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="1 to 80 printable characters: a retried request returns the first pay-in.",
            )
        ],
        request=CardPayInSerializer,
        responses={201: PotPayInSerializer, 200: PotPayInSerializer, 402: ErrorSerializer},
        summary="Pay into your organisation's pot by card (credited once the gateway says it is paid)",
    )
    def post(self, request, pk: int):
        pot = get_object_or_404(Pot, pk=pk)
        serializer = CardPayInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "")
        before = PotPayIn.objects.filter(idempotency_key=f"pot-pay-in-{pot.pk}-{key.strip()}").exists()
        pay_in = pay_ins.pot_pay_in_by_card(pot=pot, user=request.user, key=key, **serializer.validated_data)
        answer = status.HTTP_200_OK if before else status.HTTP_201_CREATED
        return Response(PotPayInSerializer(pay_in).data, status=answer)


@extend_schema(tags=["pots"])
class PotCloseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=CloseSerializer,
        responses=PotSerializer,
        summary="Close the pot early with a public reason (what is left goes back to the organisation)",
    )
    def post(self, request, pk: int):
        pot = get_object_or_404(Pot, pk=pk)
        serializer = CloseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pot_services.pot_close(pot=pot, user=request.user, reason=serializer.validated_data["reason"])
        return Response(PotSerializer(_pots().get(pk=pk)).data)


class MatchFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(MatchStatus.choices, required=False)


def _matches(request, **where):
    params = MatchFilterSerializer(data=request.query_params)
    params.is_valid(raise_exception=True)
    qs = Match.objects.filter(**where).select_related("pot__organisation").order_by("id")
    if params.validated_data.get("status"):
        qs = qs.filter(status=params.validated_data["status"])
    return qs


@extend_schema(tags=["pots"], parameters=[MatchFilterSerializer], summary="The matches of a pot")
class PotMatchListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = MatchSerializer

    def get_queryset(self):
        pot = get_object_or_404(Pot, pk=self.kwargs["pk"])
        return _matches(self.request, pot=pot)


@extend_schema(tags=["pots"], parameters=[MatchFilterSerializer], summary="The matches a campaign got")
class CampaignMatchListView(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = MatchSerializer

    def get_queryset(self):
        campaign = get_object_or_404(Campaign, pk=self.kwargs["pk"])
        return _matches(self.request, campaign=campaign)
