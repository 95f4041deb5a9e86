"""The final report's approval: the campaign is complete and the held part becomes due."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from core.outbox import notify
from payouts.services import held_payout_release
from projects.models import CampaignStatus, FinalReport, ReportStatus
from projects.selectors import campaign_lock
from projects.services import REVIEW_REPORT, campaign_move, check_permission


def report_approve(*, report: FinalReport, admin: Any) -> FinalReport:
    """An admin approves a submitted final report (campaign, then report, row-locked): it becomes
    public, the campaign is complete and the held part becomes due to the owner at once (it is sent
    unless `payouts.hooks.release_blocked` holds it back). Raises PermissionDenied, ApplicationError
    `already_reviewed`, InvalidTransition."""
    check_permission(admin, REVIEW_REPORT)
    with transaction.atomic():
        campaign = campaign_lock(report.campaign_id)
        report = FinalReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ApplicationError("This report has been reviewed already.", code="already_reviewed")
        campaign_move(campaign, CampaignStatus.COMPLETED, actor=admin, note="Final report approved.")
        report.status, report.reviewed_at, report.reviewed_by = ReportStatus.APPROVED, timezone.now(), admin
        report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        held_payout_release(campaign)
        notify("report_approved", report_id=report.pk)
    return report
