"""Pledges: a backer's money promised to a campaign, with its one map of allowed status moves."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.errors import InvalidTransition


class PledgeStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting payment")
    SECURED = "secured", _("Card saved, charged if the campaign succeeds")
    PAID = "paid", _("Paid")
    DECLINED = "declined", _("Payment declined")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDING = "refunding", _("Refund in progress")
    REFUNDED = "refunded", _("Refunded")
    RELEASED = "released", _("Released (campaign failed, card never charged)")
    DROPPED = "dropped", _("Dropped (charge failed after success)")
    RETRYING = "retrying", _("Charge failed: you may still pay")


class PaymentSource(models.TextChoices):
    CARD = "card", _("Card")
    WALLET = "wallet", _("My wallet")


P = PledgeStatus
# Pledges whose money counts towards the campaign (DOMAIN.md "Raised").
COUNTING: tuple[str, ...] = (P.PAID, P.SECURED)
# Moves that end a pledge (its `ended_at` is set), and the one that reopens one (a refund that failed).
ENDING: tuple[str, ...] = (P.DECLINED, P.CANCELLED, P.REFUNDED, P.RELEASED, P.DROPPED)

# The one map of allowed pledge moves; `pledges.services.moves` is the only code that moves a pledge.
PLEDGE_TRANSITIONS: dict[str, frozenset[str]] = {
    # card saved (charge on success) | charged | card refused | backer left or the campaign closed
    P.PENDING: frozenset({P.SECURED, P.PAID, P.DECLINED, P.CANCELLED}),
    # charged at collection | declined at collection | a card that failed for good | campaign failed
    # | the backer cancelled
    P.SECURED: frozenset({P.PAID, P.RETRYING, P.DROPPED, P.RELEASED, P.CANCELLED}),
    P.RETRYING: frozenset({P.PAID, P.DROPPED}),
    P.PAID: frozenset({P.REFUNDING, P.REFUNDED}),  # a card refund under way | a wallet refund
    P.REFUNDING: frozenset({P.REFUNDED}),
    P.REFUNDED: frozenset({P.REFUNDING}),  # the provider failed a refund after it was booked
    P.DECLINED: frozenset(),
    P.CANCELLED: frozenset(),
    P.RELEASED: frozenset(),
    P.DROPPED: frozenset(),
}


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

    def __str__(self) -> str:
        return f"Pledge {self.pk} of {self.amount} {self.currency}"

    def can_move_to(self, new_status: str) -> bool:
        return new_status in PLEDGE_TRANSITIONS[self.status]

    def check_move(self, new_status: str) -> None:
        if not self.can_move_to(new_status):
            raise InvalidTransition(
                f"A {self.status} pledge cannot become {new_status}.", from_status=self.status, to_status=new_status
            )


class PledgeStatusChange(models.Model):
    """Every move of a pledge: its history (public accountability reads it with the campaigns')."""

    # No database foreign key: a failed campaign's refunds write 2,000 of these per statement, and the
    # rows are only ever written by `pledges.services.moves` beside the pledge's own update.
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="status_changes", db_constraint=False)
    from_status = models.CharField(max_length=12, choices=PledgeStatus.choices)
    to_status = models.CharField(max_length=12, choices=PledgeStatus.choices)
    note = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"pledge {self.pledge_id}: {self.from_status} → {self.to_status}"


class BackerVisibility(models.Model):
    """How a backer appears on a campaign's public backers list: by their name when `by_name`,
    otherwise as "Anonymous" (the default: no row means anonymous). One choice per backer and campaign,
    made when pledging and changed later on the pledge's page (pledges.services.backers)."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="+")
    backer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by_name = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "backer"], name="backer_visibility_once")]

    def __str__(self) -> str:
        return f"{self.backer_id} on {self.campaign_id}: {'name' if self.by_name else 'anonymous'}"
