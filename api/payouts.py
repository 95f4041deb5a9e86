"""REST API v1 for owners: the payouts of their campaigns (read only; payouts move by services) and their
bank details (where payouts and withdrawals are sent; private to the user)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from payouts.details import bank_details_of, bank_details_save
from payouts.models import BankDetails, Payout
from payouts.selectors import payouts_of_owner


class PayoutSerializer(serializers.ModelSerializer):
    campaign_title = serializers.CharField(source="campaign.title", read_only=True)

    class Meta:
        model = Payout
        fields = [
            "id",
            "campaign",
            "campaign_title",
            "kind",
            "amount",
            "currency",
            "due_on",
            "status",
            "reference",
            "paid_at",
        ]
        read_only_fields = fields


@extend_schema(tags=["payouts"], summary="Payouts of my campaigns")
class MyPayoutListView(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PayoutSerializer

    def get_queryset(self):
        return payouts_of_owner(self.request.user)


class BankDetailsSerializer(serializers.ModelSerializer):
    iban = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    sheba = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")

    class Meta:
        model = BankDetails
        fields = ["holder_name", "iban", "sheba", "updated_at"]
        read_only_fields = ["updated_at"]


class MyBankDetailsView(APIView):
    """The account an owner's payouts (IBAN on platforms in pounds, Sheba on the Iranian ones) and their
    wallet withdrawals are paid to. A campaign cannot be submitted before the number its platform
    needs is given."""

    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["payouts"], responses=BankDetailsSerializer, summary="My bank details")
    def get(self, request):
        details = bank_details_of(request.user)
        if details is None:
            raise NotFound("You have given no bank details yet.")
        return Response(BankDetailsSerializer(details).data)

    @extend_schema(
        tags=["payouts"],
        request=BankDetailsSerializer,
        responses=BankDetailsSerializer,
        summary="Set my bank details (validated IBAN and/or Sheba)",
    )
    def put(self, request):
        serializer = BankDetailsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        details = bank_details_save(user=request.user, **serializer.validated_data)
        return Response(BankDetailsSerializer(details).data, status=status.HTTP_200_OK)
