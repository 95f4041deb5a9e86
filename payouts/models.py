from django.conf import settings
from django.db import models
from django.db.models import Q


class PayoutKind(models.TextChoices):
    FIRST = "first", "First payout (90%)"
    HELD = "held", "Held part (10%), after the final report"


class PayoutStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for the final report's approval"
    SCHEDULED = "scheduled", "Scheduled"
    PROCESSING = "processing", "Sent; awaiting confirmation of the transfer"
    PAID = "paid", "Paid"


class Payout(models.Model):
    """Money owed to a campaign's owner, one row per part; paid through a payout method."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.PROTECT, related_name="payouts")
    kind = models.CharField(max_length=10, choices=PayoutKind.choices)
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PayoutStatus.choices)
    method = models.CharField(max_length=20, default="manual_bank")
    reference = models.CharField(max_length=120, blank=True, help_text="Bank transfer reference.")
    # Sent to the payout provider so a retried transfer is never made twice.
    idempotency_key = models.CharField(max_length=120, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # Taken back from the owner after it was paid (Stripe `transfer.reversed`), booked in the ledger.
    reversed_amount = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["campaign_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="payout_one_per_kind"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_at__isnull=False), name="payout_paid_has_time"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.campaign}"


class StripeConnectAccount(models.Model):
    """An owner's Stripe Express account, kept up to date from `account.updated` events."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stripe_account")
    account_id = models.CharField(max_length=60, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} → {self.account_id}"

    @property
    def ready(self) -> bool:
        """Transfers may be sent: Stripe lets the account receive and pay out money."""
        return self.payouts_enabled
