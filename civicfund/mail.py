"""Local mode's e-mail backend: every e-mail printed on ./run's console.

The worker sends the outbox's e-mails (receipts, refund notices) and its own output goes to
.broker/celery.log; the web server sends allauth's (sign-up confirmations, password resets) and its
output is the console. So that all of them are in one place, ./run names its console in
CIVICFUND_MAIL_CONSOLE (`/dev/fd/3`, inherited by every child process) and this backend writes there;
without it, it is Django's console backend (standard output)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends import console
from django.core.mail.message import EmailMessage


class ConsoleEmailBackend(console.EmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        path = os.environ.get("CIVICFUND_MAIL_CONSOLE", "")
        if not path:
            return super().send_messages(email_messages)
        with open(path, "a", encoding="utf-8") as stream:
            self.stream: Any = stream
            return super().send_messages(email_messages)
