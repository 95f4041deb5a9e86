"""Double-entry ledger: every movement of money is a Transaction whose Entries sum to zero.

Signs: an entry adds its amount to its account's balance. Money flows *from* an account with a
negative entry *to* one with a positive entry. Accounts standing for the outside world (cards,
bank transfers out) therefore run negative or grow without bound; that is expected.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    CARD_NETWORK = "card_network", "Card network (outside world)"
    ESCROW = "escrow", "Campaign escrow"
    HELD = "held", "Campaign held part (10%)"
    FEES = "fees", "Platform fees"
    WALLET = "wallet", "Backer wallet"
    PAYOUTS = "payouts", "Paid out to owners (outside world)"
    POT = "pot", "Match-funding pot"
    ORGANISATION = "organisation", "Organisation's own money (outside world)"
    GUARANTEE_ISSUER = "guarantee_issuer", "Guarantee issuer (outside world)"
    GUARANTEE_RECEIPTS = "guarantee_receipts", "Received from a campaign's guarantee, owed to its backers"
    WITHDRAWAL_PAYABLE = "withdrawal_payable", "Wallet withdrawal owed to the user's bank"
    BANK_OUT = "bank_out", "Withdrawn to users' banks (outside world)"


class Account(models.Model):
    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    currency = models.CharField(max_length=3)
    # Found by `owner_key`, never by these two: no index to write for each of 100,000 new wallets.
    platform = models.ForeignKey("platforms.Platform", null=True, blank=True, on_delete=models.PROTECT, db_index=False)
    campaign = models.ForeignKey("projects.Campaign", null=True, blank=True, on_delete=models.PROTECT, db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, db_index=False)
    # "user:7", "campaign:3" or "platform:1": one non-null column to be unique on, in every database.
    owner_key = models.CharField(max_length=40)
    # Wallets only: the sum of the account's debits (its negative entries) as a positive number, kept by
    # each debit in its own transaction under the wallet's row lock, so a spend reads the balance as the
    # credits less this without summing every spend the wallet ever made (services.wallet_spendable;
    # funding.audit checks it against the entries).
    debited = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # owner_key first: "this user's wallets" is a prefix of it.
            models.UniqueConstraint(fields=["owner_key", "kind", "currency"], name="account_unique_owner"),
            models.CheckConstraint(condition=Q(debited__gte=0), name="account_debited_not_negative"),
        ]

    def __str__(self) -> str:
        owner = self.campaign_id or self.user_id or self.platform_id or "-"
        return f"{self.kind}:{owner}:{self.currency}"

    @staticmethod
    def key_for(*, platform: Any = None, campaign: Any = None, user: Any = None, user_id: int | None = None) -> str:
        if user is not None or user_id is not None:
            return f"user:{user_id or user.pk}"
        if campaign is not None:
            return f"campaign:{campaign.pk}"
        return f"platform:{platform.pk}"


class TransactionKind(models.TextChoices):
    PLEDGE_PAID = "pledge_paid", _("Pledge paid by card")
    WALLET_SPEND = "wallet_spend", _("Pledge paid from the wallet")
    REFUND = "refund", _("Refund")
    FEE = "fee", "Platform fee"
    HOLD = "hold", "Held part (performance guarantee)"
    PAYOUT = "payout", "Payout to owner"
    RELEASE = "release", "Held part released to owner"
    WALLET_TOP_UP = "wallet_top_up", _("Wallet top-up")
    TRANSFER_REVERSAL = "transfer_reversal", "Payout transfer reversed (back from the owner)"
    DISPUTE_LOST = "dispute_lost", "Card dispute lost (absorbed by the platform)"
    POT_PAY_IN = "pot_pay_in", _("Paid into a match-funding pot")
    MATCH = "match", _("Match from a pot")
    MATCH_RETURN = "match_return", _("Match returned to its pot")
    POT_RETURN = "pot_return", _("Pot's leftover returned to its organisation")
    GUARANTEE_RECEIVED = "guarantee_received", _("Received from a bank guarantee")
    CLAIM_PAID = "claim_paid", _("Claim paid to a backer")
    WITHDRAWAL = "withdrawal", _("Withdrawal to your bank")
    WITHDRAWAL_PAID = "withdrawal_paid", "Withdrawal paid to the user's bank"


class Transaction(models.Model):
    kind = models.CharField(max_length=20, choices=TransactionKind.choices)
    # The key of the state change this records: recording it twice is refused by the database.
    key = models.CharField(max_length=120, unique=True)
    campaign = models.ForeignKey("projects.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.key


class Entry(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    # Indexed by (account, amount) below, which also serves every lookup by account.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", db_index=False)
    amount = models.BigIntegerField()
    pledge = models.ForeignKey(
        "pledges.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )

    class Meta:
        verbose_name_plural = "entries"
        indexes = [models.Index(fields=["account", "amount"], name="entry_account_amount")]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="entry_amount_nonzero")]

    def __str__(self) -> str:
        return f"{self.account} {self.amount:+d}"
