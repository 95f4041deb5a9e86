"""Reads of payouts."""

from __future__ import annotations

from .models import Payout


def payouts_of_owner(user):
    """Payouts of the campaigns `user` owns."""
    return Payout.objects.filter(campaign__owner_id=user.pk).select_related("campaign").order_by("-campaign_id", "kind")
