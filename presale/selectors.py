"""Reading pre-sale trust for pages and the API."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from platforms.models import Platform
from pledges.models import Pledge, PledgeStatus
from projects.models import FUNDED_STATUSES, NOT_PUBLIC_STATUSES, Campaign, RewardTier

from .models import ACCEPTED_CLAIMS, UNDECIDED_CLAIMS, Claim, Delivery, DeliveryStatus, Guarantee, GuaranteeStatus

D = DeliveryStatus


def guarantee_public(campaign: Campaign) -> Guarantee | None:
    """The guarantee the public sees: the latest one staff verified (in force, withdrawn or expired);
    one still waiting for staff is not shown."""
    shown = (GuaranteeStatus.VERIFIED, GuaranteeStatus.WITHDRAWN, GuaranteeStatus.EXPIRED)
    return (
        Guarantee.objects.filter(campaign=campaign, status__in=shown, verified_at__isnull=False)
        .order_by("-verified_at", "-id")
        .first()
    )


def guarantees_of(campaign: Campaign) -> list[Guarantee]:
    return list(Guarantee.objects.filter(campaign=campaign))


# Delivery ------------------------------------------------------------------------------------------
# The rule of lateness, in one place: a reward that ships is promised by the last day of its estimated
# month (`delivery_due`); it is late, and its backer may claim, from the day after that day plus the
# platform's grace days (`late_from`), for as long as it is not delivered.


def delivery_due(tier: RewardTier) -> dt.date | None:
    """The last day of the tier's estimated delivery month; None for a tier without one."""
    return None if tier.estimated_delivery is None else month_end(tier.estimated_delivery)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def late_from(tier: RewardTier, platform: Platform) -> dt.date | None:
    """The first day a reward of this tier counts as late if not delivered (None: it does not ship)."""
    due = delivery_due(tier)
    if not tier.ships or due is None:
        return None
    return due + dt.timedelta(days=platform.delivery_grace_days + 1)


def platform_today(platform: Platform) -> dt.date:
    return timezone.localtime(timezone.now(), platform.tz).date()


def delivery_status(pledge: Pledge) -> str | None:
    """Where the pledge's reward is (a `DeliveryStatus`); None when it has no reward that ships."""
    tier = pledge.tier
    if tier is None or not tier.ships:
        return None
    try:
        return pledge.delivery.status
    except Pledge.delivery.RelatedObjectDoesNotExist:
        return D.OUTSTANDING


def is_late(pledge: Pledge, today: dt.date) -> bool:
    """The pledge's reward ships, is not delivered, and `today` (in the platform's time zone) is on or
    after `late_from`: past the promised month's end plus the platform's grace days."""
    status = delivery_status(pledge)
    if status is None or status == D.DELIVERED:
        return False
    first_late_day = late_from(pledge.tier, pledge.campaign.platform)  # type: ignore[arg-type]
    return first_late_day is not None and today >= first_late_day


@dataclass(frozen=True)
class DeliverySummary:
    """A campaign's shipped rewards, counted over its paid pledges whose tier ships."""

    outstanding: int = 0
    shipped: int = 0
    delivered: int = 0
    problem: int = 0
    # Not delivered, past the promised month's end (`overdue`) / past it plus the grace (`late`).
    overdue: int = 0
    late: int = 0
    promised_by: dt.date | None = None  # the latest promised month's last day

    @property
    def total(self) -> int:
        return self.outstanding + self.shipped + self.delivered + self.problem

    @property
    def behind_promise(self) -> bool:
        return self.overdue > 0


def delivery_summary(campaign: Campaign, today: dt.date | None = None) -> DeliverySummary:
    """One grouped query over the campaign's paid pledges whose reward ships (by delivery status and
    promised month): the counts the campaign page shows, and how many are overdue or late."""
    platform = campaign.platform
    today = today or platform_today(platform)
    rows = (
        Pledge.objects.filter(campaign=campaign, status=PledgeStatus.PAID, tier__ships=True)
        .values(month=F("tier__estimated_delivery"), state=Coalesce("delivery__status", Value(D.OUTSTANDING)))
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {s: 0 for s in D.values}
    overdue = late = 0
    promised_by = None
    grace = dt.timedelta(days=platform.delivery_grace_days)
    for row in rows:
        counts[row["state"]] += row["n"]
        due = month_end(row["month"])
        promised_by = max(promised_by or due, due)
        if row["state"] != D.DELIVERED:
            overdue += row["n"] if today > due else 0
            late += row["n"] if today > due + grace else 0
    return DeliverySummary(
        outstanding=counts[D.OUTSTANDING],
        shipped=counts[D.SHIPPED],
        delivered=counts[D.DELIVERED],
        problem=counts[D.PROBLEM],
        overdue=overdue,
        late=late,
        promised_by=promised_by,
    )


@dataclass(frozen=True)
class DeliveryRecord:
    """An owner's shipped rewards over all their public campaigns: delivered within the promised month
    (`on_time`) or after it (`late`), not delivered and past the promised month (`overdue`), not
    delivered and not yet due (`pending`)."""

    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0

    @property
    def delivered(self) -> int:
        return self.on_time + self.late

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.pending


def owner_delivery_record(owner_id: int, *, today: dt.date | None = None) -> DeliveryRecord:
    """One grouped query per platform the owner sells on (not per campaign): their public campaigns'
    paid pledges whose reward ships, by promised month, delivery state and month of the backer's
    confirmation (in the platform's time zone). The promise is the month's last day (`delivery_due`)."""
    pledges = Pledge.objects.filter(
        campaign__owner_id=owner_id, status=PledgeStatus.PAID, tier__ships=True, tier__estimated_delivery__isnull=False
    ).exclude(campaign__status__in=NOT_PUBLIC_STATUSES)
    counts = {"on_time": 0, "late": 0, "overdue": 0, "pending": 0}
    for platform in Platform.objects.filter(pk__in=pledges.values("campaign__platform_id")):
        day = today or platform_today(platform)
        rows = (
            pledges.filter(campaign__platform=platform)
            .values(
                month=F("tier__estimated_delivery"),
                state=Coalesce("delivery__status", Value(D.OUTSTANDING)),
                confirmed=TruncMonth("delivery__confirmed_at", tzinfo=platform.tz),
            )
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            month = row["month"].replace(day=1)
            if row["state"] == D.DELIVERED:
                confirmed = row["confirmed"].date() if isinstance(row["confirmed"], dt.datetime) else row["confirmed"]
                counts["on_time" if confirmed is not None and confirmed <= month else "late"] += row["n"]
            else:
                counts["overdue" if day > month_end(month) else "pending"] += row["n"]
    return DeliveryRecord(**counts)


# Claims ---------------------------------------------------------------------------------------------


def claims_of_campaign(campaign: Campaign) -> list[Claim]:
    """The campaign's claims for its owner's page, undecided first."""
    claims = Claim.objects.filter(campaign=campaign).select_related("backer", "pledge__tier")
    return sorted(claims, key=lambda c: (c.status not in UNDECIDED_CLAIMS, -c.pk))


def claim_visible(claim_id: int, user: Any) -> Claim | None:
    """Claim `claim_id` if `user` may see it: its backer, the campaign's owner, or staff."""
    claim = (
        Claim.objects.select_related("campaign__platform", "campaign__owner", "backer", "pledge__tier")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_staff or user.pk in (claim.backer_id, claim.campaign.owner_id):
        return claim
    return None


def claim_of_pledge(pledge_id: int) -> Claim | None:
    return Claim.objects.filter(pledge_id=pledge_id).first()


@dataclass(frozen=True)
class ClaimsSummary:
    filed: int
    undecided: int
    accepted: int
    accepted_amount: int
    paid_amount: int


def claims_summary(campaign: Campaign) -> ClaimsSummary:
    """What a campaign's claims come to: for its final report and page (accepted and paid)."""
    claims = Claim.objects.filter(campaign=campaign)
    totals = claims.filter(status__in=ACCEPTED_CLAIMS).aggregate(
        n=Count("id"), accepted=Sum("accepted_amount"), held=Sum("paid_from_held"), guarantee=Sum("paid_from_guarantee")
    )
    return ClaimsSummary(
        filed=claims.count(),
        undecided=claims.filter(status__in=UNDECIDED_CLAIMS).count(),
        accepted=totals["n"] or 0,
        accepted_amount=totals["accepted"] or 0,
        paid_amount=(totals["held"] or 0) + (totals["guarantee"] or 0),
    )


def shipping_pledges(campaign: Campaign) -> list[Pledge]:
    """The campaign's paid pledges whose reward ships, with their tier, delivery and address (for the
    owner's delivery page and address export, and staff): a few joined queries, none per pledge. Show it
    only to the campaign's owner and staff (`can_see_addresses`)."""
    return list(
        Pledge.objects.filter(campaign=campaign, status=PledgeStatus.PAID, tier__ships=True)
        .select_related("tier", "backer", "delivery", "shipping_address")
        .order_by("id")
    )


def can_see_addresses(campaign: Campaign, user: Any) -> bool:
    """Shipping addresses are private to the campaign's owner and staff."""
    return bool(getattr(user, "is_authenticated", False)) and (user.pk == campaign.owner_id or user.is_staff)


def receipt_delivery(pledge: Pledge) -> dict:
    """What the backer's pledge page shows of a reward that ships: its status, delivery row, address,
    promised month and whether it is late (empty when the reward does not ship)."""
    state = delivery_status(pledge)
    if state is None or pledge.status != PledgeStatus.PAID:
        return {}
    platform = pledge.campaign.platform
    return {
        "delivery_state": state,
        "delivery": getattr(pledge, "delivery", None),
        "shipping_address": getattr(pledge, "shipping_address", None),
        "delivery_due": delivery_due(pledge.tier),  # type: ignore[arg-type]
        "delivery_late": is_late(pledge, platform_today(platform)),
        "funded": pledge.campaign.status in FUNDED_STATUSES,
    }


def delivery_states(pledges: list[Pledge]) -> list[DeliveryStatus | None]:
    """For each pledge (in order): where its reward is, for a paid pledge whose reward ships; else None.
    One query for the lot (the backer's dashboard)."""
    shipping = [p.pk for p in pledges if p.tier is not None and p.tier.ships and p.status == PledgeStatus.PAID]
    known = dict(Delivery.objects.filter(pledge_id__in=shipping).values_list("pledge_id", "status")) if shipping else {}
    wanted = set(shipping)
    return [D(known.get(p.pk, D.OUTSTANDING)) if p.pk in wanted else None for p in pledges]
