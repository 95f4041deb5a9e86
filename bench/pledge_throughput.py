"""Pledge throughput through the REST API: a hot campaign, N concurrent clients, gunicorn on PostgreSQL.

    .venv/bin/python bench/pledge_throughput.py [--clients 8] [--seconds 10] [--rounds 3] [--workers 4]

Creates its own database (civicfund_bench_api: dropped and created), migrates it, makes one live
charity campaign and N backers with API tokens and funded wallets, and starts gunicorn on a free
loopback port (throttling off: CIVICFUND_API_THROTTLE=0; DEBUG off). Then, --rounds times, each phase
for a fixed time (alternating, so a busy machine slows both sides of the ratio alike):

1. N client threads pledge from their wallets (POST /api/v1/campaigns/<id>/pledges/, keep-alive
   http.client, a fresh Idempotency-Key per pledge; every 10th pledge is sent twice with the same key,
   as a client retrying after a lost answer, and must come back 200 with the same pledge);
2. the fair floor (issue 12): the same N threads POST to the bench-only endpoint of bench/urls.py that
   authenticates exactly as the pledge does (the API's default authentication, the same token) and
   INSERTs one row. A pledge can cost no less than that on this server;
3. the ceiling: the same N threads POST to the bench-only endpoint that authenticates the same way and
   runs only the SQL function that writes a wallet pledge (its rows, its ledger transaction, its
   receipt), with none of the pledge's Python: what any pledge that writes those rows can reach at
   most. Its pledges are real rows of the campaign, counted in the books below.

The target: the median round's pledges/s ≥ 0.8 × the floor's requests/s, pledge p99 < 50 ms. For
reference it also runs, once: a trivial endpoint (GET /api/v1/ping/, no database, no authentication),
a small authenticated read (GET /api/v1/platforms/), an authenticated no-op, and a one-row INSERT
without authentication.

It prints pledges/s, p50/p95/p99 latency, the floor's requests/s and the ratio, then checks that the
campaign's raised total, its backers count, the ledger (ledger_audit() empty, escrow balance) and the
sum of accepted (201) pledges agree exactly. Exits 1 when a check or a target fails. gunicorn is
stopped in a `finally` block.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB_NAME", "civicfund_bench_api")  # another name: runs side by side
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE_URL = f"{PG}/{DB_NAME}"
AMOUNT = 10_000  # IRR, the charity platform's smallest pledge
RATIO_TARGET = 0.8  # pledges/s ÷ the fair floor's requests/s
P99_TARGET_MS = 50.0
TRIVIAL = "/api/v1/ping/"  # the baseline of the ratio: no database, no authentication
READ = "/api/v1/platforms/"  # printed for reference: token auth plus two small queries
NOOP = "/bench/noop/"  # bench/urls.py: token authentication, then nothing
INSERT = "/bench/insert/"  # bench/urls.py: no authentication, one single-row INSERT
FLOOR = "/api/bench/auth-insert/"  # bench/urls.py: the pledge's authentication, one single-row INSERT
CEILING = "/api/bench/pledge-statement/{}/"  # bench/urls.py: the pledge's authentication and SQL function only


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def recreate_database(name: str = DB_NAME) -> None:
    """Drop and create a benchmark's own database on the BENCH_PG server (bench/campaign_lists.py too)."""
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()


def server_env() -> dict[str, str]:
    """The benchmark server's environment: bench.settings on this database, DEBUG and throttles off."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": DATABASE_URL,
        "DEBUG": "0",
        "CIVICFUND_API_THROTTLE": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def django_setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "civicfund.settings.local"
    os.environ["DATABASE_URL"] = DATABASE_URL
    os.environ["DEBUG"] = "0"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def make_world(clients: int) -> tuple[int, list[str]]:
    """A live charity campaign and `clients` backers with tokens and wallets that never run dry."""
    import datetime as dt

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from ledger import services as ledger
    from ledger.models import AccountKind, TransactionKind
    from platforms.models import Platform
    from projects.models import Campaign, CampaignStatus

    User = get_user_model()
    charity = Platform.objects.get(slug="charity")
    owner = User.objects.create_user("bench-owner", password="x")
    now = timezone.now()
    campaign = Campaign.objects.create(
        platform=charity,
        owner=owner,
        category=charity.categories.first(),
        title="Hot campaign",
        story="Benchmark",
        goal=10**12,
        currency=charity.currency,
        starts_at=now - dt.timedelta(hours=1),
        deadline=now + dt.timedelta(days=1),
        funding_model=charity.funding_models[0],
        status=CampaignStatus.LIVE,
    )
    card_network = ledger.platform_account(AccountKind.CARD_NETWORK, charity)
    tokens = []
    for i in range(clients):
        backer = User.objects.create_user(f"bench-backer-{i}", password="x")
        # the API serves only accounts with a verified e-mail (docs/security.md)
        EmailAddress.objects.create(user=backer, email=f"bench-{i}@example.org", verified=True, primary=True)
        tokens.append(Token.objects.create(user=backer).key)
        with transaction.atomic():
            ledger.transaction_record(
                kind=TransactionKind.WALLET_TOP_UP,
                key=f"bench-top-up-{i}",
                legs=[
                    ledger.Leg(card_network, -(10**13)),
                    ledger.Leg(ledger.wallet_account(backer, charity.currency), 10**13),
                ],
            )
    return campaign.pk, tokens


class Client:
    """One keep-alive HTTP connection (reopened transparently if the server closes it)."""

    def __init__(self, port: int, token: str | None = None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.headers = {"Content-Type": "application/json", "Connection": "keep-alive"}
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        payload = json.dumps(body).encode() if body is not None else None
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=payload, headers={**self.headers, **(headers or {})})
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                return response.status, data
            except (ConnectionError, http.client.HTTPException):
                self.conn.close()  # a keep-alive connection the server had closed: reopen once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def run_phase(seconds: float, n: int, work) -> tuple[float, list[list]]:
    """Run `work(i, stop_at, out)` in n threads until the deadline; return elapsed time and outputs."""
    outs: list[list] = [[] for _ in range(n)]
    start = time.perf_counter()
    stop_at = start + seconds
    threads = [threading.Thread(target=work, args=(i, stop_at, outs[i])) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, outs


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """CPU seconds spent by the gunicorn workers, this database's PostgreSQL backends and this client
    process during a phase (Linux /proc; PostgreSQL on this machine). Where a request's cost goes.

    Totals only grow: a process gone since the last snapshot (a worker's connection closed at
    CONN_MAX_AGE, its backend replaced by a new one) keeps the CPU it had then, so a phase is not
    charged minus that backend's whole life; what it spent after that snapshot is lost."""

    def __init__(self, gunicorn_pid: int):
        self.gunicorn_pid = gunicorn_pid
        self._seen: dict[str, dict[int, float]] = {"gunicorn": {}, "postgres": {}}
        self._gone = {"gunicorn": 0.0, "postgres": 0.0}

    def _backends(self) -> list[int]:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [DB_NAME])
            return [row[0] for row in cursor.fetchall()]

    def _total(self, group: str, pids: list[int]) -> float:
        seen = self._seen[group]
        now = {pid: max(_cpu_seconds(pid), seen.get(pid, 0.0)) for pid in pids}  # 0.0: it exited meanwhile
        self._gone[group] += sum(cpu for pid, cpu in seen.items() if pid not in now)
        self._seen[group] = now
        return self._gone[group] + sum(now.values())

    def snapshot(self) -> dict[str, float]:
        return {
            "gunicorn": self._total("gunicorn", _children(self.gunicorn_pid)),
            "postgres": self._total("postgres", self._backends()),
            "client": time.process_time(),
        }

    @staticmethod
    def per_request(before: dict, after: dict, requests: int) -> str:
        return "  ".join(f"{k} {(after[k] - before[k]) / max(requests, 1) * 1000:.2f}" for k in before)


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values)) - 1))
    return sorted_values[k]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    recreate_database()
    django_setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    campaign_id, tokens = make_world(args.clients)
    from bench.urls import FLOOR_TABLE

    with connections["default"].cursor() as cursor:
        cursor.execute(f"CREATE TABLE {FLOOR_TABLE} (id bigserial PRIMARY KEY, amount bigint NOT NULL)")
    connections.close_all()

    port = free_port()
    env = server_env()
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "civicfund.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                if Client(port).request("GET", "/api/v1/ping/")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or gunicorn.poll() is not None:
                print("gunicorn did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        for _ in range(args.workers * 4):  # warm every worker's imports and connection
            Client(port).request("GET", "/api/v1/ping/")
        return bench(args, port, campaign_id, tokens, CpuMeter(gunicorn.pid))
    finally:
        try:
            os.killpg(gunicorn.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            gunicorn.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
            gunicorn.wait()


def bench(args, port: int, campaign_id: int, tokens: list[str], cpu: CpuMeter) -> int:
    path = f"/api/v1/campaigns/{campaign_id}/pledges/"
    body = {"amount": AMOUNT, "source": "wallet"}

    def pledger(i: int, stop_at: float, out: list) -> None:
        client = Client(port, tokens[i])
        n = 0
        while time.perf_counter() < stop_at:
            key = uuid.uuid4().hex
            t0 = time.perf_counter()
            status, data = client.request("POST", path, body, {"Idempotency-Key": key})
            out.append(("pledge", time.perf_counter() - t0, status, data, i))
            n += 1
            if status == 201 and n % 10 == 0:  # a retry of the same request: must not pledge again
                status2, data2 = client.request("POST", path, body, {"Idempotency-Key": key})
                out.append(("retry", 0.0, status2, (data, data2), i))

    def statement_only(i: int, stop_at: float, out: list) -> None:
        client = Client(port, tokens[i])
        while time.perf_counter() < stop_at:
            key = {"Idempotency-Key": uuid.uuid4().hex}
            status, data = client.request("POST", CEILING.format(campaign_id), body, key)
            out.append(("ceiling", 0.0, status, data, i))

    def getter(trivial_path: str, method: str = "GET", body: dict | None = None):
        def work(i: int, stop_at: float, out: list) -> None:
            client = Client(port, tokens[i])
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                status, _ = client.request(method, trivial_path, body)
                out.append(("get", time.perf_counter() - t0, status, None, i))

        return work

    rounds = []
    ceilings: list[float] = []  # the SQL function alone, pledges/s
    written: list = []  # the pledges it wrote: in the books too
    outs_p: list[list] = []
    cpu_p = cpu_f = 0.0
    n_p = n_f = 0
    for _ in range(args.rounds):
        c0 = cpu.snapshot()
        elapsed_p, outs = run_phase(args.seconds, args.clients, pledger)
        c1 = cpu.snapshot()
        elapsed_f, outs_f = run_phase(args.seconds, args.clients, getter(FLOOR, "POST", {"amount": AMOUNT}))
        c2 = cpu.snapshot()
        elapsed_c, outs_c = run_phase(args.seconds, args.clients, statement_only)
        outs_p += outs
        ceiling_done = [r for out in outs_c for r in out if r[2] == 201]
        ceilings.append(len(ceiling_done) / elapsed_c)
        written += ceiling_done
        done_p = [r for out in outs for r in out if r[0] == "pledge" and r[2] == 201]
        done_f = [r for out in outs_f for r in out if r[2] == 201]
        failed_f = sum(len(out) for out in outs_f) - len(done_f)
        rounds.append((len(done_p) / elapsed_p, len(done_f) / elapsed_f, failed_f))
        cpu_p += sum(c1[k] - c0[k] for k in ("gunicorn", "postgres"))
        cpu_f += sum(c2[k] - c1[k] for k in ("gunicorn", "postgres"))
        n_p += sum(len(o) for o in outs)
        n_f += sum(len(o) for o in outs_f)
    elapsed_t, outs_t = run_phase(args.seconds, args.clients, getter(TRIVIAL))
    elapsed_r, outs_r = run_phase(args.seconds, args.clients, getter(READ))
    floors = [
        (f"an authenticated no-op GET {NOOP}", run_phase(args.seconds, args.clients, getter(NOOP))),
        (
            f"a one-row INSERT without authentication POST {INSERT}",
            run_phase(args.seconds, args.clients, getter(INSERT, "POST", {"amount": AMOUNT})),
        ),
    ]

    pledges = [r for out in outs_p for r in out if r[0] == "pledge"]
    retries = [r for out in outs_p for r in out if r[0] == "retry"]
    accepted = [r for r in pledges if r[2] == 201]
    refused = [r for r in pledges if r[2] != 201]
    latencies = sorted(r[1] * 1000 for r in pledges)
    pings = [r for out in outs_t for r in out]
    ping_ok = [r for r in pings if r[2] == 200]
    ping_rate = len(ping_ok) / elapsed_t
    ratios = sorted(p / f for p, f, _ in rounds if f)
    ratio = ratios[len(ratios) // 2] if ratios else 0.0
    p99 = percentile(latencies, 99)
    print(
        f"clients={args.clients} gunicorn workers={args.workers} seconds={args.seconds:g} rounds={args.rounds} "
        f"(PostgreSQL database {DB_NAME})"
    )
    for i, (p, f, failed) in enumerate(rounds, 1):
        print(f"round {i}: pledges {p:.1f}/s, fair floor POST {FLOOR} {f:.1f}/s (failed {failed}), ratio {p / f:.3f}")
    print(f"pledges accepted: {len(accepted)} (refused or failed: {len(refused)}; idempotent retries: {len(retries)})")
    print(
        f"pledge latency ms: p50={percentile(latencies, 50):.1f} p95={percentile(latencies, 95):.1f} "
        f"p99={p99:.1f} max={latencies[-1] if latencies else float('nan'):.1f} (target p99 < {P99_TARGET_MS:g})"
    )
    print(f"ratio pledges/s ÷ fair floor req/s, median round = {ratio:.3f} (target ≥ {RATIO_TARGET})")
    ceiling = [c / f for c, (_, f, _) in zip(ceilings, rounds, strict=True) if f]
    print(
        f"ceiling: the pledge's SQL function alone ({CEILING.format(campaign_id)}, no rules, no statistics), "
        f"÷ fair floor per round {', '.join(f'{c:.3f}' for c in ceiling)}"
    )
    print(
        f"CPU ms per request (gunicorn + postgres): pledge {cpu_p / max(n_p, 1) * 1000:.2f}, "
        f"fair floor {cpu_f / max(n_f, 1) * 1000:.2f}"
    )
    print(
        f"for reference, trivial endpoint GET {TRIVIAL}: {ping_rate:.1f} req/s (non-200: {len(pings) - len(ping_ok)})"
    )
    reads = [r for out in outs_r for r in out]
    reads_ok = [r for r in reads if r[2] == 200]
    read_rate = len(reads_ok) / elapsed_r
    print(f"a small authenticated read GET {READ}: {read_rate:.1f} req/s (non-200: {len(reads) - len(reads_ok)})")
    for name, (elapsed_f, outs_f) in floors:
        done = [r for out in outs_f for r in out]
        ok = [r for r in done if r[2] in (200, 201)]
        rate = len(ok) / elapsed_f
        print(f"{name}: {rate:.1f} req/s (failed: {len(done) - len(ok)}), ÷ trivial {rate / ping_rate:.3f}")

    problems = check_books(campaign_id, accepted + written, retries)
    if refused:
        statuses = sorted({r[2] for r in refused})
        problems.append(
            f"{len(refused)} pledge requests were not accepted (statuses {statuses}): {refused[0][3][:300]!r}"
        )
    if ratio < RATIO_TARGET:
        problems.append(f"ratio {ratio:.3f} below the target {RATIO_TARGET}")
    if not p99 < P99_TARGET_MS:
        problems.append(f"p99 {p99:.1f} ms not under {P99_TARGET_MS:g} ms")
    for p in problems:
        print(f"FAIL: {p}")
    print("OK: books agree, no lost or duplicated pledge" if not problems else "FAILED")
    return 1 if problems else 0


def check_books(campaign_id: int, accepted: list, retries: list) -> list[str]:
    from django.db.models import Sum

    from funding.audit import ledger_audit
    from ledger.models import AccountKind, Entry
    from pledges.models import Pledge
    from pledges.selectors import campaigns_with_totals
    from projects.models import Campaign

    problems: list[str] = []
    bodies = [json.loads(r[3]) for r in accepted]
    ids = [b["id"] for b in bodies]
    accepted_sum = sum(b["amount"] for b in bodies)
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} accepted responses share a pledge id")
    for status, (first, again) in ((r[2], r[3]) for r in retries):
        if status != 200 or json.loads(again)["id"] != json.loads(first)["id"]:
            problems.append(f"a retried request answered {status} {again[:200]!r}")
            break
    campaign = campaigns_with_totals(Campaign.objects.filter(pk=campaign_id)).get()
    rows = Pledge.objects.filter(campaign_id=campaign_id)
    db_sum = rows.aggregate(t=Sum("amount"))["t"] or 0
    escrow = (
        Entry.objects.filter(account__kind=AccountKind.ESCROW, account__campaign_id=campaign_id).aggregate(
            t=Sum("amount")
        )["t"]
        or 0
    )
    backers = len({r[4] for r in accepted})
    print(
        f"books: accepted sum={accepted_sum} raised={campaign.raised} pledge rows={rows.count()} "
        f"(accepted {len(ids)}) escrow={escrow} backers={campaign.backers} (clients with a pledge {backers})"
    )
    if rows.count() != len(ids) or set(rows.values_list("id", flat=True)) != set(ids):
        problems.append(f"pledge rows {rows.count()} ≠ accepted pledges {len(ids)}")
    if not (accepted_sum == campaign.raised == db_sum == escrow):
        problems.append(f"accepted {accepted_sum}, raised {campaign.raised}, rows {db_sum}, escrow {escrow} differ")
    if campaign.backers != backers:
        problems.append(f"backers count {campaign.backers} ≠ {backers} clients with accepted pledges")
    if audit := ledger_audit():
        problems += [f"ledger audit: {p}" for p in audit[:10]]
    return problems


if __name__ == "__main__":
    sys.exit(main())
