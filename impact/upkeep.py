"""Upkeep of funded assets: the plan (who maintains it, for how long, with what money) required before
a campaign that creates an asset is submitted, and the follow-up reports requested 6 and 12 months after
its completion (a scheduled job sends the requests and one reminder each)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.errors import ApplicationError, PermissionDenied
from core.outbox import notify
from platforms.models import Platform
from projects import hooks as project_hooks
from projects.models import Campaign, CampaignStatus

from .models import FOLLOW_UP_MONTHS, AssetStatus, FollowUp, UpkeepPlan

S = CampaignStatus
REMIND_AFTER_DAYS = 14  # a request left unanswered this long gets one reminder
MAX_UPKEEP_MONTHS = 600


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def creates_asset(campaign: Campaign) -> bool:
    """Its category says so, or its owner did (an asset in a category that usually has none)."""
    plan = UpkeepPlan.objects.filter(campaign=campaign).first()
    return bool(campaign.category.creates_asset or (plan and plan.creates_asset))


def upkeep_plan_set(
    *, campaign: Campaign, user: Any, creates_asset: bool, maintainer: str, months: int | None, funding: str
) -> UpkeepPlan:
    """The owner states (or changes, while a draft) the campaign's upkeep plan."""
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the campaign's owner may do this.")
    if campaign.status != S.DRAFT:
        raise ApplicationError(gettext_noop("The upkeep plan is set while the campaign is a draft."), code="not_draft")
    if months is not None and not 1 <= months <= MAX_UPKEEP_MONTHS:
        raise ApplicationError(
            gettext_noop("Say for how many months (1 to 600) the asset will be maintained."), field="months"
        )
    plan, _ = UpkeepPlan.objects.update_or_create(
        campaign=campaign,
        defaults={
            "creates_asset": creates_asset or campaign.category.creates_asset,
            "maintainer": maintainer.strip(),
            "months": months,
            "funding": funding.strip(),
        },
    )
    return plan


@project_hooks.submission_check.register
def upkeep_plan_required(*, campaign: Campaign, user: Any) -> None:
    """projects.hooks.submission_check: a campaign that creates an asset states its upkeep plan first."""
    if not creates_asset(campaign):
        return
    plan = UpkeepPlan.objects.filter(campaign=campaign).first()
    if plan is None or not plan.complete:
        raise ApplicationError(
            gettext_noop(
                "This campaign creates an asset: say who will maintain it, for how long and with what money "
                "before submitting it."
            ),
            code="upkeep_plan_required",
        )


@project_hooks.campaign_moved.register
def follow_ups_schedule(*, campaign: Campaign, from_status: str, to_status: str, actor: Any, note: str) -> None:
    """projects.hooks.campaign_moved: a completed campaign with an asset gets its 6- and 12-month
    follow-ups, due from its completion day (in the platform's time zone)."""
    if to_status != S.COMPLETED or not creates_asset(campaign):
        return
    completed = timezone.now().astimezone(campaign.platform.tz).date()
    for months in FOLLOW_UP_MONTHS:
        FollowUp.objects.get_or_create(
            campaign=campaign, months=months, defaults={"due_on": add_months(completed, months)}
        )


def follow_ups_request(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: ask for each follow-up once its day has come, and remind once after
    REMIND_AFTER_DAYS without an answer. Each mail is queued with a conditional update of its row in one
    transaction, so a second run (or a second worker) sends nothing again. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    due = FollowUp.objects.filter(requested_at__isnull=True, submitted_at__isnull=True).select_related(
        "campaign__platform"
    )
    for follow_up in due.iterator(chunk_size=500):
        if follow_up.due_on > now.astimezone(follow_up.campaign.platform.tz).date():
            continue
        with transaction.atomic():
            if FollowUp.objects.filter(pk=follow_up.pk, requested_at__isnull=True).update(requested_at=now):
                notify("follow_up_request", follow_up_id=follow_up.pk)
                queued += 1
    unanswered = FollowUp.objects.filter(
        submitted_at__isnull=True,
        reminded_at__isnull=True,
        requested_at__lte=now - dt.timedelta(days=REMIND_AFTER_DAYS),
    ).values_list("pk", flat=True)
    for pk in list(unanswered):
        with transaction.atomic():
            if FollowUp.objects.filter(pk=pk, reminded_at__isnull=True, submitted_at__isnull=True).update(
                reminded_at=now
            ):
                notify("follow_up_request", follow_up_id=pk, reminder=True)
                queued += 1
    return queued


def follow_up_submit(*, follow_up: FollowUp, user: Any, status: str, text: str) -> FollowUp:
    """The owner posts a requested follow-up: the asset's status and a short public update. Once."""
    if status not in AssetStatus.values:
        raise ApplicationError(
            gettext_noop("Choose the asset's status: in use, needs repair or out of use."), field="status"
        )
    if not text.strip():
        raise ApplicationError(gettext_noop("Say in a few words how the asset is doing."), field="text")
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().select_related("campaign").get(pk=follow_up.pk)
        if follow_up.campaign.owner_id != getattr(user, "pk", None):
            raise PermissionDenied("Only the campaign's owner may do this.")
        if follow_up.submitted_at is not None:
            raise ApplicationError(gettext_noop("This follow-up has been posted already."), code="already_posted")
        if follow_up.requested_at is None:
            raise ApplicationError(gettext_noop("This follow-up is not due yet."), code="not_due")
        follow_up.status, follow_up.text = status, text.strip()
        follow_up.submitted_at, follow_up.submitted_by = timezone.now(), user
        follow_up.save(update_fields=["status", "text", "submitted_at", "submitted_by"])
    return follow_up


def assets_of(platform: Platform, *, status: str = "") -> list[tuple[Campaign, FollowUp | None]]:
    """The platform's completed campaigns with an asset, each with its latest posted follow-up;
    `status` keeps those whose latest status is it ("unknown": none posted yet)."""
    campaigns: QuerySet[Campaign] = (
        Campaign.objects.filter(platform=platform, status=S.COMPLETED)
        .filter(Q(category__creates_asset=True) | Q(upkeep__creates_asset=True))
        .select_related("platform", "category", "area", "upkeep")
        .order_by("-id")
    )
    posted: dict[int, FollowUp] = {}
    for f in FollowUp.objects.filter(campaign__in=campaigns, submitted_at__isnull=False).order_by("months"):
        posted[f.campaign_id] = f  # the latest milestone wins
    rows = [(c, posted.get(c.pk)) for c in campaigns]
    if status == "unknown":
        return [(c, f) for c, f in rows if f is None]
    if status:
        return [(c, f) for c, f in rows if f is not None and f.status == status]
    return rows
