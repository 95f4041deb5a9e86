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


METHODS = {"manual_bank": ManualBankTransfer}


def method_get(name: str) -> PayoutMethod:
    return METHODS[name]()
