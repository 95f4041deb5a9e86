"""Writing to the ledger. Callers run these inside the database transaction of the state change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Sum

from .models import Account, AccountKind, Entry, Transaction


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int
    pledge_id: int | None = None


def account_get(*, kind: str, currency: str, platform=None, campaign=None, user=None) -> Account:
    account, _ = Account.objects.get_or_create(
        kind=kind,
        currency=currency,
        owner_key=Account.key_for(platform=platform, campaign=campaign, user=user),
        defaults={"platform": platform, "campaign": campaign, "user": user},
    )
    return account


def escrow_account(campaign) -> Account:
    return account_get(kind=AccountKind.ESCROW, currency=campaign.currency, campaign=campaign)


def held_account(campaign) -> Account:
    return account_get(kind=AccountKind.HELD, currency=campaign.currency, campaign=campaign)


def wallet_account(user, currency: str) -> Account:
    return account_get(kind=AccountKind.WALLET, currency=currency, user=user)


def platform_account(kind: str, platform) -> Account:
    return account_get(kind=kind, currency=platform.currency, platform=platform)


def transaction_record(*, kind: str, key: str, legs: Iterable[Leg], campaign=None, memo: str = "") -> Transaction:
    """Write one balanced transaction.

    Must run inside the caller's atomic block, so the money moves together with the state change it
    records. Refuses unbalanced or mixed-currency legs; a second transaction with the same `key`
    raises IntegrityError, which is how the database refuses recording one movement twice.
    """
    legs = [leg for leg in legs if leg.amount]
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Ledger writes must run inside the state change's transaction")
    if not legs:
        raise ValueError("A transaction needs at least two legs")
    if sum(leg.amount for leg in legs) != 0:
        raise ValueError(f"Unbalanced transaction {key}: legs sum to {sum(leg.amount for leg in legs)}")
    if len({leg.account.currency for leg in legs}) != 1:
        raise ValueError(f"Transaction {key} mixes currencies")
    txn = Transaction.objects.create(kind=kind, key=key, campaign=campaign, memo=memo)
    Entry.objects.bulk_create(
        Entry(transaction=txn, account=leg.account, amount=leg.amount, pledge_id=leg.pledge_id) for leg in legs
    )
    return txn


def balance(account: Account) -> int:
    return account.entries.aggregate(total=Sum("amount"))["total"] or 0


def wallet_balance(user, currency: str) -> int:
    total = Entry.objects.filter(
        account__owner_key=Account.key_for(user=user), account__kind=AccountKind.WALLET, account__currency=currency
    ).aggregate(total=Sum("amount"))["total"]
    return total or 0
