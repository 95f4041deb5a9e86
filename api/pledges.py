"""REST API v1 for backers: pledging (idempotent per `Idempotency-Key`), cancelling, my pledges,
my wallet and its history. Thin views over `pledges.services` and the selectors."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import ScopedThrottle, query_params, status_filtered
from api.errors import ErrorSerializer
from core.errors import ApplicationError, PaymentDeclined
from ledger.models import Entry
from ledger.selectors import wallet_balances, wallet_entries
from partners.selectors import pledge_matched, pledges_matched_set
from pledges import services
from pledges.models import PaymentSource, Pledge, PledgeStatus
from pledges.selectors import pledge_decline_reason, pledge_next_action, pledges_of
from presale.delivery import pledge_create_shipped
from projects.models import Campaign

IDEMPOTENCY_KEY_MAX: int = Pledge._meta.get_field("request_key").max_length or 120


_WHEN = serializers.DateTimeField()  # DRF's own date formatting (ISO 8601, the active time zone)


class NextActionSerializer(serializers.Serializer):
    """What the backer must do for a pending card pledge to go on (pledges.selectors.pledge_next_action)."""

    type = serializers.ChoiceField(["confirm_payment", "confirm_card_setup"])
    client_secret = serializers.CharField(
        help_text="Confirm it with Stripe.js or a Stripe mobile SDK; empty when Stripe did not answer (ask again)."
    )
    url = serializers.URLField(
        required=False, help_text="confirm_payment: the site's page to confirm or pay with another card."
    )
    pay_before = serializers.DateTimeField(
        required=False, help_text="confirm_payment: afterwards the pledge is cancelled and its reward freed."
    )


class PledgeSerializer(serializers.ModelSerializer):
    """A pledge as clients see it. The fields below make the schema; `to_representation` writes
    the same JSON by hand, because building a ModelSerializer's fields for each pledge costs more
    than the rest of a wallet pledge (tests/api/test_pledges.py holds the two equal)."""

    campaign_title = serializers.CharField(source="campaign.title", read_only=True)
    next_action = serializers.SerializerMethodField(
        help_text="Null, or what the backer must do for a pending card pledge to go on (3-D Secure)."
    )
    matched = serializers.SerializerMethodField(
        help_text="Minor units a match-funding pot added to this pledge (0 if none, or if it went back to the pot)."
    )

    class Meta:
        model = Pledge
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "tier",
            "amount",
            "currency",
            "source",
            "status",
            "created_at",
            "paid_at",
            "ended_at",
            "next_action",
            "matched",
        ]
        read_only_fields = fields

    def get_matched(self, pledge) -> int:
        return pledge_matched(pledge)

    @extend_schema_field(NextActionSerializer(allow_null=True))
    def get_next_action(self, pledge) -> dict | None:
        action = pledge_next_action(pledge)  # no query unless the pledge is pending
        return None if action is None else NextActionSerializer(action).data

    def to_representation(self, pledge):
        when = _WHEN.to_representation
        return {
            "id": pledge.pk,
            "campaign": pledge.campaign_id,
            "campaign_title": pledge.campaign.title,
            "tier": pledge.tier_id,
            "amount": pledge.amount,
            "currency": pledge.currency,
            "source": pledge.source,
            "status": pledge.status,
            "created_at": when(pledge.created_at),
            "paid_at": when(pledge.paid_at) if pledge.paid_at else None,
            "ended_at": when(pledge.ended_at) if pledge.ended_at else None,
            "next_action": self.get_next_action(pledge),
            "matched": pledge_matched(pledge),
        }


class ShippingAddressSerializer(serializers.Serializer):
    recipient = serializers.CharField(max_length=120)
    address = serializers.CharField(max_length=1000)
    city = serializers.CharField(max_length=80)
    region = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20)
    country = serializers.CharField(min_length=2, max_length=2, help_text="ISO 3166 two-letter code.")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")


class PledgeCreateSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text="Minor units of the campaign's currency.")
    tier = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="A reward tier of this campaign; null for a free amount.",
    )
    source = serializers.ChoiceField(PaymentSource.choices, default=PaymentSource.CARD)  # type: ignore[assignment]
    card = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="Card number (sandbox: 4242424242424242 pays, 4000000000000002 is declined).",
    )
    currency = serializers.CharField(
        max_length=3,
        required=False,
        allow_null=True,
        default=None,
        help_text="Optional: refused unless it is the campaign's currency.",
    )
    show_name = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Show your name on the campaign's public list of backers (true) or be listed as anonymous "
        "(false, the default for a first pledge); left out, your earlier choice for this campaign stays.",
    )
    shipping_address = ShippingAddressSerializer(
        required=False,
        allow_null=True,
        default=None,
        help_text="Required when the tier ships (`ships`); ignored otherwise. Private to the campaign's owner "
        "and staff; deleted some days after delivery.",
    )


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
    OpenApiParameter.HEADER,
    required=False,
    description=f"Optional, 1 to {IDEMPOTENCY_KEY_MAX} printable characters (anything else: 400, code "
    "invalid_idempotency_key). Keys are the backer's own: a retried request with the same key and the "
    "same body returns the first pledge (200) instead of pledging twice, also when the copies arrive at "
    "the same instant (only the one that made the pledge gets 201); if the first was declined, the "
    "retry gets the same 402. The same key with a different body (campaign, amount, tier, source or "
    "currency) is refused (409, code idempotency_key_reused).",
)


_PLAIN_DEFAULTS = {"tier": None, "source": PaymentSource.CARD, "card": "", "currency": None, "show_name": None}


def _plain_body(body) -> dict | None:
    """The validated data of the commonest pledge body, {"amount": int, "source": ..., "tier": int}, read
    without building the serializer's fields (a wallet pledge's hot path); None for anything else, which
    PledgeCreateSerializer then validates (tests/api/test_pledges.py holds the two equal)."""
    if not isinstance(body, dict) or not body.keys() <= {"amount", "source", "tier"}:
        return None
    amount, tier, source = body.get("amount"), body.get("tier"), body.get("source", PaymentSource.CARD)
    if type(amount) is not int or not (tier is None or type(tier) is int) or source not in PaymentSource.values:
        return None
    return {**_PLAIN_DEFAULTS, "shipping_address": None, "amount": amount, "tier": tier, "source": source}


def _same_request(pledge: Pledge, campaign_id: int, data: dict) -> bool:
    return (
        pledge.campaign_id == campaign_id
        and pledge.amount == data["amount"]
        and pledge.tier_id == data["tier"]
        and pledge.source == data["source"]
        and data["currency"] in (None, pledge.currency)
    )


def _replayed(pledge: Pledge) -> Response:
    """What the first request answered: its pledge, or again the card's refusal."""
    if pledge.status == PledgeStatus.DECLINED:
        raise PaymentDeclined("The card was declined.", field="card", reason=pledge_decline_reason(pledge))
    return Response(PledgeSerializer(pledge).data, status=status.HTTP_200_OK)


class PledgeCreateView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "pledge"

    @extend_schema(
        tags=["pledges"],
        parameters=[IDEMPOTENCY_HEADER],
        request=PledgeCreateSerializer,
        responses={
            201: PledgeSerializer,
            200: PledgeSerializer,
            400: ErrorSerializer,
            402: ErrorSerializer,
            409: ErrorSerializer,
        },
        summary="Pledge to a live campaign, by card or from your wallet",
    )
    def post(self, request, pk: int):
        key = request.headers.get("Idempotency-Key")
        if key is not None and not (0 < len(key) <= IDEMPOTENCY_KEY_MAX and key.isprintable()):
            raise ApplicationError(
                f"The Idempotency-Key header takes 1 to {IDEMPOTENCY_KEY_MAX} printable characters.",
                code="invalid_idempotency_key",
            )
        data = _plain_body(request.data)
        if data is None:
            serializer = PledgeCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        try:
            # With a key the service returns the backer's pledge of that key untouched, and says so:
            # of copies of one request, earlier or at the same instant, only the one that made it is 201.
            pledge, created = pledge_create_shipped(
                campaign_id=pk,
                backer=request.user,
                amount=data["amount"],
                tier_id=data["tier"],
                address=data["shipping_address"],
                source=data["source"],
                card=data["card"],
                currency=data["currency"],
                request_key=key or None,
            )
        except Campaign.DoesNotExist:
            raise NotFound("No such campaign.") from None
        if key and not _same_request(pledge, pk, data):
            raise ApplicationError(
                "This Idempotency-Key was used for a different pledge.", code="idempotency_key_reused"
            )
        if not created:  # made by another request with this key
            return _replayed(pledge)
        if data["show_name"] is not None:
            services.backer_visibility_set(campaign_id=pk, backer=request.user, by_name=data["show_name"])
        return Response(PledgeSerializer(pledge).data, status=status.HTTP_201_CREATED)


class PledgeFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(PledgeStatus.choices, required=False)


@extend_schema(tags=["pledges"], parameters=[PledgeFilterSerializer], summary="My pledges, newest first")
class MyPledgeListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PledgeSerializer

    def get_queryset(self):
        return status_filtered(pledges_of(self.request.user), self.request, PledgeFilterSerializer)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else pledges_matched_set(list(page))


@extend_schema(tags=["pledges"], summary="One of my pledges")
class MyPledgeDetailView(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PledgeSerializer

    def get_queryset(self):
        return pledges_of(self.request.user)


class PledgeCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["pledges"],
        request=None,
        responses=PledgeSerializer,
        summary="Cancel my pledge while the campaign is live (money back in full)",
    )
    def post(self, request, pk: int):
        services.pledge_cancel(pledge_id=pk, backer=request.user)
        return Response(PledgeSerializer(get_object_or_404(pledges_of(request.user), pk=pk)).data)


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    balance = serializers.IntegerField(help_text="Minor units.")


class WalletSerializer(serializers.Serializer):
    balances = BalanceSerializer(many=True)


class WalletEntrySerializer(serializers.ModelSerializer):
    currency = serializers.CharField(source="account.currency", read_only=True)
    kind = serializers.CharField(source="transaction.kind", read_only=True)
    memo = serializers.CharField(source="transaction.memo", read_only=True)
    campaign = serializers.IntegerField(source="transaction.campaign_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(source="transaction.created_at", read_only=True)

    class Meta:
        model = Entry
        fields = ["id", "amount", "currency", "kind", "memo", "pledge", "campaign", "created_at"]
        read_only_fields = fields


class WalletView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["wallet"], responses=WalletSerializer, summary="My wallet's balance per currency")
    def get(self, request):
        return Response({"balances": wallet_balances(request.user)})


class WalletEntryFilterSerializer(serializers.Serializer):
    currency = serializers.CharField(max_length=3, required=False)


@extend_schema(
    tags=["wallet"],
    parameters=[WalletEntryFilterSerializer],
    summary="My wallet's history: money in (positive) and out (negative), newest first",
)
class WalletEntryListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = WalletEntrySerializer

    def get_queryset(self):
        params = WalletEntryFilterSerializer(data=query_params(self.request))
        params.is_valid(raise_exception=True)
        return wallet_entries(self.request.user, currency=params.validated_data.get("currency"))
