"""Reads of payouts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Payout


def payouts_of_owner(user: Any) -> QuerySet[Payout]:
    """Payouts of the campaigns `user` owns."""
    return Payout.objects.filter(campaign__owner_id=user.pk).select_related("campaign").order_by("-campaign_id", "kind")
