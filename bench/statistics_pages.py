"""The platform page and the statistics page as the pledges grow (not a timed test).

    .venv/bin/python bench/statistics_pages.py [--pledges 10000 1000000]

For each size, a fresh database of its own (`civicfund_bench_stats`, on the server `BENCH_PG` names,
default postgres://postgres@127.0.0.1:5432) is migrated and filled with bulk SQL on the charity
platform (Persian: Jalali months):
- N paid wallet pledges from N / 4 backers, each with the ledger rows a real one writes (a
  `wallet_spend` transaction, wallet −amount, escrow +amount);
- 3,000 of them on 6 live campaigns (the same at every size: what is live is bounded, history grows),
  the rest on 400 closed campaigns (a third failed) spread over its categories and 24 provinces and
  over 24 months;
then the statistics are recounted from the ledger (`stats_rebuild`, timed and printed: it is the
setup, and the command an operator runs once) and `VACUUM ANALYZE`.

Then, in one process through Django's WSGI handler (no HTTP), the median of 15 runs of the platform
page (`/charity/`) and the statistics page (`/charity/statistics/`) in Persian, and of the statistics
API, with their query counts. Target: at N = 1,000,000 each within 1.5× of N = 10,000. Only the
benchmark's own database is created and dropped.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB_NAME", "civicfund_bench_stats")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RUNS = 15
LIVE_CAMPAIGNS, LIVE_PLEDGES = 6, 500
CLOSED_CAMPAIGNS = 400


def fill(pledges: int) -> None:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from platforms.models import Platform
    from projects.models import Campaign, CampaignStatus

    charity = Platform.objects.get(slug="charity")
    categories = list(charity.categories.all())
    areas = list(charity.areas.all())[:24]
    owner = get_user_model().objects.create_user("bench-owner", password="x")
    now = timezone.now()
    live = [
        Campaign(
            platform=charity, owner=owner, category=categories[i % len(categories)], area=areas[i % len(areas)],
            title=f"Live {i}", story="Benchmark", goal=10**10, currency=charity.currency,
            starts_at=now - dt.timedelta(days=10), deadline=now + dt.timedelta(days=20 + i),
            funding_model=charity.funding_models[0], status=CampaignStatus.LIVE,
        )
        for i in range(LIVE_CAMPAIGNS)
    ]  # fmt: skip
    closed = [
        Campaign(
            platform=charity, owner=owner, category=categories[i % len(categories)], area=areas[i % len(areas)],
            title=f"Closed {i}", story="Benchmark", goal=10**6, currency=charity.currency,
            starts_at=now - dt.timedelta(days=760 - i), deadline=now - dt.timedelta(days=730 - i * 1.8),
            closed_at=now - dt.timedelta(days=730 - i * 1.8), funding_model=charity.funding_models[0],
            status=CampaignStatus.REFUNDED if i % 3 == 0 else CampaignStatus.COMPLETED,
        )
        for i in range(CLOSED_CAMPAIGNS)
    ]  # fmt: skip
    Campaign.objects.bulk_create(live + closed)
    first_live, first_closed = live[0].pk, closed[0].pk
    historic = pledges - LIVE_CAMPAIGNS * LIVE_PLEDGES
    backers = max(pledges // 4, LIVE_PLEDGES)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
            " is_staff, is_active, date_joined) SELECT '', false, 'backer-' || g, '', '', '', false, true,"
            " now() FROM generate_series(1, %s) g",
            [backers],
        )
        cur.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'backer-%%'")
        (first_backer,) = cur.fetchone()
        cur.execute(
            "INSERT INTO ledger_account (kind, currency, owner_key, user_id)"
            " SELECT 'wallet', %s, 'user:' || id, id FROM auth_user WHERE id >= %s",
            [charity.currency, first_backer],
        )
        cur.execute(
            "INSERT INTO ledger_account (kind, currency, owner_key, campaign_id)"
            " SELECT 'escrow', %s, 'campaign:' || id, id FROM projects_campaign WHERE platform_id = %s",
            [charity.currency, charity.pk],
        )
        # Historic pledges: campaign c of the closed ones, paid over its own month; live: interleaved.
        cur.execute(
            "INSERT INTO pledges_pledge (amount, currency, source, status, payment_method, created_at, paid_at,"
            " backer_id, campaign_id) SELECT 10000 + g %% 7 * 1000, %s, 'wallet', 'paid', '',"
            " c.deadline - (g %% 28) * interval '1 day', c.deadline - (g %% 28) * interval '1 day',"
            " %s + g %% %s, c.id"
            " FROM generate_series(0, %s - 1) g JOIN projects_campaign c ON c.id = %s + g %% %s",
            [charity.currency, first_backer, backers, historic, first_closed, CLOSED_CAMPAIGNS],
        )
        cur.execute(
            "INSERT INTO pledges_pledge (amount, currency, source, status, payment_method, created_at, paid_at,"
            " backer_id, campaign_id) SELECT 10000 + g %% 7 * 1000, %s, 'wallet', 'paid', '',"
            " now() - interval '1 day', now() - interval '1 day', %s + g, %s + c"
            " FROM generate_series(0, %s - 1) g, generate_series(0, %s - 1) c ORDER BY g, c",
            [charity.currency, first_backer, first_live, LIVE_PLEDGES, LIVE_CAMPAIGNS],
        )
        cur.execute(
            "INSERT INTO ledger_transaction (kind, key, campaign_id, memo, created_at)"
            " SELECT 'wallet_spend', 'pledge-' || id || '-paid', campaign_id, '', paid_at FROM pledges_pledge"
        )
        cur.execute(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount, pledge_id)"
            " SELECT t.id, w.id, -p.amount, p.id FROM pledges_pledge p"
            " JOIN ledger_transaction t ON t.key = 'pledge-' || p.id || '-paid'"
            " JOIN ledger_account w ON w.owner_key = 'user:' || p.backer_id AND w.kind = 'wallet'"
            " UNION ALL SELECT t.id, e.id, p.amount, p.id FROM pledges_pledge p"
            " JOIN ledger_transaction t ON t.key = 'pledge-' || p.id || '-paid'"
            " JOIN ledger_account e ON e.owner_key = 'campaign:' || p.campaign_id AND e.kind = 'escrow'"
        )
    from stats.services.tally import tallies_rebuild

    start = time.perf_counter()
    cells = tallies_rebuild()
    print(f"  stats_rebuild: {cells} cells from the ledger in {time.perf_counter() - start:.1f} s (setup)")
    connection.close()
    import psycopg2

    conn = psycopg2.connect(f"{PG}/{DB_NAME}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()


def measure() -> list[tuple[str, float, int]]:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    app = WSGIHandler()

    def get(path: str) -> bytes:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
        status = []
        body = b"".join(app(environ, lambda s, h: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"GET {path}: {status[0]} {body[:200]!r}")
        return body

    totals = json.loads(get("/api/v1/platforms/charity/statistics/"))["totals"]
    print(f"  figures: raised {totals['raised']:,}, backers {totals['backers']:,}, funded {totals['funded']}")
    pages = [
        ("platform page", "/charity/"),
        ("statistics page", "/charity/statistics/"),
        ("statistics API", "/api/v1/platforms/charity/statistics/"),
    ]
    results = []
    for name, path in pages:
        get(path)  # warm
        queries: list[str] = []

        def count(execute, sql, params, many, context, seen=queries):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            get(path)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            get(path)
            times.append(time.perf_counter() - start)
        results.append((name, statistics.median(times) * 1000, len(queries)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pledges", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if len(args.pledges) > 1:
        import subprocess

        for n in args.pledges:  # a fresh process each: nothing cached from the other size
            cmd = [sys.executable, __file__, "--pledges", str(n)] + (["--keep-db"] if args.keep_db else [])
            if code := subprocess.call(cmd):
                return code
        return 0
    n = args.pledges[0]
    sys.path.insert(0, str(ROOT / "bench"))
    from pledge_throughput import recreate_database  # its neighbour in bench/, on the same BENCH_PG

    recreate_database(DB_NAME)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="civicfund.settings.local",
        DATABASE_URL=f"{PG}/{DB_NAME}",
        DEBUG="0",
        CIVICFUND_API_THROTTLE="0",
    )
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(f"{n:,} pledges on the charity platform")
    fill(n)
    for name, ms, queries in measure():
        print(f"  {name:16s} {ms:8.1f} ms  ({queries} queries)")
    if not args.keep_db:
        from django.db import connections

        connections.close_all()
        import psycopg2

        conn = psycopg2.connect(f"{PG}/postgres")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
