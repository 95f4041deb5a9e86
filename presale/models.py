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
    FAILED = "failed", _("Failed: staff will pay it by other means")


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
