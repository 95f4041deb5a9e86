"""The only code that changes a pledge's status: one pledge under its row lock (`pledge_move`), or many
of one campaign in set-based statements (`pledges_move`, a failed campaign's refunds and releases).
Both check the move against `models.PLEDGE_TRANSITIONS` and write the history rows
(`PledgeStatusChange`) in the same transaction; tests/pledges/test_state_machine.py greps the code for
any other status write. Reward units go back on sale here too when a pledge ends without money."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from core.errors import InvalidTransition
from projects.models import RewardTier

from .. import hooks
from ..models import COUNTING, ENDING, PLEDGE_TRANSITIONS, Pledge, PledgeStatus, PledgeStatusChange

# Moves after which a pledge holds no reward unit any more (the money never came, or went back).
FREES_REWARD = (PledgeStatus.DECLINED, PledgeStatus.CANCELLED, PledgeStatus.DROPPED)


def pledge_move(pledge: Pledge, new_status: str, *, note: str = "", **fields: Any) -> Pledge:
    """Move one pledge to `new_status` and record it. Caller holds the pledge's row lock
    (`select_for_update`) in its transaction. Sets `paid_at` on → paid, `ended_at` when the pledge ends
    (and clears it when a failed refund reopens one), and any other `fields` given (e.g.
    `retry_until`). A pledge ending declined, cancelled or dropped frees its reward unit.
    Raises InvalidTransition for a move the map does not allow."""
    pledge.check_move(new_status)
    now = timezone.now()
    old = pledge.status
    pledge.status = new_status
    changed: list[str] = ["status", *fields]
    for name, value in fields.items():
        setattr(pledge, name, value)
    if new_status == PledgeStatus.PAID and "paid_at" not in fields:
        pledge.paid_at = now
        changed.append("paid_at")
    if new_status in ENDING and "ended_at" not in fields:
        pledge.ended_at = now
        changed.append("ended_at")
    elif old in ENDING and "ended_at" not in fields:
        pledge.ended_at = None
        changed.append("ended_at")
    pledge.save(update_fields=changed)
    PledgeStatusChange.objects.create(pledge=pledge, from_status=old, to_status=new_status, note=note[:200], at=now)
    if new_status in FREES_REWARD:
        tier_release(pledge.tier_id)
    if new_status in COUNTING and old not in COUNTING:
        hooks.pledge_counting.run(pledge=pledge)
    elif old in COUNTING and new_status not in COUNTING:
        hooks.pledges_not_counting.run(campaign_id=pledge.campaign_id, pledge_ids=[pledge.pk])
    return pledge


def pledges_move(
    *,
    campaign_id: int,
    from_status: str,
    to_status: str,
    source: str | None = None,
    limit: int | None = None,
    skip_locked: bool = False,
    note: str = "",
    now: dt.datetime | None = None,
) -> list[tuple[int, int, int]]:
    """Move a campaign's `from_status` pledges (of `source`, if given; the first `limit` in id order) to
    `to_status` in one UPDATE, and write their history rows in one INSERT; return the moved pledges'
    (id, backer_id, amount) in id order. Must run in the transaction that books what the move means.

    One UPDATE ... RETURNING instead of SELECT ... FOR UPDATE and then UPDATE writes each pledge row
    once, not twice; on PostgreSQL `skip_locked` lets concurrent chunks take disjoint pledges, and
    ARRAY(...) is computed once, then each row is found by its primary key, whatever the table's size
    or statistics (a plain IN may hash-join the whole table for every chunk). Moves that free rewards
    (declined, cancelled, dropped) go one by one through `pledge_move`. `now`: the instant recorded
    (default the clock's; the close passes its own)."""
    if to_status not in PLEDGE_TRANSITIONS[from_status]:
        raise InvalidTransition(
            f"A {from_status} pledge cannot become {to_status}.", from_status=from_status, to_status=to_status
        )
    if to_status in FREES_REWARD:
        raise ValueError(f"{to_status}: move such pledges one by one (pledge_move frees their rewards)")
    table, postgres = Pledge._meta.db_table, connection.vendor == "postgresql"
    now = now or timezone.now()
    lock = " FOR UPDATE SKIP LOCKED" if skip_locked and postgres else ""
    where = " AND source = %s" if source else ""
    take = f"SELECT id FROM {table} WHERE campaign_id = %s AND status = %s{where} ORDER BY id"
    take += " LIMIT %s" if limit is not None else ""
    take += lock
    params: list[Any] = [
        campaign_id,
        from_status,
        *([source] if source else []),
        *([limit] if limit is not None else []),
    ]
    sets, set_params = "status = %s", [to_status]
    set_params_any: list[Any] = list(set_params)
    if to_status in ENDING:
        sets += ", ended_at = %s"
        set_params_any.append(connection.ops.adapt_datetimefield_value(now))
    chosen = f"id = ANY(ARRAY({take}))" if postgres else f"id IN ({take})"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets} WHERE {chosen} RETURNING id, backer_id, amount", [*set_params_any, *params]
        )
        moved: list[tuple[int, int, int]] = sorted(cursor.fetchall())
    ids = [pledge_id for pledge_id, _, _ in moved]
    _history_insert(ids, from_status, to_status, now=now, note=note)
    if ids and from_status in COUNTING and to_status not in COUNTING:
        hooks.pledges_not_counting.run(campaign_id=campaign_id, pledge_ids=ids)
    return moved


def _history_insert(ids: list[int], from_status: str, to_status: str, *, now: dt.datetime, note: str) -> None:
    """The history rows of a set-based move: one statement on PostgreSQL, whatever the number."""
    if not ids:
        return
    table = PledgeStatusChange._meta.db_table
    at = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (pledge_id, from_status, to_status, note, at) "
                "SELECT unnest(%s::bigint[]), %s, %s, %s, %s",
                [ids, from_status, to_status, note[:200], at],
            )
        else:  # SQLite: multi-row VALUES within its limit on parameters
            for start in range(0, len(ids), 150):
                part = ids[start : start + 150]
                cursor.execute(
                    f"INSERT INTO {table} (pledge_id, from_status, to_status, note, at) VALUES "
                    + ", ".join(["(%s, %s, %s, %s, %s)"] * len(part)),
                    [value for pledge_id in part for value in (pledge_id, from_status, to_status, note[:200], at)],
                )


# --- reward units ----------------------------------------------------------------------------------


def tier_claim(tier: RewardTier | None) -> bool:
    """Take one unit of a limited tier; False when it has sold out. The conditional UPDATE re-checks
    under the row lock, and the database CHECK `tier_never_oversold` backs it."""
    if tier is None:
        return True
    return bool(
        RewardTier.objects.filter(pk=tier.pk)
        .filter(Q(quantity_limit__isnull=True) | Q(quantity_claimed__lt=F("quantity_limit")))
        .update(quantity_claimed=F("quantity_claimed") + 1)
    )


def tier_release(tier_id: int | None) -> None:
    """Put one unit of a tier back on sale."""
    if tier_id is not None:
        RewardTier.objects.filter(pk=tier_id, quantity_claimed__gt=0).update(quantity_claimed=F("quantity_claimed") - 1)
