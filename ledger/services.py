"""Writing to the ledger. Callers run these inside the database transaction of the state change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model, Sum

from . import hooks
from .models import Account, AccountKind, Entry, Transaction


@dataclass(frozen=True)
class Leg:
    account: Account
    amount: int
    pledge_id: int | None = None


def account_get(*, kind: str, currency: str, platform: Any = None, campaign: Any = None, user: Any = None) -> Account:
    account, _ = Account.objects.get_or_create(
        kind=kind,
        currency=currency,
        owner_key=Account.key_for(platform=platform, campaign=campaign, user=user),
        defaults={"platform": platform, "campaign": campaign, "user": user},
    )
    return account


def account_keyed(*, kind: str, currency: str, owner_key: str, platform: Any = None) -> Account:
    """An account of an owner the ledger does not know by model (an upper app's "pot:7",
    "organisation:3"), found by its unique key and created on first use."""
    account, _ = Account.objects.get_or_create(
        kind=kind, currency=currency, owner_key=owner_key, defaults={"platform": platform}
    )
    return account


def escrow_account(campaign: Any) -> Account:
    return account_get(kind=AccountKind.ESCROW, currency=campaign.currency, campaign=campaign)


def held_account(campaign: Any) -> Account:
    return account_get(kind=AccountKind.HELD, currency=campaign.currency, campaign=campaign)


def wallet_account(user: Any, currency: str) -> Account:
    return account_get(kind=AccountKind.WALLET, currency=currency, user=user)


def platform_account(kind: str, platform: Any) -> Account:
    return account_get(kind=kind, currency=platform.currency, platform=platform)


def transaction_record(
    *, kind: str, key: str, legs: Iterable[Leg], campaign: Any = None, memo: str = ""
) -> Transaction:
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
    _wallet_debits_keep([(leg.account, leg.amount) for leg in legs])
    hooks.recorded.run(transaction=txn, legs=legs)
    return txn


def _wallet_debits_keep(moves: Iterable[tuple[Account, int]]) -> None:
    """Add a transaction's wallet debits to their wallets' `debited` (the caller holds each wallet's row
    lock, as every spend of a wallet does)."""
    for account, amount in moves:
        if amount < 0 and account.kind == AccountKind.WALLET:
            Account.objects.filter(pk=account.pk).update(debited=F("debited") - amount)


def balance(account: Account) -> int:
    return account.entries.aggregate(total=Sum("amount"))["total"] or 0


def wallet_spendable(wallet: Account) -> int:
    """What a wallet the caller has row-locked holds: its credits less its kept debits. `wallet` must
    be the row as the lock read it (every debit holds that lock, so its `debited` is current); the
    credits are summed in a fresh statement, which sees every one committed so far."""
    credits = wallet.entries.filter(amount__gt=0).aggregate(total=Sum("amount"))["total"] or 0
    return credits - wallet.debited


def wallets_credit_many(
    *,
    kind: str,
    key: str,
    source: Account,
    credits: Sequence[tuple[int, int, int | None]],
    campaign: Any = None,
    memo: str = "",
) -> Transaction:
    """One balanced transaction moving money from `source` to many users' wallets in `source`'s
    currency: `credits` are (user_id, amount, pledge_id). Wallets missing are created. Must run inside
    the caller's atomic block (e.g. a failed campaign's chunk of 2,000 wallet refunds).

    No model instance per credit: wallets are looked up by their unique key (an index probe each,
    whatever the table statistics say) and rows go in as multi-row INSERTs, so the time goes to the
    database's own work."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Ledger writes must run inside the state change's transaction")
    currency = source.currency
    users = {user_id for user_id, _, _ in credits}
    wallets = Account.objects.filter(
        kind=AccountKind.WALLET, currency=currency, owner_key__in=[Account.key_for(user_id=u) for u in users]
    )
    accounts = dict(wallets.values_list("user_id", "id"))
    if missing := sorted(users - accounts.keys()):
        created = rows_insert(
            Account,
            ("kind", "currency", "user_id", "owner_key"),
            [(AccountKind.WALLET, currency, u, Account.key_for(user_id=u)) for u in missing],
            conflict=" ON CONFLICT DO NOTHING",
            returning=("user_id", "id"),
        )
        accounts.update(dict(created))
        if len(accounts) < len(users):  # a wallet made meanwhile by someone else (a conflict)
            accounts = dict(wallets.values_list("user_id", "id"))
    total = sum(amount for _, amount, _ in credits)
    txn = Transaction.objects.create(kind=kind, key=key, campaign=campaign, memo=memo)
    rows_insert(
        Entry,
        ("transaction_id", "account_id", "amount", "pledge_id"),
        [(txn.pk, source.pk, -total, None)]
        + [(txn.pk, accounts[user_id], amount, pledge_id) for user_id, amount, pledge_id in credits],
    )
    _wallet_debits_keep([(source, -total)])
    hooks.recorded.run(transaction=txn, legs=None)
    return txn


def rows_insert(
    model: type[Model],
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    *,
    conflict: str = "",
    batch: int = 1000,
    returning: tuple[str, ...] = (),
) -> list[tuple[Any, ...]]:
    """INSERT plain value tuples, `batch` rows a statement (SQLite's limit on parameters); with
    `returning`, those columns of the rows actually inserted."""
    one = f"({', '.join(['%s'] * len(columns))})"
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    out: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start : start + batch]
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES "
                + ", ".join([one] * len(part))
                + conflict
                + back,
                [value for row in part for value in row],
            )
            if returning:
                out += cursor.fetchall()
    return out
