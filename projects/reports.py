"""Final reports: the owner files (and after a rejection files again) the report of what was done with
the money; reviewers reject it with a public reason. Its approval moves money and is funding's
(funding.services.reports)."""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.errors import ApplicationError
from core.outbox import notify

from .attachments import ALLOWED, MAX_PER_REPORT, attachment_check
from .models import Campaign, CampaignStatus, FinalReport, ReportAttachment, ReportStatus
from .selectors import campaign_lock
from .services import REVIEW_REPORT, _check_owner, campaign_move, check_permission

S = CampaignStatus


def _check_spending(spending: Any) -> list[dict[str, Any]]:
    if not isinstance(spending, list):
        raise ApplicationError("The spending breakdown is a list of items and amounts.", field="spending")
    rows = []
    for row in spending:
        item = str(row.get("item", "")).strip() if isinstance(row, dict) else ""
        amount = row.get("amount") if isinstance(row, dict) else None
        if not item or isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ApplicationError(
                "Each spending line needs an item and a whole, non-negative amount.", field="spending"
            )
        rows.append({"item": item, "amount": amount})
    return rows


def report_submit(
    *,
    campaign: Campaign,
    user: Any,
    text: str,
    spending: list[dict],
    request_key: str | None = None,
    attachments: list[tuple[Any, str]] | None = None,
) -> FinalReport:
    """The owner files (or after a rejection, files again) the final report: paid/rejected → submitted.
    Under the campaign's row lock, a `request_key` already used on this campaign returns that request's
    report (the same form sent twice) instead of refusing the move. `attachments`: (uploaded file,
    caption) pairs, each an image or a PDF by its content and within the size limit (projects.attachments),
    all checked before anything is written."""
    spending = _check_spending(spending)
    if not text.strip():
        raise ApplicationError("Describe what was done with the money.", field="text")
    attachments = attachments or []
    if len(attachments) > MAX_PER_REPORT:
        raise ApplicationError(gettext_noop("Attach at most ten files to a report."), field="attachments")
    kinds = [attachment_check(upload) for upload, _ in attachments]
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _check_owner(campaign, user)
        if request_key and (done := FinalReport.objects.filter(campaign=campaign, request_key=request_key).first()):
            return done
        campaign_move(campaign, S.REPORT_SUBMITTED, actor=user)
        report = FinalReport.objects.create(campaign=campaign, text=text, spending=spending, request_key=request_key)
        for (upload, caption), kind in zip(attachments, kinds, strict=True):
            ReportAttachment.objects.create(
                report=report,
                file=File(upload, name=f"attachment{ALLOWED[kind]}"),
                caption=caption.strip()[:200],
                content_type=kind,
                size=upload.size,
            )
        return report


def report_reject(*, report: FinalReport, admin: Any, reason: str, private_note: str = "") -> FinalReport:
    """An admin rejects the final report with a reason (public: the decision log shows it) and perhaps a
    private note only the owner and staff see; the owner may revise and file it again."""
    check_permission(admin, REVIEW_REPORT)
    if not reason.strip():
        raise ApplicationError("Say why the report is rejected.", field="reason")
    with transaction.atomic():
        campaign = campaign_lock(report.campaign_id)
        report = FinalReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ApplicationError("This report has been reviewed already.", code="already_reviewed")
        campaign_move(campaign, S.REPORT_REJECTED, actor=admin, note=reason)
        report.status, report.reason, report.private_note = ReportStatus.REJECTED, reason, private_note.strip()
        report.reviewed_at, report.reviewed_by = timezone.now(), admin
        report.save(update_fields=["status", "reason", "private_note", "reviewed_at", "reviewed_by"])
        notify("report_rejected", report_id=report.pk)
    return report
