"""Payout methods: how money reaches an owner. The manual bank transfer waits for an admin; the
connected-account transfer goes through a payment gateway that offers `capabilities.connected_payouts`
(Stripe Connect)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from payments.gateways import gateway_for, gateway_with
from projects.models import Campaign

from .models import Payout, PayoutMethodName, StripeConnectAccount


@dataclass(frozen=True)
class PayoutResult:
    status: str  # "paid" (reference known) | "pending" (confirmed later, e.g. by an admin)
    reference: str = ""


class PayoutMethod(Protocol):
    name: str

    def send(self, *, payout: Payout, idempotency_key: str) -> PayoutResult: ...


class ManualBankTransfer:
    """Staff transfer the money from the bank and record the transfer reference in the admin."""

    name: str = PayoutMethodName.MANUAL_BANK

    def send(self, *, payout: Payout, idempotency_key: str) -> PayoutResult:
        return PayoutResult(status="pending")


class ConnectedAccountTransfer:
    """A transfer from the platform's provider balance to the owner's connected account (Stripe Connect:
    separate charges and transfers, one transfer group per campaign), keyed by the payout's own
    idempotency key."""

    name: str = PayoutMethodName.CONNECTED_ACCOUNT

    def send(self, *, payout: Payout, idempotency_key: str) -> PayoutResult:
        account = StripeConnectAccount.objects.get(user_id=payout.campaign.owner_id)
        gateway = gateway_with("connected_payouts")
        assert gateway is not None  # the method is chosen only where a gateway offers it
        result = gateway.transfer(
            amount=payout.amount,
            currency=payout.currency,
            destination=account.account_id,
            group=f"campaign-{payout.campaign_id}",
            idempotency_key=idempotency_key,
        )
        return PayoutResult(status="paid", reference=result.reference)


METHODS: dict[str, type[ManualBankTransfer] | type[ConnectedAccountTransfer]] = {
    PayoutMethodName.MANUAL_BANK: ManualBankTransfer,
    PayoutMethodName.CONNECTED_ACCOUNT: ConnectedAccountTransfer,
}


def method_name_for(campaign: Campaign) -> str | None:
    """How a campaign's owner is paid now: by transfer to their connected account where the platform
    takes cards through a gateway that offers connected payouts and the owner's account can receive
    them; by manual bank transfer for owners without one; None while the owner's onboarding is
    unfinished (the payout waits)."""
    if not gateway_for(campaign.platform).capabilities.connected_payouts:
        return PayoutMethodName.MANUAL_BANK
    account = StripeConnectAccount.objects.filter(user_id=campaign.owner_id).first()
    if account is None:
        return PayoutMethodName.MANUAL_BANK
    return PayoutMethodName.CONNECTED_ACCOUNT if account.ready else None


def method_get(name: str) -> PayoutMethod:
    method: PayoutMethod = METHODS[name]()
    return method
