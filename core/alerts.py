"""The one way the engine tells the platform's admins that something needs a person."""

from __future__ import annotations

import logging

from django.core.mail import mail_admins
from django.db import transaction

log = logging.getLogger("civicfund.alerts")


def admins_alert(message: str, *, subject: str = "civicfund needs attention") -> None:
    """Log `message` as an error and e-mail it to ADMINS after the current transaction commits (at once
    outside one), so a rolled-back change alerts no one. Never raises."""
    log.error(message)
    transaction.on_commit(lambda: mail_admins(subject, message, fail_silently=True))
