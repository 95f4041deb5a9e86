"""Load test: the whole site under a mix of users, with production settings (not a timed test).

    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/load_test.py [--users 100] [--minutes 3]

Creates its own PostgreSQL database (civicfund_bench_load: dropped and created on BENCH_PG), migrates
it, collects static files, and makes a world: live campaigns on the charity platform (wallet pledges)
and the civic platform (card pledges through the sandbox gateway), their owners, and backers with
verified e-mail addresses, API tokens and funded wallets. Two of the campaigns (given three times the
others' share of pledges) reach their deadline half-way through the run (set as Locust starts), so
their close (a failure refunded to wallets; a small goal on the civic platform) runs underneath the
load. Then it starts gunicorn (--workers × --threads, production settings: bench/settings_load.py,
which only lifts allauth's per-address limits, since every simulated user comes from 127.0.0.1; the
staging-like site allows the sandbox gateway, CIVICFUND_ALLOW_SANDBOX=1), a Celery worker with its
beat (close job every 5 s) on REDIS_URL, and Locust (bench/locustfile.py, FastHttpUser), headless,
bounded in time, only to 127.0.0.1: anonymous visitors (home, browse, campaign and platform pages, the
API's list), signed-in backers (sign-in and sign-out, pledges by card and from the wallet through the
website's two steps, cancels, their dashboard, wallet pledges and their list through the API with a
token) and owners (their campaign's page, updates to backers).

It prints Locust's requests, failures, requests/s and p50/p95/p99 per page, then checks the books:
every pledge the site said it took is there, no pledge exists that no client was told of (a
duplicate or an answer lost), both closing campaigns closed, and `audit_ledger` finds nothing. Exit
status 1 when a check fails, a request failed, or a page's p95 is over --p95-ms.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pledge_throughput import PG, free_port, recreate_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_LOAD_DB_NAME", "civicfund_bench_load")
DATABASE_URL = f"{PG}/{DB_NAME}"
PASSWORD = "load-test pass phrase"


def _env(tmp: Path) -> dict[str, str]:
    redis = os.environ.get("REDIS_URL", "")
    if not redis:
        raise SystemExit("Set REDIS_URL (a Redis database this test may purge), e.g. redis://127.0.0.1:6379/3")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings_load",
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": "http://127.0.0.1,https://127.0.0.1",
        "CIVICFUND_SECURE_COOKIES": "false",
        "CIVICFUND_API_THROTTLE": "0",
        "CIVICFUND_PAYMENT_GATEWAY": "sandbox",
        # a staging-like site on plain HTTP at 127.0.0.1: the sandbox allowed, no redirect to HTTPS
        "CIVICFUND_ALLOW_SANDBOX": "1",
        "CIVICFUND_SANDBOX_SECRET": secrets.token_urlsafe(32),
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "CIVICFUND_CLOSE_INTERVAL": "5",
        "CIVICFUND_BEAT_FILE": str(tmp / "celerybeat-schedule"),
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def make_world(backers: int, owners: int) -> dict:
    """Campaigns, owners and backers (all with one password); returns what the Locust users need."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from ledger import services as ledger
    from ledger.models import AccountKind, TransactionKind
    from platforms.models import Platform
    from projects.models import Campaign, CampaignStatus

    User = get_user_model()
    hashed = make_password(PASSWORD)  # once: the same hash for every user
    now = timezone.now()
    charity, civic = Platform.objects.get(slug="charity"), Platform.objects.get(slug="civic")

    def users(prefix: str, n: int) -> list:
        made = User.objects.bulk_create(
            [User(username=f"{prefix}-{i}", email=f"{prefix}-{i}@example.org", password=hashed) for i in range(n)]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in made]
        )
        return made

    owner_users = users("load-owner", owners)
    campaigns = []
    plan = [(charity, 10**12, dt.timedelta(days=2))] * 3 + [(civic, 10**9, dt.timedelta(days=2))] * 2
    # The two closing campaigns get their real deadline when Locust starts (`closing_deadline_set`): the
    # migrations, gunicorn and the worker take a while to start on a busy machine.
    plan += [(charity, 10**12, dt.timedelta(days=2)), (civic, 100, dt.timedelta(days=2))]
    for i, (platform, goal, deadline_in) in enumerate(plan):
        campaigns.append(
            Campaign.objects.create(
                platform=platform,
                owner=owner_users[i % owners],
                category=platform.categories.first(),
                title=f"Load test campaign {i}",
                story="A campaign of the load test.",
                goal=goal,
                currency=platform.currency,
                starts_at=now - dt.timedelta(hours=1),
                deadline=now + deadline_in,
                funding_model=platform.funding_models[-1],
                status=CampaignStatus.LIVE,
            )
        )
    backer_users = users("load-backer", backers)
    card_network = ledger.platform_account(AccountKind.CARD_NETWORK, charity)
    for u in backer_users:
        with transaction.atomic():
            ledger.transaction_record(
                kind=TransactionKind.WALLET_TOP_UP,
                key=f"load-top-up-{u.pk}",
                legs=[
                    ledger.Leg(card_network, -(10**10)),
                    ledger.Leg(ledger.wallet_account(u, charity.currency), 10**10),
                ],
            )
    tokens = {
        t.user_id: t.key
        for t in Token.objects.bulk_create([Token(user=u, key=Token.generate_key()) for u in backer_users])
    }

    def described(c: Campaign) -> dict:
        minor = c.platform.min_pledge
        major = minor if c.currency in ("IRR", "IRT") else minor // 100
        return {"id": c.pk, "platform": c.platform.slug, "amount": minor, "amount_major": major}

    # The two closing campaigns are listed three times each, so they gather pledges before they close.
    closing = campaigns[-2:]
    wallet = [described(c) for c in campaigns + closing * 2 if c.platform_id == charity.pk]
    card = [described(c) for c in campaigns + closing * 2 if c.platform_id == civic.pk]
    return {
        "password": PASSWORD,
        "campaigns": [described(c) for c in campaigns],
        "wallet_campaigns": wallet,
        "card_campaigns": card,
        "closing": [c.pk for c in campaigns[-2:]],
        "backers": [{"username": u.username, "token": tokens[u.pk]} for u in backer_users],
        "owners": [
            {"username": u.username, "campaign": next(c.pk for c in campaigns if c.owner_id == u.pk)}
            for u in owner_users
        ],
    }


def closing_deadline_set(world: dict, close_after: float) -> None:
    """The closing campaigns' deadline: `close_after` seconds from now (called as Locust starts)."""
    from django.utils import timezone

    from projects.models import Campaign

    deadline = timezone.now() + dt.timedelta(seconds=close_after)
    Campaign.objects.filter(pk__in=world["closing"]).update(deadline=deadline)


def _wait_http(url: str, proc: subprocess.Popen, seconds: float = 60) -> None:
    stop_at = time.time() + seconds
    while time.time() < stop_at and proc.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} never answered")


def _warm_up(port: int, world: dict, threads: int) -> None:
    """Each page once per server thread, at once, before the clock starts: a worker's first request of a
    page loads its modules and compiles its templates (a few hundred ms, once per process, as after any
    deploy), which the run should not count as the site's latency under load. `?warm-up` keeps the
    measured URLs out of the anonymous page cache, so the run still starts with it cold."""
    from concurrent.futures import ThreadPoolExecutor

    c = world["campaigns"][0]
    paths = ["/", "/browse/", f"/{c['platform']}/", f"/{c['platform']}/campaigns/{c['id']}/"]
    paths += ["/api/v1/campaigns/", "/accounts/login/"]

    def get(path: str) -> None:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}?warm-up", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            answer.read()

    def sign_in(i: int) -> None:  # the sign-in flow's own modules (allauth's, the hasher's), once a thread
        import http.cookiejar
        import re

        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        base, proxy = f"http://127.0.0.1:{port}", {"X-Forwarded-Proto": "https"}
        with opener.open(urllib.request.Request(f"{base}/accounts/login/", headers=proxy), timeout=30) as page:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
        who = world["owners"][i % len(world["owners"])]["username"]
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": who, "password": PASSWORD})
        referer = {**proxy, "Referer": f"https://127.0.0.1:{port}/accounts/login/"}
        opener.open(urllib.request.Request(f"{base}/accounts/login/", form.encode(), referer), timeout=30).read()

    with ThreadPoolExecutor(threads) as pool:
        for path in paths:
            list(pool.map(get, [path] * threads))
        list(pool.map(sign_in, range(threads)))


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def print_stats(stats_csv: Path, p95_ms: float) -> list[str]:
    problems = []
    rows = list(csv.DictReader(stats_csv.open()))
    print(f"\n{'page':34} {'requests':>9} {'failed':>7} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)")
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "ALL"
        p95 = float(row["95%"] or 0)
        print(
            f"{name[:34]:34} {row['Request Count']:>9} {row['Failure Count']:>7} {float(row['Requests/s']):7.1f} "
            f"{row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
        )
        if int(row["Failure Count"]):
            problems.append(f"{name}: {row['Failure Count']} failed requests")
        if name != "ALL" and p95 > p95_ms:
            problems.append(f"{name}: p95 {p95:.0f} ms over {p95_ms:.0f} ms")
    return problems


def check_books(world: dict, told: list[dict], sent: list[str]) -> list[str]:
    from django.db.models import Count

    from funding.audit import ledger_audit
    from pledges.models import Pledge
    from projects.models import Campaign, CampaignStatus

    problems = []
    ids = [t["id"] for t in told]
    pledges = Pledge.objects.filter(campaign_id__in=[c["id"] for c in world["campaigns"]])
    in_db = set(pledges.values_list("id", flat=True))
    lost = set(ids) - in_db
    # A pledge no client was told of: a request still in flight when Locust stopped its users (its key
    # was sent; the website's card pledges add a tag of the card to the form's key), or a duplicate.
    sent_keys = set(sent)
    untold_rows = pledges.exclude(id__in=ids).values_list("id", "request_key")
    in_flight = {pk for pk, key in untold_rows if key and (key in sent_keys or key.rsplit("-", 1)[0] in sent_keys)}
    untold = {pk for pk, _ in untold_rows} - in_flight
    by_status = dict(pledges.values_list("status").annotate(n=Count("id")))
    closing = {
        c.pk: f"{c.status}, raised at close {c.raised_at_close}, {pledges.filter(campaign=c).count()} pledges"
        for c in Campaign.objects.filter(pk__in=world["closing"])
    }
    print(
        f"\nbooks: told {len(ids)} pledges ({len(set(ids))} distinct), {len(in_db)} in the database {by_status}, "
        f"{len(in_flight)} made by a request in flight when the users stopped; "
        f"closing campaigns now {closing}"
    )
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} pledges were announced twice")
    if lost:
        problems.append(f"{len(lost)} pledges the site said it took are missing: {sorted(lost)[:10]}")
    if untold:
        problems.append(f"{len(untold)} pledges no client asked for (duplicates): {sorted(untold)[:10]}")
    if Campaign.objects.filter(pk__in=world["closing"], status=CampaignStatus.LIVE).exists():
        problems.append(f"a campaign due to close is still live: {closing}")
    if audit := ledger_audit():
        problems += [f"audit_ledger: {p}" for p in audit[:10]]
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100, help="simultaneous Locust users")
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (docker-compose runs 3)")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per gunicorn worker (gthread; GUNICORN_THREADS in production)"
    )
    parser.add_argument("--backers", type=int, default=200)
    parser.add_argument("--owners", type=int, default=7)
    parser.add_argument("--p95-ms", type=float, default=300)
    args = parser.parse_args()
    seconds = int(args.minutes * 60)

    with tempfile.TemporaryDirectory(prefix="civicfund-load-") as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp)
        recreate_database(DB_NAME)
        python = str(ROOT / ".venv/bin/python")
        subprocess.run([python, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        # This process reads the books with the same settings as the site (production's refuse the
        # sandbox gateway unless CIVICFUND_ALLOW_SANDBOX is set, as on this staging-like site).
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connections

        world = make_world(args.backers, args.owners)
        connections.close_all()
        (tmp / "world.json").write_text(json.dumps(world))
        env["CIVICFUND_LOAD_WORLD"] = str(tmp / "world.json")
        env["CIVICFUND_LOAD_TOLD"] = str(tmp / "told.json")

        port = free_port()
        gunicorn = worker = locust = None
        try:
            worker = subprocess.Popen(
                [str(ROOT / ".venv/bin/celery"), "-A", "civicfund", "worker", "-B", "-s", env["CIVICFUND_BEAT_FILE"]]
                + ["--concurrency=2", "--purge", "-l", "warning"],
                cwd=ROOT,
                env=env,
                stdout=open(tmp / "worker.log", "w"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            gunicorn = subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "civicfund.wsgi", "-w", str(args.workers)]
                + ["--threads", str(args.threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            _wait_http(f"http://127.0.0.1:{port}/api/v1/ping/", gunicorn)
            _warm_up(port, world, args.workers * args.threads)
            closing_deadline_set(world, close_after=seconds / 2)
            connections.close_all()
            started = time.time()
            locust = subprocess.Popen(
                [str(ROOT / ".venv/bin/locust"), "-f", str(ROOT / "bench/locustfile.py"), "--headless"]
                + ["-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{seconds}s", "--stop-timeout", "10"]
                + ["--host", f"http://127.0.0.1:{port}", "--csv", str(tmp / "load"), "--only-summary"]
                + ["--loglevel", "WARNING"],
                cwd=ROOT,
                env=env,
                start_new_session=True,
            )
            locust.wait(timeout=seconds + 120)
            elapsed = time.time() - started
            # The close of the second campaign may still be running (refunds): give the worker time.
            from projects.models import Campaign, CampaignStatus

            stop_at = time.time() + 120
            while (
                time.time() < stop_at
                and Campaign.objects.filter(
                    pk__in=world["closing"], status__in=[CampaignStatus.LIVE, "refunding"]
                ).exists()
            ):
                time.sleep(2)
            time.sleep(5)  # card refunds and e-mails queued by the close
        finally:
            _stop(locust)
            _stop(gunicorn)
            _stop(worker)
        print(
            f"{args.users} users for {elapsed:.0f} s, gunicorn {args.workers} workers × {args.threads} threads, "
            "production settings "
            f"(bench/settings_load.py), PostgreSQL {DB_NAME}, Redis broker; a campaign closed underneath"
        )
        problems = print_stats(tmp / "load_stats.csv", args.p95_ms)
        said = json.loads((tmp / "told.json").read_text()) if (tmp / "told.json").exists() else {}
        problems += check_books(world, said.get("told", []), said.get("sent", []))
        worker_log = (tmp / "worker.log").read_text(errors="replace")
        if "Traceback" in worker_log or "CRITICAL" in worker_log:
            problems.append("the worker logged an error:\n" + worker_log[-3000:])
    for p in problems:
        print(f"FAIL: {p}")
    print("OK: no failed request, no pledge lost or duplicated, the books audit clean" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
