"""Campaign lists as the number of pledges grows (not a timed test).

    .venv/bin/python bench/campaign_lists.py [--campaigns 40] [--pledges 1000 12500]

For each number of pledges per campaign, a fresh database of its own (`civicfund_bench_lists`, on
the server `BENCH_PG` names, default postgres://postgres@127.0.0.1:5432) is migrated and filled
with bulk SQL: `--campaigns` live campaigns on the charity platform, each with that many paid
pledges from distinct backers, interleaved in time as real pledges are (so a campaign's pledges
are spread over the table), then `VACUUM ANALYZE` (what autovacuum does on a live server).
Then, in one process through Django's WSGI handler (no HTTP), it times the pages that show
campaigns with their raised totals and backers counts: the API list (newest first, and sorted
by raised), the browse page, the platform page and a campaign page; the median of 7 runs, and
the number of SQL queries each makes.

A page of campaigns sorted by date should cost its own campaigns' pledges, not the whole
table's: from the smaller size to the larger, its time grows at most with its campaigns' own
pledges. The platform page's totals (everything the platform raised) and a sort by raised still
read every counting pledge, from the index alone. Setup is not timed; only the benchmark's own
database is created and dropped.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB_NAME", "civicfund_bench_lists")  # another name: runs side by side
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RUNS = 7


def fill(campaigns: int, pledges: int) -> int:
    """Live charity campaigns with `pledges` paid pledges each; returns one campaign's id."""
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from platforms.models import Platform
    from projects.models import Campaign, CampaignStatus

    charity = Platform.objects.get(slug="charity")
    owner = get_user_model().objects.create_user("bench-owner", password="x")
    now = timezone.now()
    made = Campaign.objects.bulk_create(
        Campaign(
            platform=charity,
            owner=owner,
            category=charity.categories.first(),
            title=f"Campaign {i}",
            story="Benchmark",
            goal=10**10,
            currency=charity.currency,
            starts_at=now - dt.timedelta(days=10),
            deadline=now + dt.timedelta(days=20 + i),
            funding_model=charity.funding_models[0],
            status=CampaignStatus.LIVE,
        )
        for i in range(campaigns)
    )
    first = made[0].pk
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
            " is_staff, is_active, date_joined) SELECT '', false, 'backer-' || g, '', '', '', false, true,"
            " now() FROM generate_series(1, %s) g",
            [pledges],
        )
        cur.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'backer-%%'")
        (first_backer,) = cur.fetchone()
        # Pledge g of every campaign, then pledge g + 1 of every campaign...: interleaved as in life.
        cur.execute(
            "INSERT INTO pledges_pledge (amount, currency, source, status, payment_method, created_at, paid_at,"
            " backer_id, campaign_id) SELECT 10000 + g %% 7 * 1000, %s, 'wallet', 'paid', '',"
            " now() - interval '1 day', now() - interval '1 day', %s + g, %s + c"
            " FROM generate_series(0, %s - 1) g, generate_series(0, %s - 1) c ORDER BY g, c",
            [charity.currency, first_backer, first, pledges, campaigns],
        )
    connection.close()
    import psycopg2

    conn = psycopg2.connect(f"{PG}/{DB_NAME}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()
    return first


def measure(campaign_id: int) -> list[tuple[str, float, int]]:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    app = WSGIHandler()

    def get(path: str, query: str = "") -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
        status = []
        body = b"".join(app(environ, lambda s, h: status.append(s)))
        if not status[0].startswith("200"):
            raise SystemExit(f"GET {path}?{query}: {status[0]} {body[:200]!r}")

    pages = [
        ("API list, newest first", "/api/v1/campaigns/", ""),
        ("API list, by raised", "/api/v1/campaigns/", "ordering=-raised"),
        ("browse page", "/browse/", ""),
        ("platform page", "/charity/", ""),
        ("campaign page", f"/charity/campaigns/{campaign_id}/", ""),
    ]
    results = []
    for name, path, query in pages:
        get(path, query)  # warm
        queries: list[str] = []

        def count(execute, sql, params, many, context, seen=queries):
            seen.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            get(path, query)
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            get(path, query)
            times.append(time.perf_counter() - start)
        results.append((name, statistics.median(times) * 1000, len(queries)))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--campaigns", type=int, default=40)
    parser.add_argument(
        "--pledges",
        type=int,
        nargs="+",
        default=[1_000, 12_500],
        help="paid pledges per campaign; one database per value",
    )
    args = parser.parse_args()
    if len(args.pledges) > 1:
        import subprocess

        for n in args.pledges:  # a fresh process each: nothing cached from the other size
            code = subprocess.call([sys.executable, __file__, "--campaigns", str(args.campaigns), "--pledges", str(n)])
            if code:
                return code
        return 0
    n = args.pledges[0]
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
    campaign_id = fill(args.campaigns, n)
    print(f"{args.campaigns} live campaigns x {n:,} paid pledges = {args.campaigns * n:,} pledges")
    for name, ms, queries in measure(campaign_id):
        print(f"  {name:24s} {ms:8.1f} ms  ({queries} queries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
