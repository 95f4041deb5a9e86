"""Reads of the ledger: a user's wallet balances and history."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum

from .models import Account, AccountKind, Entry


def wallet_balances(user: Any) -> list[dict[str, Any]]:
    """One row per currency the user's wallet has ever held: `{"currency", "balance"}`."""
    rows = (
        Account.objects.filter(owner_key=Account.key_for(user=user), kind=AccountKind.WALLET)
        .annotate(balance=Sum("entries__amount", default=0))
        .order_by("currency")
        .values("currency", "balance")
    )
    return [{"currency": r["currency"], "balance": r["balance"] or 0} for r in rows]


def wallet_entries(user: Any, *, currency: str | None = None) -> QuerySet[Entry]:
    """The entries on the user's wallet accounts, newest first: money in (+) and out (−)."""
    qs = Entry.objects.filter(account__owner_key=Account.key_for(user=user), account__kind=AccountKind.WALLET)
    if currency:
        qs = qs.filter(account__currency=currency)
    return qs.select_related("transaction", "account").order_by("-transaction__created_at", "-id")


def wallet_balance(user: Any, currency: str) -> int:
    """What the user's wallet in `currency` holds: the sum of its entries."""
    total = Entry.objects.filter(
        account__owner_key=Account.key_for(user=user), account__kind=AccountKind.WALLET, account__currency=currency
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def wallets_with_balance(user: Any) -> list[Account]:
    """The user's wallet accounts, each annotated with its `balance`, by currency."""
    return list(
        Account.objects.filter(owner_key=Account.key_for(user=user), kind=AccountKind.WALLET)
        .annotate(balance=Sum("entries__amount", default=0))
        .order_by("currency")
    )


def wallets_history(wallets: list[Account], *, limit: int = 100) -> list[Entry]:
    """The latest entries on `wallets`, newest first, with their transaction's campaign and platform."""
    return list(
        Entry.objects.filter(account__in=[w.pk for w in wallets])
        .select_related("transaction__campaign__platform", "account")
        .order_by("-id")[:limit]
    )
