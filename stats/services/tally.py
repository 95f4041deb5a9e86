"""The statistics' totals, kept as the money moves: each ledger transaction of citizen money
(`ledger.hooks.recorded`) and each close (`projects.hooks.campaign_moved`) adds its part to its
month's `Tally` row in the same database transaction. `tallies_rebuild` recounts everything from the
ledger and the campaigns (the `stats_rebuild` command), and the tests hold the two equal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ledger.models import AccountKind, Entry, TransactionKind
from pledges.models import Pledge
from projects.models import FAILED_STATUSES, FUNDED_STATUSES, Campaign, CampaignStatus

from ..models import Backing, Tally
from ..periods import period_of

# Citizen money: pledges paid by card or wallet, and their refunds (a failed refund's reversal too).
MONEY_KINDS = (TransactionKind.PLEDGE_PAID, TransactionKind.WALLET_SPEND, TransactionKind.REFUND)

Cell = tuple[int, int, int | None, int]  # platform, category, area, period
Row = tuple[str, int, int | None]  # account kind, amount, pledge id


def money_effect(kind: str, rows: Sequence[Row]) -> tuple[int, dict[int, int]]:
    """What one transaction of citizen money does to its campaign: the amount it adds to the escrow
    (negative for refunds) and, per pledge, +1 when the pledge's money comes in and −1 when it goes
    back. A payment brings in each of its pledges; a refund's pledge legs outside the escrow say which
    way each pledge's money went (to the backer: −1; a failed refund's reversal, from the card: +1),
    since a chunk of wallet refunds takes its money from the escrow in one leg without a pledge."""
    raised = sum(amount for account, amount, _ in rows if account == AccountKind.ESCROW)
    moves: dict[int, int] = defaultdict(int)
    if kind == TransactionKind.REFUND:
        for account, amount, pledge in rows:
            if pledge is not None and account != AccountKind.ESCROW:
                moves[pledge] += -1 if amount > 0 else 1
    else:
        for pledge in {pledge for _, _, pledge in rows if pledge is not None}:
            moves[pledge] = 1
    return raised, {pledge: move for pledge, move in moves.items() if move}


def money_recorded(
    *,
    transaction: Any,
    legs: Sequence[Any] | None,
    backers: dict[int, int] | None = None,
    campaign_locked: bool = False,
) -> None:
    """ledger.hooks.recorded: add a transaction of citizen money to its month's tally (`backers` and
    `campaign_locked`, when the caller gives them, spare the look-up of the pledges' backers and the
    campaign's key-share lock: see ledger.hooks)."""
    if transaction.kind not in MONEY_KINDS or transaction.campaign_id is None:
        return
    if legs is None:  # set-based wallet refunds: read the entries
        rows: list[Row] = list(
            Entry.objects.filter(transaction_id=transaction.pk).values_list("account__kind", "amount", "pledge_id")
        )
    else:
        rows = [(leg.account.kind, leg.amount, leg.pledge_id) for leg in legs]
    raised, moves = money_effect(transaction.kind, rows)
    if not raised and not moves:
        return
    if not campaign_locked:
        _campaign_key_share(transaction.campaign_id)
    campaign = transaction.campaign
    backers_change = _backings_add(campaign.pk, _backers_of(moves, backers))
    cell = (
        campaign.platform_id,
        campaign.category_id,
        campaign.area_id,
        period_of(campaign.platform, transaction.created_at),
    )
    tallies_add({cell: (raised, backers_change, 0, 0)})


def wallet_pledge_ctes(*, campaign: Campaign, backer_id: int, amount: int, at: Any) -> list[tuple[str, str, list]]:
    """pledges.hooks.wallet_pledge_sql: what `money_recorded` does for a wallet pledge's spend, as two CTEs
    of the pledge's own statement (PostgreSQL): the backer's count of pledges to the campaign goes up by
    one, and the month's cell gains the amount and, when that count became 1, a backer. The statement's
    SQL function holds the campaign FOR SHARE before these take the tally row: the close's lock order."""
    backing, tally = Backing._meta.db_table, Tally._meta.db_table
    cell = [campaign.platform_id, campaign.category_id, campaign.area_id, period_of(campaign.platform, at)]
    return [
        (
            "stats_backing",
            f"INSERT INTO {backing} (campaign_id, backer_id, pledges) SELECT %s, %s, 1 FROM pledged "
            f"WHERE outcome = 'ok' ON CONFLICT (campaign_id, backer_id) DO UPDATE SET pledges = {backing}.pledges + 1 "
            "RETURNING pledges",
            [campaign.pk, backer_id],
        ),
        (
            "stats_tally",
            f"INSERT INTO {tally} (platform_id, category_id, area_id, period, raised, backers, funded, failed) "
            "SELECT %s, %s, %s, %s, %s, CASE WHEN pledges = 1 THEN 1 ELSE 0 END, 0, 0 FROM stats_backing "
            f"ON CONFLICT (platform_id, category_id, area_id, period) DO UPDATE SET "
            f"raised = {tally}.raised + EXCLUDED.raised, backers = {tally}.backers + EXCLUDED.backers",
            [*cell, amount],
        ),
    ]


wallet_pledge_ctes.replaces = money_recorded  # type: ignore[attr-defined]  # pledges.hooks.wallet_pledge_sql


def _campaign_key_share(campaign_id: int) -> None:
    """Take the campaign row's key-share lock before the tally row's, so every transaction takes them in
    the one order the close does (campaign, then tally). The ledger transaction's foreign key takes the
    same lock anyway, but at COMMIT (Django's foreign keys are deferred): a transaction that had not
    locked the campaign first (a card refund's booking) then held the tally row while waiting for the
    campaign the close held, and the close waited for the tally row: a deadlock
    (tests/concurrency/test_deadline_race.py hit it about one run in three)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Campaign._meta.db_table} WHERE id = %s FOR KEY SHARE", [campaign_id])


def campaign_closed(*, campaign: Campaign, from_status: str, to_status: str, **_: Any) -> None:
    """projects.hooks.campaign_moved: a close counts the campaign funded or failed in its month."""
    if from_status != CampaignStatus.LIVE or to_status not in (CampaignStatus.SUCCEEDED, CampaignStatus.FAILED):
        return
    funded = to_status == CampaignStatus.SUCCEEDED
    tallies_add({_closed_cell(campaign): (0, 0, int(funded), int(not funded))})


def _closed_cell(campaign: Campaign) -> Cell:
    moment = campaign.closed_at or timezone.now()
    return (campaign.platform_id, campaign.category_id, campaign.area_id, period_of(campaign.platform, moment))


def _backers_of(moves: dict[int, int], known: dict[int, int] | None = None) -> dict[int, int]:
    """Per backer, the sum of their pledges' moves (`known`: {pledge: backer} the caller gave)."""
    if known is not None and all(pledge in known for pledge in moves):
        owners = known
    else:
        owners = dict(Pledge.objects.filter(pk__in=list(moves)).values_list("pk", "backer_id"))
    per_backer: dict[int, int] = defaultdict(int)
    for pledge, move in moves.items():
        per_backer[owners[pledge]] += move
    return {backer: move for backer, move in per_backer.items() if move}


def _backings_add(campaign_id: int, per_backer: dict[int, int]) -> int:
    """Add each backer's move to their count of pledges to the campaign that count; returns how the
    campaign's distinct backers changed (a count leaving or reaching zero)."""
    if not per_backer:
        return 0
    items = sorted(per_backer.items())
    values = ", ".join(["(%s, %s, %s)"] * len(items))
    params = [value for backer, move in items for value in (campaign_id, backer, move)]
    table = Backing._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (campaign_id, backer_id, pledges) VALUES {values} "
            f"ON CONFLICT (campaign_id, backer_id) DO UPDATE SET pledges = {table}.pledges + EXCLUDED.pledges "
            "RETURNING backer_id, pledges",
            params,
        )
        now_counting = dict(cursor.fetchall())
    change = 0
    for backer, move in items:
        after = now_counting[backer]
        change += int(after > 0) - int(after - move > 0)
    return change


def tallies_add(cells: dict[Cell, tuple[int, int, int, int]]) -> None:
    """Add (raised, backers, funded, failed) to each cell, creating it if needed: one statement."""
    if not cells:
        return
    items = sorted(cells.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or 0, item[0][3]))
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(items))
    params = [value for cell, sums in items for value in (*cell, *sums)]
    if not connection.features.supports_nulls_distinct_unique_constraints:
        # SQLite cannot declare a cell unique with its area null (nulls_distinct=False), so there is no
        # ON CONFLICT target there: add cell by cell (SQLite has one writer at a time).
        for (platform_id, category_id, area_id, period), (raised, backers, funded, failed) in items:
            cell = {"platform_id": platform_id, "category_id": category_id, "area_id": area_id, "period": period}
            added = Tally.objects.filter(**cell).update(
                raised=F("raised") + raised,
                backers=F("backers") + backers,
                funded=F("funded") + funded,
                failed=F("failed") + failed,
            )
            if not added:
                Tally.objects.create(**cell, raised=raised, backers=backers, funded=funded, failed=failed)
        return
    table = Tally._meta.db_table
    add = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in ("raised", "backers", "funded", "failed"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (platform_id, category_id, area_id, period, raised, backers, funded, failed) "
            f"VALUES {values} ON CONFLICT (platform_id, category_id, area_id, period) DO UPDATE SET {add}",
            params,
        )


# --- the recount ------------------------------------------------------------------------------


def tallies_recount() -> tuple[dict[Cell, list[int]], dict[tuple[int, int], int]]:
    """Every tally and backing counted afresh from the ledger and the campaigns: the cells with their
    [raised, backers, funded, failed], and each (campaign, backer)'s counting pledges."""
    campaigns = {c.pk: c for c in Campaign.objects.select_related("platform")}
    cells: dict[Cell, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    backings: dict[tuple[int, int], int] = defaultdict(int)
    entries = (
        Entry.objects.filter(transaction__kind__in=MONEY_KINDS, transaction__campaign__isnull=False)
        .order_by("transaction_id", "id")
        .values_list(
            "transaction_id",
            "transaction__kind",
            "transaction__campaign_id",
            "transaction__created_at",
            "account__kind",
            "amount",
            "pledge_id",
            "pledge__backer_id",
        )
    )
    for kind, campaign_id, created_at, rows, owners in _by_transaction(entries.iterator(chunk_size=5000)):
        raised, moves = money_effect(kind, rows)
        campaign = campaigns[campaign_id]
        cell = (campaign.platform_id, campaign.category_id, campaign.area_id, period_of(campaign.platform, created_at))
        per_backer: dict[int, int] = defaultdict(int)
        for pledge, move in moves.items():
            per_backer[owners[pledge]] += move
        change = 0
        for backer, move in per_backer.items():
            before = backings[(campaign_id, backer)]
            backings[(campaign_id, backer)] = before + move
            change += int(before + move > 0) - int(before > 0)
        cells[cell][0] += raised
        cells[cell][1] += change
    for campaign in campaigns.values():
        if campaign.closed_at and campaign.status in FUNDED_STATUSES + FAILED_STATUSES:
            cells[_closed_cell(campaign)][2 if campaign.status in FUNDED_STATUSES else 3] += 1
    return dict(cells), {key: n for key, n in backings.items() if n}


def _by_transaction(entries: Iterable[tuple[Any, ...]]) -> Iterable[tuple[str, int, Any, list[Row], dict[int, int]]]:
    """Entries (ordered by transaction) grouped into their transactions, with each pledge's backer."""
    current: int | None = None
    kind, campaign_id, created_at, rows, owners = "", 0, None, [], {}
    for txn, txn_kind, campaign, at, account, amount, pledge, backer in entries:
        if txn != current:
            if current is not None:
                yield kind, campaign_id, created_at, rows, owners
            current, kind, campaign_id, created_at, rows, owners = txn, txn_kind, campaign, at, [], {}
        rows.append((account, amount, pledge))
        if pledge is not None:
            owners[pledge] = backer
    if current is not None:
        yield kind, campaign_id, created_at, rows, owners


def tallies_rebuild() -> int:
    """Replace the tallies and backings with a recount of the ledger (the `stats_rebuild` command).
    The tables are locked first, so money moving meanwhile waits and then adds to the recount.
    Returns the number of cells."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Tally._meta.db_table}, {Backing._meta.db_table} IN EXCLUSIVE MODE")
        cells, backings = tallies_recount()
        Tally.objects.all().delete()
        Backing.objects.all().delete()
        Tally.objects.bulk_create(
            (Tally(platform_id=p, category_id=c, area_id=a, period=m, raised=r, backers=b, funded=f, failed=x)
             for (p, c, a, m), (r, b, f, x) in cells.items()),
            batch_size=2000,
        )  # fmt: skip
        Backing.objects.bulk_create(
            (Backing(campaign_id=c, backer_id=b, pledges=n) for (c, b), n in backings.items()), batch_size=5000
        )
    return len(cells)


def tallies_stored() -> dict[Cell, list[int]]:
    """The maintained tallies, as `tallies_recount` gives its cells (zero rows left out)."""
    return {
        (t.platform_id, t.category_id, t.area_id, t.period): [t.raised, t.backers, t.funded, t.failed]
        for t in Tally.objects.all()
        if (t.raised, t.backers, t.funded, t.failed) != (0, 0, 0, 0)
    }
