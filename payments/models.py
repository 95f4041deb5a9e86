from django.db import models


class AttemptKind(models.TextChoices):
    SAVE_CARD = "save_card", "Save card"
    CHARGE = "charge", "Charge"
    REFUND = "refund", "Refund"


class AttemptStatus(models.TextChoices):
    STARTED = "started", "Started (no answer yet)"
    PENDING = "pending", "Pending (answer comes by callback)"
    SUCCEEDED = "succeeded", "Succeeded"
    DECLINED = "declined", "Declined"


class PaymentAttempt(models.Model):
    """One call to the payment provider that moves or secures money.

    The row is written before the call with a key derived from our own pledge, and the same key goes
    to the provider, so a retry after a crash or a timeout never charges or refunds twice.
    """

    kind = models.CharField(max_length=10, choices=AttemptKind.choices)
    pledge = models.ForeignKey("pledges.Pledge", on_delete=models.PROTECT, related_name="attempts")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    gateway = models.CharField(max_length=20)
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.STARTED)
    reference = models.CharField(max_length=120, blank=True, db_index=True)
    message = models.CharField(max_length=300, blank=True)
    # The provider's reason for a decline ("insufficient_funds", "authentication_required", ...).
    code = models.CharField(max_length=60, blank=True)
    # When the provider says the call succeeded: its own time when it gives one (Stripe: the charge's
    # `created`; the sandbox: its `completed_at`), else the moment its answer reached us. A charge-now
    # payment counts towards "raised" only if this is strictly before the deadline.
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.idempotency_key


class SandboxOperation(models.Model):
    """The sandbox provider's own books (what a real provider keeps on its side).

    Kept in our database only because the sandbox has no server; our code reads it nowhere but in
    the sandbox gateway and in tests that ask "how many times was this card charged?".
    """

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=10)  # card | charge | refund
    reference = models.CharField(max_length=60, unique=True)
    card_behaviour = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    amount = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    status = models.CharField(max_length=10)
    parent = models.CharField(max_length=60, blank=True)  # charge of a refund, card of a charge
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)  # when it succeeded, on the provider's clock

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class StripeCustomer(models.Model):
    """Our backer's Customer at Stripe, so every pledge of one backer reuses one Customer."""

    key = models.CharField(max_length=60, unique=True)  # "user-<id>", as the gateway interface names it
    customer_id = models.CharField(max_length=60, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.key} → {self.customer_id}"


class StripeEvent(models.Model):
    """A Stripe webhook event we have applied. Written in the same transaction as the event's
    effects; the unique `event_id` makes a replayed delivery a no-op."""

    event_id = models.CharField(max_length=80, unique=True)
    type = models.CharField(max_length=80)
    object_id = models.CharField(max_length=80, blank=True, db_index=True)
    created = models.DateTimeField(help_text="When Stripe created the event.")
    received_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True, help_text="What applying it did.")

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class PaceSlot(models.Model):
    """The shared schedule of a paced kind of provider call (`payments.pacing`), when no Redis
    holds it: the next free slot, in seconds since the epoch."""

    name = models.CharField(max_length=60, unique=True)
    tat = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return self.name


class DisputeStatus(models.TextChoices):
    WARNING_NEEDS_RESPONSE = "warning_needs_response", "Inquiry: needs a response"
    WARNING_UNDER_REVIEW = "warning_under_review", "Inquiry: under review"
    WARNING_CLOSED = "warning_closed", "Inquiry closed"
    NEEDS_RESPONSE = "needs_response", "Needs a response"
    UNDER_REVIEW = "under_review", "Under review"
    WON = "won", "Won"
    LOST = "lost", "Lost"


class Dispute(models.Model):
    """A backer's bank disputes a card payment (Stripe's `charge.dispute.*`).

    Opening a dispute moves no money in our ledger: the outcome is open, and Stripe returns the
    amount if we win. A lost dispute is booked when it closes (`dispute-<id>-lost`): the platform
    absorbs it (fees account → card network), since the campaign may already be paid out.
    """

    dispute_id = models.CharField(max_length=80, unique=True)
    pledge = models.ForeignKey(
        "pledges.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    payment_intent = models.CharField(max_length=120, blank=True, db_index=True)
    amount = models.BigIntegerField(help_text="civicfund minor units")
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=30, choices=DisputeStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Dispute {self.dispute_id} ({self.status})"
