"""E-mails to backers and owners. Services call `notify(...)` inside their transaction: it writes an
outbox row (civicfund.models.OutboxMail) in that same transaction, so a rolled-back change e-mails
no one and a committed one always has its mail on the way, even if the broker is down or a worker
is killed. `outbox_send` (a Celery task, run after commits and by beat) delivers the rows; a mail
server's failure is retried later without touching the committed payment."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # a mail that failed this often stays in the outbox for an admin to look at
_last_kick = float("-inf")


def notify(kind: str, **ids) -> None:
    """Queue the `kind` e-mail (a function of this module) with the current transaction."""
    from .models import OutboxMail

    if kind not in NOTIFICATIONS:
        raise ValueError(f"Unknown notification {kind!r}")
    OutboxMail.objects.create(kind=kind, ids=ids)
    transaction.on_commit(outbox_kick)


def outbox_kick() -> None:
    """Ask a worker to send the outbox now. At most once per CIVICFUND_OUTBOX_KICK_SECONDS per
    process: under load one message to the broker serves many mails (beat sends the rest)."""
    global _last_kick
    now = time.monotonic()
    if now - _last_kick < settings.CIVICFUND_OUTBOX_KICK_SECONDS:
        return
    _last_kick = now
    from civicfund.tasks import send_outbox

    try:
        send_outbox.delay()
    except Exception:  # noqa: BLE001 -- the mail stays in the outbox; beat sends it
        log.exception("Outbox kick not queued")


def outbox_send(*, batch: int = 100) -> int:
    """Send the outbox's due mails, oldest first; return how many messages went out.

    Rows are taken FOR UPDATE SKIP LOCKED, so two workers never send the same mail. A mail server
    failure (OSError) keeps the row for a later try with backoff; a mail whose subject is gone
    (e.g. a deleted pledge) is logged and dropped."""
    from django.db.models import Q

    from .models import OutboxMail

    sent = 0
    while True:
        with transaction.atomic():
            now = timezone.now()
            rows = list(
                OutboxMail.objects.select_for_update(skip_locked=True)
                .filter(Q(not_before__isnull=True) | Q(not_before__lte=now), attempts__lt=MAX_ATTEMPTS)
                .order_by("id")[:batch]
            )
            if not rows:
                return sent
            done = []
            for row in rows:
                try:
                    sent += notification_send(kind=row.kind, ids=row.ids)
                except OSError:
                    row.attempts += 1
                    row.not_before = now + dt.timedelta(seconds=min(3600, 30 * 2**row.attempts))
                    row.save(update_fields=["attempts", "not_before"])
                    log.warning("E-mail %s %s failed (attempt %s); will retry", row.kind, row.ids, row.attempts)
                    if row.attempts >= MAX_ATTEMPTS:
                        log.error("E-mail %s %s given up after %s attempts", row.kind, row.ids, row.attempts)
                    OutboxMail.objects.filter(pk__in=done).delete()
                    return sent  # the mail server is down: the rest waits for a later run
                except Exception:
                    log.exception("E-mail %s %s dropped", row.kind, row.ids)
                done.append(row.pk)
            OutboxMail.objects.filter(pk__in=done).delete()


def notification_send(*, kind: str, ids: dict) -> int:
    return NOTIFICATIONS[kind](**ids)


def _site_url(path: str) -> str:
    return getattr(settings, "CIVICFUND_SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def _send(template: str, recipients: list[str], context: dict, *, platform) -> int:
    """One message per recipient (never a long To: line that shows backers each other), in the
    platform's language, with dates and times in the platform's time zone (a worker runs in UTC)."""
    recipients = [r for r in dict.fromkeys(recipients) if r]
    if not recipients:
        return 0
    with translation.override(platform.language), timezone.override(platform.tz):
        subject = render_to_string(f"emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"emails/{template}.txt", context)
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return get_connection().send_messages(messages) or 0


def _backer_emails(campaign_id: int, statuses=None) -> list[str]:
    from pledges.models import COUNTING, Pledge

    qs = Pledge.objects.filter(campaign_id=campaign_id, status__in=statuses or COUNTING)
    return list(qs.values_list("backer__email", flat=True).distinct())


def pledge_receipt(*, pledge_id: int) -> int:
    from pledges.models import Pledge

    pledge = Pledge.objects.select_related("campaign__platform", "tier", "backer").get(pk=pledge_id)
    platform = pledge.campaign.platform
    return _send(
        "pledge_receipt",
        [pledge.backer.email],
        {
            "pledge": pledge,
            "campaign": pledge.campaign,
            "platform": platform,
            "url": _site_url(reverse("pledge-receipt", args=[pledge.pk])),
        },
        platform=platform,
    )


def campaign_closed(*, campaign_id: int) -> int:
    """Funded or failed: to the owner and every backer whose pledge counted or was refunded."""
    from pledges.models import PledgeStatus
    from projects.models import Campaign, CampaignStatus

    campaign = Campaign.objects.select_related("platform", "owner").get(pk=campaign_id)
    funded = campaign.status not in (CampaignStatus.FAILED, CampaignStatus.REFUNDING, CampaignStatus.REFUNDED)
    statuses = [
        PledgeStatus.PAID,
        PledgeStatus.SECURED,
        PledgeStatus.REFUNDING,
        PledgeStatus.REFUNDED,
        PledgeStatus.RELEASED,
    ]
    recipients = [campaign.owner.email] + _backer_emails(campaign_id, statuses)
    return _send(
        "campaign_funded" if funded else "campaign_failed",
        recipients,
        {
            "campaign": campaign,
            "platform": campaign.platform,
            "url": _site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
        },
        platform=campaign.platform,
    )


def refunds_issued(*, pledge_ids: list[int]) -> int:
    from pledges.models import Pledge

    sent = 0
    for pledge in Pledge.objects.filter(pk__in=pledge_ids).select_related("campaign__platform", "backer"):
        platform = pledge.campaign.platform
        sent += _send(
            "refund_issued",
            [pledge.backer.email],
            {
                "pledge": pledge,
                "campaign": pledge.campaign,
                "platform": platform,
                "url": _site_url(reverse("dashboard")),
            },
            platform=platform,
        )
    return sent


def update_posted(*, update_id: int) -> int:
    from projects.models import CampaignUpdate

    update = CampaignUpdate.objects.select_related("campaign__platform").get(pk=update_id)
    campaign = update.campaign
    return _send(
        "update_posted",
        _backer_emails(campaign.pk),
        {
            "update": update,
            "campaign": campaign,
            "platform": campaign.platform,
            "url": _site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
        },
        platform=campaign.platform,
    )


def report_approved(*, report_id: int) -> int:
    from projects.models import FinalReport

    report = FinalReport.objects.select_related("campaign__platform", "campaign__owner").get(pk=report_id)
    campaign = report.campaign
    return _send(
        "report_approved",
        [campaign.owner.email] + _backer_emails(campaign.pk),
        {
            "report": report,
            "campaign": campaign,
            "platform": campaign.platform,
            "url": _site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
        },
        platform=campaign.platform,
    )


def pledge_retry(*, pledge_id: int) -> int:
    """Charge on success: the card failed at collection; pay on-session or with another card."""
    from pledges.models import Pledge

    pledge = Pledge.objects.select_related("campaign__platform", "backer").get(pk=pledge_id)
    platform = pledge.campaign.platform
    attempt = pledge.attempts.filter(kind="charge").last()
    return _send(
        "pledge_retry",
        [pledge.backer.email],
        {
            "pledge": pledge,
            "campaign": pledge.campaign,
            "platform": platform,
            "reason": attempt.message if attempt else "",
            "url": _site_url(reverse("payments:pledge_retry", args=[pledge.pk])),
        },
        platform=platform,
    )


NOTIFICATIONS = {
    "pledge_receipt": pledge_receipt,
    "pledge_retry": pledge_retry,
    "campaign_closed": campaign_closed,
    "refunds_issued": refunds_issued,
    "update_posted": update_posted,
    "report_approved": report_approved,
}
