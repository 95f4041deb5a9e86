from django.conf import settings
from django.db import models
from django.db.models import Q


class PledgeStatus(models.TextChoices):
    PENDING = "pending", "Awaiting payment"
    SECURED = "secured", "Card saved, charged if the campaign succeeds"
    PAID = "paid", "Paid"
    DECLINED = "declined", "Payment declined"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDING = "refunding", "Refund in progress"
    REFUNDED = "refunded", "Refunded"
    RELEASED = "released", "Released (campaign failed, card never charged)"
    DROPPED = "dropped", "Dropped (charge failed after success)"
    RETRYING = "retrying", "Charge failed after success; the backer may pay until retry_until"


class PaymentSource(models.TextChoices):
    CARD = "card", "Card"
    WALLET = "wallet", "Wallet"


# Pledges whose money counts towards the campaign (DOMAIN.md "Raised").
COUNTING = (PledgeStatus.PAID, PledgeStatus.SECURED)


class Pledge(models.Model):
    # No single-column indexes: the composite ones below lead with these columns, and every index
    # is rewritten when a pledge's status changes (100,000 refunds of a failed campaign).
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.PROTECT, related_name="pledges", db_index=False)
    backer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pledges", db_index=False
    )
    tier = models.ForeignKey(
        "projects.RewardTier", null=True, blank=True, on_delete=models.PROTECT, related_name="pledges"
    )
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=10, choices=PaymentSource.choices, default=PaymentSource.CARD)
    status = models.CharField(max_length=12, choices=PledgeStatus.choices, default=PledgeStatus.PENDING)
    # Card pledges: the gateway's reference to the saved card, never the card itself.
    payment_method = models.CharField(max_length=120, blank=True)
    # A client's key for "this pledge request", so a retried request never pledges twice.
    request_key = models.CharField(max_length=120, null=True, blank=True)  # noqa: DJ001 (unique when set)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Cancelled, refunded or released.")
    # Charge on success: a card declined at collection may be paid on-session until this instant.
    retry_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # With id last, "the next paid pledges of a campaign in id order" is one ordered range;
            # with amount and backer included (PostgreSQL), a campaign's raised total and backers
            # count are read from the index alone (projects.selectors.campaigns_with_totals).
            models.Index(
                fields=["campaign", "status", "id"], include=["amount", "backer"], name="pledge_campaign_status_id"
            ),
            models.Index(fields=["backer", "-created_at"], name="pledge_backer_recent"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pledge_amount_positive"),
            models.UniqueConstraint(
                fields=["backer", "request_key"],
                name="pledge_unique_request_key",
                condition=Q(request_key__isnull=False),
            ),
        ]

    def __str__(self):
        return f"Pledge {self.pk} of {self.amount} {self.currency}"
