"""REST API v1, delivery of pre-sale rewards: a campaign's delivery counts (public), its shipped rewards
with their addresses (its owner and staff), marking rewards shipped (one, or a CSV file), and the backer
confirming receipt or reporting a problem. Thin views over `presale.delivery` and `presale.selectors`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.campaigns import campaign_for
from api.errors import ErrorSerializer, error_body
from pledges.models import Pledge
from pledges.selectors import pledge_of_backer
from presale import delivery as services
from presale.models import DeliveryStatus
from presale.selectors import DeliverySummary, can_see_addresses, delivery_summary, shipping_pledges
from projects.models import FUNDED_STATUSES


class DeliverySummarySerializer(serializers.Serializer):
    delivered = serializers.IntegerField()
    shipped = serializers.IntegerField()
    outstanding = serializers.IntegerField()
    problem = serializers.IntegerField()
    total = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Not delivered, past the last day of the promised month.")
    late = serializers.IntegerField(help_text="Not delivered, past the promised month plus the platform's grace.")
    behind_promise = serializers.BooleanField()
    promised_by = serializers.DateField(allow_null=True, help_text="The last day of the latest promised month.")


class AddressSerializer(serializers.Serializer):
    recipient = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()
    region = serializers.CharField()
    postal_code = serializers.CharField()
    country = serializers.CharField()
    phone = serializers.CharField()


class DeliverySerializer(serializers.Serializer):
    """One paid pledge whose reward ships, as its campaign's owner and staff see it."""

    pledge = serializers.IntegerField(source="pk")
    tier = serializers.IntegerField(source="tier_id")
    tier_title = serializers.CharField(source="tier.title")
    status = serializers.SerializerMethodField()
    tracking_reference = serializers.SerializerMethodField()
    shipped_at = serializers.SerializerMethodField()
    confirmed_at = serializers.SerializerMethodField()
    problem = serializers.SerializerMethodField()
    shipping_address = serializers.SerializerMethodField()

    def _delivery(self, pledge):
        return getattr(pledge, "delivery", None)

    def get_status(self, pledge) -> str:
        delivery = self._delivery(pledge)
        return delivery.status if delivery else DeliveryStatus.OUTSTANDING

    def get_tracking_reference(self, pledge) -> str:
        delivery = self._delivery(pledge)
        return delivery.tracking_reference if delivery else ""

    def get_shipped_at(self, pledge) -> str | None:
        delivery = self._delivery(pledge)
        if delivery and delivery.shipped_at:
            return serializers.DateTimeField().to_representation(delivery.shipped_at)
        return None

    def get_confirmed_at(self, pledge) -> str | None:
        delivery = self._delivery(pledge)
        if delivery and delivery.confirmed_at:
            return serializers.DateTimeField().to_representation(delivery.confirmed_at)
        return None

    def get_problem(self, pledge) -> str:
        delivery = self._delivery(pledge)
        return delivery.problem if delivery else ""

    @extend_schema_field(AddressSerializer(allow_null=True))
    def get_shipping_address(self, pledge):
        address = getattr(pledge, "shipping_address", None)
        return AddressSerializer(address).data if address else None


class ShipSerializer(serializers.Serializer):
    tracking_reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class ShipCsvSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="UTF-8 CSV: pledge_id,tracking_reference per line; a header line is allowed."
    )


class ShipReportSerializer(serializers.Serializer):
    shipped = serializers.ListField(child=serializers.IntegerField())


class RowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    message = serializers.CharField()


class ShipCsvErrorSerializer(ErrorSerializer):
    rows = RowErrorSerializer(
        many=True, required=False, help_text="code csv_rows_invalid: each bad row's line and reason (nothing written)."
    )


class ProblemSerializer(serializers.Serializer):
    problem = serializers.CharField(max_length=4000)


class DeliveryStateSerializer(serializers.Serializer):
    pledge = serializers.IntegerField(source="pledge_id")
    status = serializers.CharField()
    tracking_reference = serializers.CharField()
    shipped_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    problem = serializers.CharField()


def _owned(request, pk: int):
    campaign = campaign_for(request, pk)
    if not can_see_addresses(campaign, request.user):
        raise NotFound("No such campaign.")
    return campaign


class CampaignDeliverySummaryView(APIView):
    permission_classes: list = []

    @extend_schema(
        tags=["delivery"],
        responses={200: DeliverySummarySerializer},
        summary="How many of a funded campaign's shipped rewards are delivered, shipped and outstanding",
    )
    def get(self, request, pk: int):
        campaign = campaign_for(request, pk)
        summary = delivery_summary(campaign) if campaign.status in FUNDED_STATUSES else DeliverySummary()
        return Response(DeliverySummarySerializer(_summary_data(summary)).data)


def _summary_data(summary: DeliverySummary) -> dict:
    return {**summary.__dict__, "total": summary.total, "behind_promise": summary.behind_promise}


class CampaignDeliveryListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["delivery"],
        responses={200: DeliverySerializer(many=True), 404: ErrorSerializer},
        summary="The campaign's paid pledges whose reward ships, with their addresses (owner and staff only)",
    )
    def get(self, request, pk: int):
        campaign = _owned(request, pk)
        return Response(DeliverySerializer(shipping_pledges(campaign), many=True).data)


class DeliveryShipView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["delivery"],
        request=ShipSerializer,
        responses={200: DeliveryStateSerializer, 400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer},
        summary="Mark a pledge's reward shipped (the campaign's owner); the backer is e-mailed",
    )
    def post(self, request, pk: int):
        pledge = get_object_or_404(Pledge.objects.select_related("campaign"), pk=pk)
        if not can_see_addresses(pledge.campaign, request.user):
            raise NotFound("No such pledge.")
        serializer = ShipSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = services.delivery_ship(
            pledge=pledge, user=request.user, tracking_reference=serializer.validated_data["tracking_reference"]
        )
        return Response(DeliveryStateSerializer(delivery).data)


class DeliveryShipCsvView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["delivery"],
        request={"multipart/form-data": ShipCsvSerializer},
        responses={200: ShipReportSerializer, 400: ShipCsvErrorSerializer},
        summary="Mark many rewards shipped from a CSV file (one bad row: nothing is written, every bad row listed)",
    )
    def post(self, request, pk: int):
        campaign = _owned(request, pk)
        serializer = ShipCsvSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = services.deliveries_ship_csv(
            campaign=campaign, user=request.user, content=serializer.validated_data["file"].read()
        )
        if not report.ok:
            body = error_body(400, "csv_rows_invalid", "Nothing was marked as shipped: see the rows.")
            body["rows"] = [{"line": line, "message": message} for line, message in report.errors]
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"shipped": report.shipped})


def _backers(request, pk: int) -> Pledge:
    pledge = pledge_of_backer(request.user, pk)
    if pledge is None:
        raise NotFound("No such pledge.")
    return pledge


class DeliveryConfirmView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["delivery"],
        request=None,
        responses={200: DeliveryStateSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        summary="I received my reward (the pledge's backer)",
    )
    def post(self, request, pk: int):
        delivery = services.delivery_confirm(pledge=_backers(request, pk), backer=request.user)
        return Response(DeliveryStateSerializer(delivery).data)


class DeliveryProblemView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["delivery"],
        request=ProblemSerializer,
        responses={200: DeliveryStateSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
        summary="Report a problem with my reward (the owner and staff are e-mailed)",
    )
    def post(self, request, pk: int):
        pledge = _backers(request, pk)
        serializer = ProblemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delivery = services.delivery_problem_report(
            pledge=pledge, backer=request.user, text=serializer.validated_data["problem"]
        )
        return Response(DeliveryStateSerializer(delivery).data)
