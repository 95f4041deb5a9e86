"""Payouts to campaign owners (the first payout, the held part) and owners' connected payout accounts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidTransition


class PayoutKind(models.TextChoices):
    FIRST = "first", _("First payout")
    HELD = "held", _("Held part (after the final report)")


class PayoutStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the final report's approval")
    SCHEDULED = "scheduled", _("Scheduled")
    PROCESSING = "processing", _("Transfer sent")
    PAID = "paid", _("Paid")


PS = PayoutStatus
# The one map of allowed payout moves; `payouts.services.payout_move` is the only code that moves one.
PAYOUT_TRANSITIONS: dict[str, frozenset[str]] = {
    PS.WAITING: frozenset({PS.SCHEDULED}),  # the final report is approved
    PS.SCHEDULED: frozenset({PS.PROCESSING}),  # sent through its payout method
    PS.PROCESSING: frozenset({PS.PAID}),  # the transfer is confirmed (by the provider or an admin)
    PS.PAID: frozenset(),
}


class PayoutMethodName(models.TextChoices):
    """How a payout reaches its owner (the `Payout.method` column)."""

    MANUAL_BANK = "manual_bank", "Manual bank transfer"
    CONNECTED_ACCOUNT = "stripe_connect", "Transfer to the owner's connected account"


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
        # The group "Finance" has it (accounts.groups): recording a transfer books the money out.
        permissions = [("record_payout", "Can record the bank transfer of payouts (first and held part)")]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="payout_one_per_kind"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payout_amount_not_negative"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(paid_at__isnull=False), name="payout_paid_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.campaign}"

    def check_move(self, new_status: str) -> None:
        if new_status not in PAYOUT_TRANSITIONS[self.status]:
            raise InvalidTransition(
                f"A {self.status} payout cannot become {new_status}.", from_status=self.status, to_status=new_status
            )


class PayoutStatusChange(models.Model):
    """Every move of a payout, who made it (an admin recording a transfer) and why: its history."""

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=PayoutStatus.choices)
    to_status = models.CharField(max_length=12, choices=PayoutStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"payout {self.payout_id}: {self.from_status} → {self.to_status}"


class StripeConnectAccount(models.Model):
    """An owner's Stripe Express account, kept up to date from `account.updated` events."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stripe_account")
    account_id = models.CharField(max_length=60, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} → {self.account_id}"

    @property
    def ready(self) -> bool:
        """Transfers may be sent: Stripe lets the account receive and pay out money."""
        return self.payouts_enabled


class BankDetails(models.Model):
    """Where an owner's (or a backer's withdrawn) money is sent: the account holder and the account
    number, an IBAN for the platforms paying in pounds (or euros, dollars) and a Sheba (the Iranian IBAN,
    IR and 24 digits) for the Iranian ones. Private: only the user and the Finance staff see it.
    `payouts.details.bank_details_save` validates the numbers (schwifty) and keeps them compact."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bank_details")
    holder_name = models.CharField(max_length=140)
    iban = models.CharField(max_length=34, blank=True)
    sheba = models.CharField(max_length=26, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "bank details"
        constraints = [
            models.CheckConstraint(condition=Q(sheba="") | Q(sheba__startswith="IR"), name="bank_details_sheba_is_ir"),
        ]

    def __str__(self) -> str:
        return f"bank details of {self.user}"


class WithdrawalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested: the platform's finance staff will pay it")
    PAID = "paid", _("Paid to your bank")


class Withdrawal(models.Model):
    """A user's request to have money of their wallet paid to their bank account. Asking moves the
    amount from the wallet to what the platform owes them (`withdrawal_payable`); staff with the Finance
    permission pay it by bank transfer and record it, which moves it out to the bank (`bank_out`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawals")
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField()
    holder_name = models.CharField(max_length=140)
    account_number = models.CharField(max_length=34, help_text="IBAN or Sheba, as it was when asked.")
    status = models.CharField(max_length=10, choices=WithdrawalStatus.choices, default=WithdrawalStatus.REQUESTED)
    # The form's one-time key: a double click or a resent form asks once.
    request_key = models.CharField(max_length=64, unique=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    reference = models.CharField(max_length=120, blank=True, help_text="Bank transfer reference.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="withdrawal_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_at__isnull=False), name="withdrawal_paid_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"withdrawal {self.pk} of {self.user}"
