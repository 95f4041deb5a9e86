"""Payout methods: how money reaches an owner. Stripe Connect will be one more adapter here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class PayoutResult:
    status: str  # "paid" (reference known) | "pending" (confirmed later, e.g. by an admin)
    reference: str = ""


class PayoutMethod(Protocol):
    name: str

    def send(self, *, payout, idempotency_key: str) -> PayoutResult: ...


class ManualBankTransfer:
    """Staff transfer the money from the bank and record the transfer reference in the admin."""

    name = "manual_bank"

    def send(self, *, payout, idempotency_key: str) -> PayoutResult:
        return PayoutResult(status="pending")


class StripeConnectTransfer:
    """A transfer from the platform's Stripe balance to the owner's Express account (separate charges
    and transfers, one transfer_group per campaign), keyed by the payout's own idempotency key."""

    name = "stripe_connect"

    def send(self, *, payout, idempotency_key: str) -> PayoutResult:
        from payments.gateways import gateway_get

        from .models import StripeConnectAccount

        account = StripeConnectAccount.objects.get(user_id=payout.campaign.owner_id)
        result = gateway_get("stripe").transfer(
            amount=payout.amount,
            currency=payout.currency,
            destination=account.account_id,
            group=f"campaign-{payout.campaign_id}",
            idempotency_key=idempotency_key,
        )
        return PayoutResult(status="paid", reference=result.reference)


METHODS = {"manual_bank": ManualBankTransfer, "stripe_connect": StripeConnectTransfer}


def method_name_for(campaign) -> str | None:
    """How a campaign's owner is paid now: by Stripe transfer where the platform takes cards through
    Stripe and the owner's connected account can receive payouts, by manual bank transfer for owners
    without Stripe; None while the owner's Stripe onboarding is unfinished (the payout waits)."""
    from payments.gateways import gateway_name_for

    from .models import StripeConnectAccount

    if gateway_name_for(campaign.platform) != "stripe":
        return "manual_bank"
    account = StripeConnectAccount.objects.filter(user_id=campaign.owner_id).first()
    if account is None:
        return "manual_bank"
    return "stripe_connect" if account.ready else None


def method_get(name: str) -> PayoutMethod:
    return METHODS[name]()
