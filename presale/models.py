"""Pre-sale trust: the bank guarantee behind a campaign, and the delivery of its rewards
(docs/architecture.md, "Pre-sale guarantees, delivery and claims").

Delivery, for claims and pages to build on:
- `projects.RewardTier.ships` (bool) and `.estimated_delivery` (the 1st of the promised month; required
  when the tier ships). The promise is kept if the reward is delivered by the month's last day
  (`presale.selectors.delivery_due(tier)`).
- `Delivery`: one per pledge whose tier ships, made on the owner's or backer's first move (no row means
  outstanding): status outstanding → shipped → delivered, or problem (backer's report, `problem` text);
  `shipped_at`, `tracking_reference`, `confirmed_at` (the backer confirmed receipt = delivered).
- `ShippingAddress`: one per pledge whose tier ships, given at pledge time, private to the campaign's
  owner and staff, deleted `Platform.address_keep_days` after delivery.
- Reading: `presale.selectors.delivery_status(pledge)` (None if the reward does not ship, else a
  `DeliveryStatus`), `is_late(pledge, today)`: the reward ships, is not delivered, and `today` is after
  `delivery_due(tier) + platform.delivery_grace_days` (late from the day after; `late_from(tier)` gives
  that first late day). It does not look at the pledge's money (a refunded pledge is the claim's own check).
"""

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


class DeliveryStatus(models.TextChoices):
    OUTSTANDING = "outstanding", _("Not shipped yet")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    PROBLEM = "problem", _("Problem reported")


# The reward's moves: the owner ships it (again, after a problem, or to correct the tracking); the backer
# confirms receipt (delivered, final) or reports a problem (also one not shipped yet, e.g. long overdue).
DELIVERY_TRANSITIONS: dict[str, frozenset[str]] = {
    DeliveryStatus.OUTSTANDING: frozenset({DeliveryStatus.SHIPPED, DeliveryStatus.DELIVERED, DeliveryStatus.PROBLEM}),
    DeliveryStatus.SHIPPED: frozenset({DeliveryStatus.SHIPPED, DeliveryStatus.DELIVERED, DeliveryStatus.PROBLEM}),
    DeliveryStatus.PROBLEM: frozenset({DeliveryStatus.SHIPPED, DeliveryStatus.DELIVERED}),
    DeliveryStatus.DELIVERED: frozenset(),
}


class Delivery(models.Model):
    """Where one pledge's shipped reward is. Made on the first move (a pledge without one is outstanding);
    `campaign` is the pledge's, kept here so a campaign's counts are one grouped query on one index."""

    pledge = models.OneToOneField("pledges.Pledge", on_delete=models.CASCADE, related_name="delivery")
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.OUTSTANDING)
    shipped_at = models.DateTimeField(null=True, blank=True)
    tracking_reference = models.CharField(max_length=120, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True, help_text="The backer confirmed receipt.")
    problem = models.TextField(blank=True, help_text="The backer's report of a problem.")
    problem_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["pledge_id"]
        indexes = [models.Index(fields=["campaign", "status"], name="delivery_campaign_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(confirmed_at__isnull=False), name="delivery_delivered_has_date"
            ),
            models.CheckConstraint(
                condition=~Q(status="shipped") | Q(shipped_at__isnull=False), name="delivery_shipped_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"Delivery of pledge {self.pledge_id}: {self.status}"


class ShippingAddress(models.Model):
    """Where a backer wants a shipped reward sent. Private: shown only to the campaign's owner and staff,
    and deleted `Platform.address_keep_days` after the reward is delivered (or the pledge ends unpaid)."""

    pledge = models.OneToOneField("pledges.Pledge", on_delete=models.CASCADE, related_name="shipping_address")
    recipient = models.CharField(max_length=120)
    phone = models.CharField(max_length=32, blank=True)
    address = models.TextField(help_text="Street, building, unit.")
    city = models.CharField(max_length=80)
    region = models.CharField(max_length=80, blank=True, help_text="Province, county or state.")
    postal_code = models.CharField(max_length=20)
    country = models.CharField(max_length=2, help_text="ISO country code.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "shipping addresses"
        ordering = ["pledge_id"]

    def __str__(self) -> str:
        return f"Address for pledge {self.pledge_id}"

    def lines(self) -> list[str]:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return [p for p in (self.recipient, self.address, place, self.region, self.country, self.phone) if p]
