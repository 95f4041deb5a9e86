"""Accountability and impact after the money moves (issue 14): impact indicators with their targets
and achieved values, the upkeep plan of a campaign that creates an asset and its follow-up reports, and
the final report's reminders. The decision log itself is `decisions`'; this app records the lifecycle's
decisions into it (`impact.log`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_INDICATORS = 5  # per campaign (issue 14)


class StandardIndicator(models.Model):
    """An indicator the platform's staff define, for one category or all, so campaigns can be summed
    ("across 14 green-space projects: 3,100 trees planted")."""

    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="standard_indicators")
    category = models.ForeignKey(
        "platforms.Category", null=True, blank=True, on_delete=models.CASCADE, related_name="standard_indicators"
    )
    name = models.CharField(max_length=120, help_text="e.g. trees planted")
    name_fa = models.CharField(max_length=120, blank=True)
    unit = models.CharField(max_length=40, help_text="e.g. trees")
    unit_fa = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["platform_id", "name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})"


class Indicator(models.Model):
    """One of a campaign's (at most five) indicators: its target set while drafting, its achieved value
    and evidence given in the final report."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="indicators")
    standard = models.ForeignKey(
        StandardIndicator, null=True, blank=True, on_delete=models.PROTECT, related_name="indicators"
    )
    name = models.CharField(max_length=120)
    unit = models.CharField(max_length=40)
    target = models.BigIntegerField()
    achieved = models.BigIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(target__gt=0), name="indicator_target_positive"),
            models.CheckConstraint(
                condition=Q(achieved__isnull=True) | Q(achieved__gte=0), name="indicator_achieved_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.target} {self.unit}"


class ReportReminder(models.Model):
    """A reminder of a final report's due date, sent once (the unique pair makes the job idempotent)."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="report_reminders")
    kind = models.CharField(max_length=20)  # "due_in_14", "due_in_3", "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "kind"], name="report_reminder_once")]

    def __str__(self) -> str:
        return f"{self.kind} reminder of campaign {self.campaign_id}"


class UpkeepPlan(models.Model):
    """Who maintains a funded asset, for how long and with what money. Required before submission when
    the campaign's category (or the campaign itself) creates an asset."""

    campaign = models.OneToOneField("projects.Campaign", on_delete=models.CASCADE, related_name="upkeep")
    creates_asset = models.BooleanField(default=True)
    maintainer = models.CharField(max_length=200, blank=True)
    months = models.PositiveSmallIntegerField(null=True, blank=True)
    funding = models.TextField(blank=True, help_text="What money pays for the upkeep.")

    def __str__(self) -> str:
        return f"Upkeep of {self.campaign}"

    @property
    def complete(self) -> bool:
        return bool(self.maintainer.strip() and self.months and self.funding.strip())


class AssetStatus(models.TextChoices):
    IN_USE = "in_use", _("In use")
    NEEDS_REPAIR = "needs_repair", _("Needs repair")
    OUT_OF_USE = "out_of_use", _("Out of use")


FOLLOW_UP_MONTHS = (6, 12)


class FollowUp(models.Model):
    """A follow-up report on a funded asset, requested 6 and 12 months after the campaign's completion:
    a short public update with the asset's status."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    requested_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=AssetStatus.choices, blank=True)
    text = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["campaign_id", "months"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "months"], name="follow_up_once_per_milestone"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | ~Q(status=""), name="follow_up_submitted_has_status"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.months}-month follow-up of {self.campaign}"
