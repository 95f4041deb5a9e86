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
from projects.models import NOT_PUBLIC_STATUSES, Campaign, CampaignStatus, ReportStatus

from .models import FollowUp, Indicator, StandardIndicator, UpkeepPlan


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


def campaign_impact(campaign: Campaign) -> dict:
    """A public campaign's accountability as data (the API's and the open data's): the approved report's
    spending against what was raised and paid, its attachments' ids, indicators (achieved once approved),
    upkeep and posted follow-ups."""
    report = campaign.final_reports.filter(status=ReportStatus.APPROVED).first()
    approved = report is not None
    paid = (campaign.first_payout_amount or 0) + (campaign.held_amount or 0)
    spent = report.spending_total if report else 0
    upkeep = UpkeepPlan.objects.filter(campaign=campaign).first()
    return {
        "report_due_on": campaign.report_due_on,
        "report_approved": approved,
        "raised": campaign.collected or 0,
        "paid_to_owner": paid,
        "spent": spent,
        "spending_above_payout": approved and spent > paid,
        "spending": report.spending if report else [],
        "attachments": list(report.attachments.values_list("pk", flat=True)) if report else [],
        "indicators": [
            {
                "name": i.name,
                "unit": i.unit,
                "standard_id": i.standard_id,
                "target": i.target,
                "achieved": i.achieved if approved else None,
                "evidence": i.evidence if approved else "",
            }
            for i in indicators_of(campaign)
        ],
        "upkeep": (
            {
                "creates_asset": upkeep.creates_asset,
                "maintainer": upkeep.maintainer,
                "months": upkeep.months,
                "funding": upkeep.funding,
            }
            if upkeep
            else None
        ),
        "follow_ups": list(
            FollowUp.objects.filter(campaign=campaign, submitted_at__isnull=False).values(
                "months", "status", "text", "submitted_at"
            )
        ),
    }
