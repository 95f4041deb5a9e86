"""Reading accountability: the public decision log (what visitors may see of `decisions`), a campaign's
indicators, and the sums of the platform's standard indicators."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from decisions.models import Decision
from decisions.selectors import decisions_of
from platforms.models import Platform
from projects.models import NOT_PUBLIC_STATUSES, Campaign, CampaignStatus

from .models import Indicator, StandardIndicator


def decisions_public(
    *,
    platform: Platform | None = None,
    campaign: Campaign | None = None,
    kind: str = "",
    campaign_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Decision]:
    """The public log, newest first: decisions about public campaigns (a draft's history shows once it
    is live) or about no campaign, up to now (a start set ahead shows when it comes). Dates are days in
    the platform's time zone, both ends included."""
    qs = decisions_of(platform=platform, campaign=campaign).select_related("actor").filter(at__lte=timezone.now())
    qs = qs.filter(Q(campaign__isnull=True) | ~Q(campaign__status__in=NOT_PUBLIC_STATUSES))
    if kind:
        qs = qs.filter(kind=kind)
    if campaign_id:
        qs = qs.filter(campaign_id=campaign_id)
    tz = platform.tz if platform is not None else (campaign.platform.tz if campaign is not None else dt.UTC)
    if since:
        qs = qs.filter(at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz))
    if until:
        qs = qs.filter(at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs


def decision_who(decision: Decision) -> str:
    """The name of who decided, where its platform shows names (else ''): the role is always shown."""
    if not decision.platform.decision_log_shows_names or decision.actor is None:
        return ""
    return decision.actor.get_full_name() or decision.actor.get_username()


def indicators_of(campaign: Campaign) -> list[Indicator]:
    return list(Indicator.objects.filter(campaign=campaign).select_related("standard"))


@dataclass(frozen=True)
class IndicatorSum:
    standard: StandardIndicator
    campaigns: int  # completed campaigns that reported an achieved value
    achieved: int
    target: int


def indicator_sums(platform: Platform) -> list[IndicatorSum]:
    """Per standard indicator of the platform: across its completed campaigns (their final report
    approved), how many reported it and the sum of what they achieved (and aimed for)."""
    rows = (
        Indicator.objects.filter(
            standard__platform=platform,
            campaign__platform=platform,
            campaign__status=CampaignStatus.COMPLETED,
            achieved__isnull=False,
        )
        .values("standard")
        .annotate(campaigns=Count("campaign", distinct=True), achieved=Sum("achieved"), target=Sum("target"))
        .order_by()
    )
    found = {r["standard"]: r for r in rows}
    standards = StandardIndicator.objects.filter(pk__in=found).select_related("category").order_by("name", "id")
    return [
        IndicatorSum(
            standard=s,
            campaigns=found[s.pk]["campaigns"],
            achieved=found[s.pk]["achieved"],
            target=found[s.pk]["target"],
        )
        for s in standards
    ]
