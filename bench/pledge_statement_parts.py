"""What each part of a wallet pledge's SQL function costs PostgreSQL, beside the fair floor's INSERT.

    .venv/bin/python bench/pledge_statement_parts.py [--seconds 6] [--passes 2]   # needs pgbench on PATH

Makes the world of bench/pledge_throughput.py in its own database (civicfund_bench_parts: dropped and
created), installs copies of `pledge_wallet_commit` (pledges/wallet_sql.py, rendered as the migration
installs it) with parts taken out, one after another (the outbox receipt, the ledger entries, the ledger
transaction, the wallet's debit, the pledge row), and beside them the whole function without its row
locks, without the balance sum and without the idempotency look-up. Then `pgbench -M prepared -c 1`
calls each for --seconds (a fresh Idempotency-Key a call, as a pledge sends), and the floor's INSERT,
--passes times in turn, and prints the average latency of each in µs (commit included). One client:
nothing waits on a lock, so the figures are PostgreSQL's work per call. A benchmark, not a test; the
copies write real rows into this database only.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DB_NAME", "civicfund_bench_parts")

import pledge_throughput as pt  # noqa: E402  (reads BENCH_DB_NAME)


def _cut(sql: str, start: str, end: str) -> str:
    """`sql` without the text from `start` to the first `end` after it (both must be there)."""
    i = sql.index(start)
    return sql[:i] + sql[sql.index(end, i) + len(end) :]


def variants(full: str, tables: dict[str, str]) -> dict[str, str]:
    """{what is left out: the function's CREATE, named pwc_<n>}, the whole function first."""
    cuts = {}
    cuts["the whole function"] = full
    cuts["without the receipt in the outbox"] = _cut(full, f"    INSERT INTO {tables['outbox']}", "p_at, 0);")
    cuts["... and without the two ledger entries"] = _cut(
        cuts["without the receipt in the outbox"], f"    INSERT INTO {tables['entry']}", "v_pledge);\n"
    )
    cuts["... and without the ledger transaction"] = _cut(
        cuts["... and without the two ledger entries"], f"    INSERT INTO {tables['transaction']}", "INTO v_txn;"
    )
    cuts["... and without the wallet's debit"] = _cut(
        cuts["... and without the ledger transaction"], f"    UPDATE {tables['account']}", "v_wallet;"
    )
    cuts["checks and locks only (not the pledge row)"] = _cut(
        cuts["... and without the wallet's debit"], f"    INSERT INTO {tables['pledge']}", "INTO v_pledge;"
    )
    cuts["the whole function without its row locks"] = full.replace("FOR SHARE OF c", "").replace(
        "FOR NO KEY UPDATE", ""
    )
    cuts["... without the wallet's balance sum"] = re.sub(
        r"IF \(SELECT COALESCE\(SUM.*?END IF;", "", full, count=1, flags=re.S
    )
    cuts["... without the idempotency look-up"] = _cut(
        full, "    IF p_request_key IS NOT NULL THEN", "END IF;\n    END IF;"
    )
    return {
        what: sql.replace("FUNCTION pledge_wallet_commit(", f"FUNCTION pwc_{n}(")
        for n, (what, sql) in enumerate(cuts.items())
    }


def pgbench(sql: str, seconds: int) -> float:
    """pgbench's average latency of `sql`, one client, prepared, in µs."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as script:
        script.write(sql + "\n")
        script.flush()
        url = pt.DATABASE_URL
        out = subprocess.run(
            ["pgbench", "-n", "-M", "prepared", "-c", "1", "-T", str(seconds), "-f", script.name, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return float(re.search(r"latency average = ([\d.]+) ms", out).group(1)) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()

    pt.recreate_database()
    pt.django_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    campaign_id, _ = pt.make_world(1)
    from bench.urls import FLOOR_TABLE
    from core.models import OutboxMail
    from ledger.models import Account, AccountKind, Entry, Transaction
    from ledger.services import escrow_account
    from pledges.models import Pledge
    from pledges.wallet_sql import function_sql
    from projects.models import Campaign

    tables = {
        "outbox": OutboxMail._meta.db_table,
        "entry": Entry._meta.db_table,
        "transaction": Transaction._meta.db_table,
        "account": Account._meta.db_table,
        "pledge": Pledge._meta.db_table,
    }
    campaign = Campaign.objects.get(pk=campaign_id)
    backer = Account.objects.get(kind=AccountKind.WALLET, user__username="bench-backer-0")
    # The first pledge of a campaign makes its escrow account (the Python path); the function expects it.
    wallet_key, escrow_key = backer.owner_key, escrow_account(campaign).owner_key
    kinds = variants(function_sql(), tables)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, amount bigint NOT NULL)")
        for sql in kinds.values():
            cursor.execute(sql)
    calls = {"the floor's INSERT": f"INSERT INTO {FLOOR_TABLE} (amount) VALUES (1) RETURNING id;"}
    for n, what in enumerate(kinds):
        calls[what] = (
            f"SELECT * FROM pwc_{n}({campaign_id}, {backer.user_id}, NULL, {pt.AMOUNT}, '{campaign.currency}', "
            f"md5(random()::text), now(), now(), '{wallet_key}', '{escrow_key}', NULL, true);"
        )
    with connection.cursor() as cursor:
        cursor.execute(calls["the whole function"].rstrip(";"))
        first = cursor.fetchone()
    assert first[0] == "ok", f"the whole function must write a pledge on this world, not {first}"
    connection.close()

    figures: dict[str, list[float]] = {what: [] for what in calls}
    for _ in range(args.passes):
        for what, sql in calls.items():
            figures[what].append(pgbench(sql, args.seconds))
    print(f"pgbench -M prepared -c 1, {args.seconds} s each, µs a call (commit included), pass by pass:")
    for what, values in figures.items():
        print(f"  {what:45s} " + "  ".join(f"{v:6.0f}" for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
