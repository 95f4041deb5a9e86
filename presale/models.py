"""Pre-sale trust: the bank guarantee behind a campaign (docs/architecture.md, "Pre-sale guarantees,
delivery and claims")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import money
from projects.attachments import private_storage


class GuaranteeStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for staff to verify it")
    VERIFIED = "verified", _("Verified")
    WITHDRAWN = "withdrawn", _("Withdrawn by its issuer")
    EXPIRED = "expired", _("Expired")


# The guarantee's moves: staff verify a submitted one; the issuer withdraws, or the date passes.
GUARANTEE_TRANSITIONS: dict[str, frozenset[str]] = {
    GuaranteeStatus.SUBMITTED: frozenset({GuaranteeStatus.VERIFIED, GuaranteeStatus.WITHDRAWN}),
    GuaranteeStatus.VERIFIED: frozenset({GuaranteeStatus.WITHDRAWN, GuaranteeStatus.EXPIRED}),
    GuaranteeStatus.WITHDRAWN: frozenset(),
    GuaranteeStatus.EXPIRED: frozenset(),
}


class Guarantee(models.Model):
    """A bank's or development fund's guarantee that backs a campaign: backers may be compensated from it
    if the owner fails to deliver. The scanned document is private to staff (served only to them)."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.PROTECT, related_name="guarantees")
    issuer = models.CharField(max_length=200, help_text="The bank or fund that issued it.")
    reference = models.CharField(max_length=120)
    amount = models.BigIntegerField(help_text="Minor units.")
    currency = models.CharField(max_length=3)
    expires_on = models.DateField()
    document = models.FileField(storage=private_storage, upload_to="guarantees/%Y/%m/")
    document_type = models.CharField(max_length=40, editable=False)
    status = models.CharField(max_length=12, choices=GuaranteeStatus.choices, default=GuaranteeStatus.SUBMITTED)
    submitted_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Withdrawn or expired.")
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="guarantee_amount_positive"),
            # One guarantee in force (submitted or verified) per campaign at a time.
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(status__in=["submitted", "verified"]),
                name="one_live_guarantee_per_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.reference}"

    @property
    def in_force(self) -> bool:
        return self.status == GuaranteeStatus.VERIFIED

    def money(self) -> money.Money:
        return money.Money(self.amount, self.currency)
