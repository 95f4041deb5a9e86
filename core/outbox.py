"""The outbox of e-mails: services call `notify(kind, **ids)` inside their transaction, which writes an
outbox row (core.models.OutboxMail) in that same transaction, so a rolled-back change e-mails no one
and a committed one always has its mail on the way, even if the broker is down or a worker is killed.
`outbox_send` (a Celery task, run after commits and by beat) delivers the rows; a mail server's
failure is retried later without touching the committed payment.

The e-mail kinds are registered by the apps that know their subjects (`MAIL_KINDS.register("kind")`
on a function taking the row's ids), in their AppConfig.ready(): this module imports none of them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .alerts import admins_alert
from .hooks import Registry
from .jobs import now as queue_now
from .models import OutboxMail
from .text import one_line

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # a mail that failed this often stays in the outbox for an admin to look at
MAIL_KINDS = Registry("e-mail kinds")
_last_kick = float("-inf")


class Speaks(Protocol):
    """What `mail_send` needs of a platform: its language and time zone."""

    language: str

    @property
    def tz(self) -> dt.tzinfo: ...


def notify(kind: str, **ids: Any) -> None:
    """Queue the `kind` e-mail (a registered function of `ids`) with the current transaction."""
    if kind not in MAIL_KINDS:
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
    try:
        queue_now("civicfund.tasks.send_outbox")
    except Exception:  # noqa: BLE001 -- the mail stays in the outbox; beat sends it
        log.exception("Outbox kick not queued")


def outbox_send(*, batch: int = 100) -> int:
    """Send the outbox's due mails, oldest first; return how many messages went out.

    Rows are taken FOR UPDATE SKIP LOCKED, so two workers never send the same mail. No mail is dropped
    silently: a mail server failure (OSError) keeps the row for a later try with backoff and stops the
    run; any other failure (a mail that cannot be written, e.g. a header with a line break, or whose
    subject is gone) keeps the row too, with the error, tried again with backoff, and after
    MAX_ATTEMPTS left in the outbox (admin: "Outbox mails") with the admins alerted."""
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
            done: list[int] = []
            for row in rows:
                try:
                    with transaction.atomic():  # a savepoint: a failed mail's queries leave the batch usable
                        sent += notification_send(kind=row.kind, ids=row.ids)
                except OSError as exc:
                    _failed(row, exc, now)
                    OutboxMail.objects.filter(pk__in=done).delete()
                    return sent  # the mail server is down: the rest waits for a later run
                except Exception as exc:  # noqa: BLE001 -- kept, retried and shown to staff, never dropped
                    log.exception("E-mail %s %s failed", row.kind, row.ids)
                    _failed(row, exc, now)
                    continue
                done.append(row.pk)
            OutboxMail.objects.filter(pk__in=done).delete()


def _failed(row: OutboxMail, exc: BaseException, now: dt.datetime) -> None:
    """Keep `row` for a later try (backoff: 1 minute, doubling, at most an hour), with the error."""
    row.attempts += 1
    row.not_before = now + dt.timedelta(seconds=min(3600, 30 * 2**row.attempts))
    row.last_error = f"{type(exc).__name__}: {exc}"[:1000]
    row.save(update_fields=["attempts", "not_before", "last_error"])
    log.warning("E-mail %s %s failed (attempt %s); will retry", row.kind, row.ids, row.attempts)
    if row.attempts == MAX_ATTEMPTS:
        admins_alert(
            f"E-mail {row.kind} {row.ids} failed {row.attempts} times and is no longer retried "
            f"({row.last_error}). It stays in the outbox (admin: Outbox mails): fix the cause and set its "
            "attempts to 0 to send it again."
        )


def notification_send(*, kind: str, ids: dict[str, Any]) -> int:
    return int(MAIL_KINDS[kind](**ids))


def site_url(path: str) -> str:
    """An absolute link to `path` on the site (CIVICFUND_SITE_URL)."""
    return getattr(settings, "CIVICFUND_SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def mail_send(template: str, recipients: list[str], context: dict[str, Any], *, platform: Speaks) -> int:
    """One message per recipient (never a long To: line that shows backers each other), in the
    platform's language, with dates and times in the platform's time zone (a worker runs in UTC)."""
    recipients = [r for r in dict.fromkeys(recipients) if r]
    if not recipients:
        return 0
    with translation.override(platform.language), timezone.override(platform.tz):
        # Plain text, so not HTML-escaped ("text" engine: autoescape off); the subject one line always.
        subject = one_line(render_to_string(f"emails/{template}_subject.txt", context, using="text"))
        body = render_to_string(f"emails/{template}.txt", context, using="text")
    messages = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in recipients]
    return get_connection().send_messages(messages) or 0


def mail_send_unsubscribable(
    template: str, recipients: dict[str, str], context: dict[str, Any], *, platform: Speaks
) -> int:
    """Like `mail_send`, for news people chose to follow: `recipients` maps each address to its own
    one-click unsubscribe link, which the body gets as `unsubscribe_url` and the headers carry
    (List-Unsubscribe with List-Unsubscribe-Post, RFC 8058: a mail client unsubscribes with one POST)."""
    messages = []
    with translation.override(platform.language), timezone.override(platform.tz):
        subject = one_line(render_to_string(f"emails/{template}_subject.txt", context, using="text"))
        for to, unsubscribe_url in recipients.items():
            if not to:
                continue
            body = render_to_string(
                f"emails/{template}.txt", {**context, "unsubscribe_url": unsubscribe_url}, using="text"
            )
            headers = {
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            messages.append(EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers))
    if not messages:
        return 0
    return get_connection().send_messages(messages) or 0
