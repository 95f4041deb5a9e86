"""The outbox of e-mails: a row written in the same transaction as the change it tells about.

A committed pledge therefore always has its receipt on the way (a broker outage or a killed worker
loses no mail), and a rolled-back one has none. `core.outbox.outbox_send` delivers them.
"""

from django.db import models


class OutboxMail(models.Model):
    kind = models.CharField(max_length=40)  # a kind registered in core.outbox.MAIL_KINDS
    ids = models.JSONField()  # the keyword arguments of that function
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # After a mail server failure: not tried again before this instant (backoff).
    not_before = models.DateTimeField(null=True, blank=True)
    # Why the last try failed (a mail server error, or a mail that could not be written): for staff.
    last_error = models.TextField(
        blank=True, default="", db_default=""
    )  # db_default: raw SQL inserts (wallet fast path)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ids}"
