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


class ClaimGround(models.TextChoices):
    LATE = "late", _("The reward is late")
    NOT_AS_DESCRIBED = "not_as_described", _("The reward is not as described")


class ClaimStatus(models.TextChoices):
    FILED = "filed", _("Waiting for the owner's answer")
    ANSWERED = "answered", _("Answered by the owner, waiting for staff")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Accepted in part")
    REJECTED = "rejected", _("Rejected")


# Claims not yet decided: while a campaign has one, its held part is not released.
UNDECIDED_CLAIMS = (ClaimStatus.FILED, ClaimStatus.ANSWERED)
ACCEPTED_CLAIMS = (ClaimStatus.ACCEPTED, ClaimStatus.PARTLY_ACCEPTED)
_DECISIONS = frozenset({ClaimStatus.ACCEPTED, ClaimStatus.PARTLY_ACCEPTED, ClaimStatus.REJECTED})
# The claim's moves: the owner answers a filed claim; staff decide a filed or answered one.
CLAIM_TRANSITIONS: dict[str, frozenset[str]] = {
    ClaimStatus.FILED: frozenset({ClaimStatus.ANSWERED}) | _DECISIONS,
    ClaimStatus.ANSWERED: _DECISIONS,
    ClaimStatus.ACCEPTED: frozenset(),
    ClaimStatus.PARTLY_ACCEPTED: frozenset(),
    ClaimStatus.REJECTED: frozenset(),
}


class Claim(models.Model):
    """A backer's claim that their reward is late beyond the grace, or not as described. One per pledge.
    An accepted claim is paid from the campaign's held part first (`from_held`, taken from the held
    payout when accepted), the rest from its guarantee once staff record the issuer's money:
    accepted_amount = paid_from_held + paid_from_guarantee + still owed."""

    pledge = models.OneToOneField("pledges.Pledge", on_delete=models.PROTECT, related_name="claim")
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.PROTECT, related_name="claims")
    backer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claims")
    ground = models.CharField(max_length=20, choices=ClaimGround.choices)
    description = models.TextField()
    amount = models.BigIntegerField(help_text="What the backer asks for, minor units.")
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.FILED)
    filed_at = models.DateTimeField(auto_now_add=True)
    answer_due_on = models.DateField(help_text="The owner's last day to answer (platform's time zone).")
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="The decision's reason, shown to the backer and in the log.")
    accepted_amount = models.BigIntegerField(default=0)
    from_held = models.BigIntegerField(default=0, help_text="Taken from the held part when accepted.")
    paid_from_held = models.BigIntegerField(default=0)
    paid_from_guarantee = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-filed_at", "-id"]
        permissions = [("decide_claim", "Can decide pre-sale claims (accept in full or in part, or reject)")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=Q(accepted_amount__gte=0) & Q(accepted_amount__lte=models.F("amount")),
                name="claim_accepted_within_asked",
            ),
            models.CheckConstraint(
                condition=Q(from_held__gte=0)
                & Q(from_held__lte=models.F("accepted_amount"))
                & Q(paid_from_held__gte=0)
                & Q(paid_from_held__lte=models.F("from_held"))
                & Q(paid_from_guarantee__gte=0)
                & Q(paid_from_guarantee__lte=models.F("accepted_amount") - models.F("from_held")),
                name="claim_paid_within_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk} on pledge {self.pledge_id}"

    @property
    def undecided(self) -> bool:
        return self.status in UNDECIDED_CLAIMS

    @property
    def owed(self) -> int:
        """Accepted but not yet paid to the backer."""
        return self.accepted_amount - self.paid_from_held - self.paid_from_guarantee

    @property
    def owed_from_guarantee(self) -> int:
        """The accepted part the held part could not cover, not yet paid from the guarantee."""
        return self.accepted_amount - self.from_held - self.paid_from_guarantee

    def money(self) -> money.Money:
        return money.Money(self.amount, self.currency)


class ClaimEvidence(models.Model):
    """A file backing a claim (a photo of the reward, a receipt): checked by content, private to the
    backer, the campaign's owner and staff."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="claims/%Y/%m/")
    file_type = models.CharField(max_length=40, editable=False)
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "claim evidence"

    def __str__(self) -> str:
        return self.name or f"evidence {self.pk}"


class PaymentSource(models.TextChoices):
    HELD = "held", _("The campaign's held part")
    GUARANTEE = "guarantee", _("The bank guarantee")


class ClaimPaymentStatus(models.TextChoices):
    PENDING = "pending", _("Being paid")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Declined by the card: staff will pay it to the wallet")
    # A declined card payment that staff paid to the backer's wallet instead (by a new payment, its key
    # the declined one's + "-wallet"): it no longer counts as owed to the card.
    REPLACED = "replaced", _("Declined by the card; paid to the wallet instead")


class ClaimPayment(models.Model):
    """One payment to a claim's backer, from one source, to their card or wallet (the platform's refund
    rule), made once: `key` names the provider attempt and the ledger transaction."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    source = models.CharField(max_length=10, choices=PaymentSource.choices)
    amount = models.BigIntegerField()
    to_wallet = models.BooleanField()
    key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=ClaimPaymentStatus.choices, default=ClaimPaymentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="claim_payment_positive")]

    def __str__(self) -> str:
        return self.key


class GuaranteeCall(models.Model):
    """Staff called on a campaign's guarantee for what its accepted claims are owed beyond the held part,
    and later recorded the money the issuer paid (booked into the campaign's guarantee receipts)."""

    guarantee = models.ForeignKey(Guarantee, on_delete=models.PROTECT, related_name="calls")
    amount = models.BigIntegerField(help_text="Asked of the issuer, minor units.")
    reference = models.CharField(max_length=120, help_text="The letter or reference of the call.")
    called_at = models.DateTimeField(auto_now_add=True)
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received = models.BigIntegerField(default=0, help_text="Paid by the issuer so far.")
    received_at = models.DateTimeField(null=True, blank=True)
    received_reference = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-called_at", "-id"]
        permissions = [("record_guarantee_call", "Can record calls on guarantees and the issuers' payments")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="guarantee_call_positive"),
            models.CheckConstraint(
                condition=Q(received__gte=0) & Q(received__lte=models.F("amount")), name="guarantee_call_received"
            ),
        ]

    def __str__(self) -> str:
        return f"call {self.reference} on {self.guarantee}"
