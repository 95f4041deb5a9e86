"""The public record of decisions: who (by role) decided what about a campaign or another subject, when
and why. Apps write it in the same transaction as the decision (`decisions.services.decision_record`);
pages, the feed, the API and the open data read it. A staff member's private note to an owner is never
written here: `reason` is public."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ActorRole(models.TextChoices):
    """Who decided, as the public sees it: a role, not a person's name."""

    SYSTEM = "system", _("civicfund (automatic)")
    PLATFORM_REVIEWER = "platform_reviewer", _("Platform reviewer")
    FINANCE = "finance", _("Finance")
    STAFF = "staff", _("Platform staff")
    OWNER = "owner", _("Project owner")
    ORGANISATION_ADMIN = "organisation_admin", _("Organisation")
    ORGANISATION_REVIEWER = "organisation_reviewer", _("Organisation reviewer")
    BACKER = "backer", _("Backer")


class Decision(models.Model):
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="decisions")
    campaign = models.ForeignKey(
        "projects.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    # What the decision is about besides (or instead of) a campaign: ("call", 3), ("pot", 7), ("claim", 12).
    subject_type = models.CharField(max_length=40, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)
    # A dotted code the deciding app owns ("campaign.approved", "call.application_declined");
    # its public wording is registered in `decisions.kinds.KINDS`.
    kind = models.CharField(max_length=80)
    actor_role = models.CharField(max_length=40, choices=ActorRole.choices)
    # The body a role acted for, when that is public (an organisation's name); never a person's name.
    on_behalf_of = models.CharField(max_length=200, blank=True)
    # Who it was, for staff and audits only: never shown publicly unless the platform says so.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True)  # public
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["platform", "-at"], name="decision_platform_at"),
            models.Index(fields=["campaign", "-at"], name="decision_campaign_at"),
            models.Index(fields=["subject_type", "subject_id"], name="decision_subject"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(kind=""), name="decision_kind_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.actor_role}) at {self.at:%Y-%m-%d %H:%M}"
