"""Reads of payouts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Payout, StripeConnectAccount


def payouts_of_owner(user: Any) -> QuerySet[Payout]:
    """Payouts of the campaigns `user` owns."""
    return Payout.objects.filter(campaign__owner_id=user.pk).select_related("campaign").order_by("-campaign_id", "kind")


def payouts_of_campaign(campaign_id: int) -> list[Payout]:
    """A campaign's payouts, the first one then the held part."""
    return list(Payout.objects.filter(campaign_id=campaign_id).order_by("kind"))


def payout_account_of(user: Any) -> StripeConnectAccount | None:
    """The owner's connected payout account (None before they connect one)."""
    return StripeConnectAccount.objects.filter(user=user).first()
