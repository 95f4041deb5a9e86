"""REST API v1 for owners: the payouts of their campaigns (read only; payouts move by services)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from payouts.models import Payout
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
