"""The books of every match-funding pot, checked by `audit_ledger` (funding.hooks.audit):
paid in = matched to succeeded campaigns + returned to the organisation + still available + committed to
campaigns not yet decided, and each of these as the ledger has it. Grouped SQL aggregates only."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum

from ledger.models import AccountKind, Entry, TransactionKind

from .models import Match, MatchStatus, Pot

T = TransactionKind


def pots_audit(*, now: dt.datetime) -> list[str]:
    problems: list[str] = []
    ledger_by: defaultdict[tuple[int, str], int] = defaultdict(int)
    for row in (
        Entry.objects.filter(account__kind=AccountKind.POT)
        .values("account__owner_key", "transaction__kind")
        .annotate(total=Sum("amount"))
    ):
        pot_id = int(row["account__owner_key"].split(":", 1)[1])
        ledger_by[pot_id, row["transaction__kind"]] = row["total"] or 0
    matches: defaultdict[tuple[int, str], int] = defaultdict(int)
    for row in Match.objects.values("pot_id", "status").annotate(total=Sum("amount")):
        matches[row["pot_id"], row["status"]] = row["total"] or 0
    for pot in Pot.objects.values("id", "name", "paid_in", "available"):
        pid, name = pot["id"], f"pot {pot['id']} ({pot['name']})"
        paid_in = ledger_by[pid, T.POT_PAY_IN]
        out_net = -(ledger_by[pid, T.MATCH] + ledger_by[pid, T.MATCH_RETURN])  # with campaigns now
        returned = -ledger_by[pid, T.POT_RETURN]
        balance = sum(v for (p, _), v in ledger_by.items() if p == pid)
        committed, collected = matches[pid, MatchStatus.COMMITTED], matches[pid, MatchStatus.COLLECTED]
        if paid_in != pot["paid_in"]:
            problems.append(f"{name}: paid in {pot['paid_in']}, but the ledger received {paid_in}")
        if balance != pot["available"]:
            problems.append(f"{name}: available {pot['available']}, but its ledger account holds {balance}")
        if out_net != committed + collected:
            problems.append(
                f"{name}: the ledger moved {out_net} to campaigns, matches total {committed + collected}"
                f" (committed {committed}, collected {collected})"
            )
        if pot["paid_in"] != collected + returned + pot["available"] + committed:
            problems.append(
                f"{name}: paid in {pot['paid_in']} ≠ matched to succeeded campaigns {collected} + returned"
                f" {returned} + available {pot['available']} + committed to live campaigns {committed}"
            )
    return problems
