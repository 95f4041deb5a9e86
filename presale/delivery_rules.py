"""What claims need to know of a reward's delivery: whether its tier ships, the day it was promised for,
and where the pledge's delivery stands. One place, so the claim rules read the delivery's own state."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from pledges.models import Pledge
from projects.models import RewardTier

OUTSTANDING = "outstanding"
SHIPPED = "shipped"
DELIVERED = "delivered"
PROBLEM = "problem"


def tier_ships(tier: RewardTier) -> bool:
    return bool(getattr(tier, "ships", tier.estimated_delivery is not None))


def promised_on(tier: RewardTier) -> dt.date:
    """The reward's estimated delivery; without one, the day of the campaign's deadline."""
    if tier.estimated_delivery is not None:
        return tier.estimated_delivery
    campaign = tier.campaign
    return timezone.localtime(campaign.deadline, campaign.platform.tz).date()


def state_of(pledge: Pledge) -> str:
    return OUTSTANDING
