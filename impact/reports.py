"""The final report's due date, its reminders, and the public record of reports: due a platform-set
number of days after the first payout; reminders 14 and 3 days before and once overdue, each sent once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from core.outbox import notify
from platforms.models import Platform
from projects.models import NOT_PUBLIC_STATUSES, Campaign, CampaignStatus

from .models import ReportReminder

S = CampaignStatus
# A report is still owed in these states (a filed report waiting for review is not overdue).
REPORT_OWED = (S.PAID, S.REPORT_REJECTED)
# The reminder stages: (kind, sent when this many days or fewer are left); "overdue" once past due.
REMINDERS = (("due_in_3", 3), ("due_in_14", 14))


def report_due_fix(campaign: Campaign, *, paid_at: dt.datetime) -> None:
    """The first payout was paid (in its transaction, the campaign locked): the final report is due
    `report_due_days` days later, counted in the platform's time zone."""
    platform = campaign.platform
    due = paid_at.astimezone(platform.tz).date() + dt.timedelta(days=platform.report_due_days)
    campaign.report_due_on = due
    Campaign.objects.filter(pk=campaign.pk).update(report_due_on=due)


def reminder_kind(due_on: dt.date, today: dt.date) -> str | None:
    """Which reminder a report due on `due_on` calls for today (the most urgent stage reached)."""
    left = (due_on - today).days
    if left < 0:
        return "overdue"
    for kind, days in REMINDERS:
        if left <= days:
            return kind
    return None


def report_reminders_send(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: e-mail each owner whose report is owed and whose next stage is reached, once
    per stage (a ReportReminder row, unique per campaign and stage, written with its e-mail in one
    transaction: a second run, or two workers at once, send nothing more). Returns how many were queued."""
    now = now or timezone.now()
    sent = 0
    owed = Campaign.objects.filter(status__in=REPORT_OWED, report_due_on__isnull=False).select_related("platform")
    for campaign in owed.iterator(chunk_size=500):
        assert campaign.report_due_on is not None
        kind = reminder_kind(campaign.report_due_on, now.astimezone(campaign.platform.tz).date())
        if kind is None or ReportReminder.objects.filter(campaign=campaign, kind=kind).exists():
            continue
        try:
            with transaction.atomic():
                ReportReminder.objects.create(campaign=campaign, kind=kind)
                notify("report_reminder", campaign_id=campaign.pk, stage=kind)
        except IntegrityError:  # another worker sent this one
            continue
        sent += 1
    return sent


def reports_overdue(platform: Platform, *, today: dt.date | None = None) -> QuerySet[Campaign]:
    """The platform's campaigns whose final report is owed and past its due date, longest overdue first."""
    today = today or timezone.now().astimezone(platform.tz).date()
    return (
        Campaign.objects.filter(platform=platform, status__in=REPORT_OWED, report_due_on__lt=today)
        .select_related("platform", "owner")
        .order_by("report_due_on", "id")
    )


@dataclass(frozen=True)
class ReportRecord:
    """One funded campaign in its owner's public record."""

    campaign: Campaign
    due_on: dt.date | None
    filed_on: dt.date | None  # the first filing
    state: str  # "approved", "under_review", "rejected", "overdue", "not_due", "no_payout_yet"

    @property
    def late(self) -> bool:
        return self.filed_on is not None and self.due_on is not None and self.filed_on > self.due_on


def owner_record(owner_id: int, *, today: dt.date | None = None) -> list[ReportRecord]:
    """An owner's public campaigns with their final reports' record (on time, late, overdue)."""
    campaigns = (
        Campaign.objects.filter(owner_id=owner_id)
        .exclude(status__in=NOT_PUBLIC_STATUSES)
        .select_related("platform", "category", "area")
        .annotate(first_filed=Min("final_reports__submitted_at"))
        .order_by("-created_at", "-id")
    )
    rows = []
    for c in campaigns:
        tz = c.platform.tz
        day = today or timezone.now().astimezone(tz).date()
        filed = c.first_filed.astimezone(tz).date() if c.first_filed else None
        if c.status == S.COMPLETED:
            state = "approved"
        elif c.status == S.REPORT_SUBMITTED:
            state = "under_review"
        elif c.status in REPORT_OWED and c.report_due_on and c.report_due_on < day:
            state = "overdue"
        elif c.status == S.REPORT_REJECTED:
            state = "rejected"
        elif c.status == S.PAID:
            state = "not_due"
        else:
            state = "no_payout_yet" if c.status == S.SUCCEEDED else ""
        rows.append(ReportRecord(campaign=c, due_on=c.report_due_on, filed_on=filed, state=state))
    return rows


@dataclass(frozen=True)
class ReportsSummary:
    """An owner's final reports in numbers: filed on time or late (first filing against the due date),
    approved, and owed past their due date now."""

    on_time: int
    late: int
    approved: int
    overdue: int

    @property
    def filed(self) -> int:
        return self.on_time + self.late


def owner_reports_summary(record: list[ReportRecord]) -> ReportsSummary:
    """Counted from `owner_record`'s rows (no query)."""
    filed = [r for r in record if r.filed_on is not None]
    return ReportsSummary(
        on_time=sum(1 for r in filed if not r.late),
        late=sum(1 for r in filed if r.late),
        approved=sum(1 for r in record if r.state == "approved"),
        overdue=sum(1 for r in record if r.state == "overdue"),
    )
