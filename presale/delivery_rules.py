"""What claims need to know of a reward's delivery, read from the delivery's own rules
(presale.selectors: `delivery_due`, `late_from`, `delivery_status`): whether its tier ships, the last
day it may be claimed for, whether it is late, and where the pledge's delivery stands."""

from __future__ import annotations

import datetime as dt

from pledges.models import Pledge
from projects.models import RewardTier

from .models import DeliveryStatus
from .selectors import delivery_due, delivery_status, is_late, late_from

DELIVERED = DeliveryStatus.DELIVERED
PROBLEM = DeliveryStatus.PROBLEM


def tier_ships(tier: RewardTier) -> bool:
    return tier.ships and tier.estimated_delivery is not None


def claim_last_day(tier: RewardTier) -> dt.date:
    """Claims are taken until the claim window after the promised month's end plus the grace (the
    guarantee lasts that long: presale.guarantees.guarantee_needed_until)."""
    platform = tier.campaign.platform
    due = delivery_due(tier)
    assert due is not None  # a tier that ships states its month (tier_ships_has_delivery_month)
    return due + dt.timedelta(days=platform.delivery_grace_days + platform.claim_window_days)


def first_late_day(tier: RewardTier) -> dt.date | None:
    return late_from(tier, tier.campaign.platform)


def state_of(pledge: Pledge) -> str | None:
    return delivery_status(pledge)


def late(pledge: Pledge, today: dt.date) -> bool:
    return is_late(pledge, today)
