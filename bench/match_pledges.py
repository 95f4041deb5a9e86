"""A matched pledge against an unmatched one through the REST API, on the same server (issue 13).

    .venv/bin/python bench/match_pledges.py [--clients 4] [--seconds 8] [--rounds 3] [--workers 2]

Creates its own database (civicfund_bench_match: dropped and created; BENCH_PG names the server),
migrates it, makes two live charity campaigns, a verified organisation with a linear 1:1 pot over one
of them (paid in by bank transfer, no per-backer limit and no caps, so every pledge to it is matched
and the pot never runs dry), and N backers with API tokens and funded wallets. It starts gunicorn
(throttling off, DEBUG off) and, --rounds times, alternates two phases of --seconds each (a busy
machine slows both alike): N client threads pledge from their wallets to the unmatched campaign, then
to the matched one (POST /api/v1/campaigns/<id>/pledges/, a fresh Idempotency-Key each).

It prints, per phase and in total, pledges/s and the CPU per request of the gunicorn workers and the
database's PostgreSQL backends (Linux /proc), and the cost ratio: CPU per matched pledge ÷ CPU per
unmatched pledge (target ≤ 1.3). Then it checks the books: every accepted matched pledge says
`matched` = its amount and has one committed match of that amount, the pot's available = paid in − the
matches, the escrows hold citizen + match money, `ledger_audit()` is clean. Exits 1 when a check or
the target fails. gunicorn is stopped in a `finally` block.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("BENCH_DB_NAME", "civicfund_bench_match")

from bench import pledge_throughput as pt  # noqa: E402 (the database name is read at its import)

AMOUNT = 10_000  # IRR, the charity platform's smallest pledge
COST_TARGET = 1.3


def make_world(clients: int) -> tuple[int, int, int, list[str]]:
    """Two live charity campaigns, a 1:1 pot over the second, `clients` backers with wallets."""
    import datetime as dt

    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from ledger import services as ledger
    from ledger.models import AccountKind, TransactionKind
    from partners.models import Organisation, OrganisationKind
    from partners.services.pots import pot_create, pot_pay_in
    from platforms.models import Platform
    from projects.models import Campaign, CampaignStatus

    User = get_user_model()
    charity = Platform.objects.get(slug="charity")
    owner = User.objects.create_user("bench-owner", password="x")
    staff = User.objects.create_user("bench-staff", password="x", is_staff=True)
    now = timezone.now()

    def campaign(title: str) -> Campaign:
        return Campaign.objects.create(
            platform=charity,
            owner=owner,
            category=charity.categories.first(),
            title=title,
            story="Benchmark",
            goal=10**12,
            currency=charity.currency,
            starts_at=now - dt.timedelta(hours=1),
            deadline=now + dt.timedelta(days=1),
            funding_model=charity.funding_models[0],
            status=CampaignStatus.LIVE,
        )

    plain, matched = campaign("Unmatched campaign"), campaign("Matched campaign")
    fund = Organisation.objects.create(
        platform=charity, name="Bench Fund", slug="bench-fund", kind=OrganisationKind.CHARITABLE_FUND, verified_at=now
    )
    pot = pot_create(
        organisation=fund,
        user=staff,
        name="Bench pot",
        budget=10**14,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
        rule="linear",
        ratio=1,
        matched_pledges_per_backer=None,
        campaigns=[matched],
    )
    pot_pay_in(pot=pot, staff=staff, amount=10**14, reference="BENCH")
    card_network = ledger.platform_account(AccountKind.CARD_NETWORK, charity)
    tokens = []
    for i in range(clients):
        backer = User.objects.create_user(f"bench-backer-{i}", password="x")
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
    return plain.pk, matched.pk, pot.pk, tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    pt.recreate_database(pt.DB_NAME)
    pt.django_setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    plain_id, matched_id, pot_id, tokens = make_world(args.clients)
    connections.close_all()

    port = pt.free_port()
    env = pt.server_env()
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "civicfund.wsgi", "-w", str(args.workers), "-b", f"127.0.0.1:{port}"]
        + ["--keep-alive", "5", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.time() + 30
        while True:
            try:
                if pt.Client(port).request("GET", "/api/v1/ping/")[0] == 200:
                    break
            except OSError:
                pass
            if time.time() > deadline or gunicorn.poll() is not None:
                print("gunicorn did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        for _ in range(args.workers * 4):
            pt.Client(port).request("GET", "/api/v1/ping/")
        return bench(args, port, plain_id, matched_id, pot_id, tokens, pt.CpuMeter(gunicorn.pid))
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


def bench(args, port, plain_id, matched_id, pot_id, tokens, cpu) -> int:
    def pledger(campaign_id: int):
        path = f"/api/v1/campaigns/{campaign_id}/pledges/"

        def work(i: int, stop_at: float, out: list) -> None:
            client = pt.Client(port, tokens[i])
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                status, data = client.request(
                    "POST", path, {"amount": AMOUNT, "source": "wallet"}, {"Idempotency-Key": uuid.uuid4().hex}
                )
                out.append((time.perf_counter() - t0, status, data))

        return work

    totals = {"plain": [0.0, 0, 0.0, []], "matched": [0.0, 0, 0.0, []]}  # cpu s, requests, seconds, results
    # a short warm-up of both paths (imports, plans): its pledges are in the books, not in the figures
    warm = {
        name: pt.run_phase(1.0, args.clients, pledger(cid))[1]
        for name, cid in (("plain", plain_id), ("matched", matched_id))
    }
    print(f"clients={args.clients} gunicorn workers={args.workers} seconds={args.seconds:g} rounds={args.rounds}")
    for r in range(1, args.rounds + 1):
        line = []
        for name, campaign_id in (("plain", plain_id), ("matched", matched_id)):
            c0 = cpu.snapshot()
            elapsed, outs = pt.run_phase(args.seconds, args.clients, pledger(campaign_id))
            c1 = cpu.snapshot()
            results = [x for out in outs for x in out]
            spent = sum(c1[k] - c0[k] for k in ("gunicorn", "postgres"))
            t = totals[name]
            t[0] += spent
            t[1] += len(results)
            t[2] += elapsed
            t[3] += results
            per = spent / max(len(results), 1) * 1000
            line.append(f"{name} {len(results) / elapsed:.1f} pledges/s, CPU {per:.2f} ms/pledge")
        print(f"round {r}: " + "; ".join(line))
    cost = {name: t[0] / max(t[1], 1) * 1000 for name, t in totals.items()}
    rate = {name: t[1] / t[2] for name, t in totals.items()}
    ratio = cost["matched"] / cost["plain"] if cost["plain"] else float("inf")
    for name in ("plain", "matched"):
        lat = sorted(x[0] * 1000 for x in totals[name][3])
        print(
            f"{name}: {totals[name][1]} pledges, {rate[name]:.1f}/s, CPU {cost[name]:.2f} ms per pledge "
            f"(gunicorn + postgres), latency p50={pt.percentile(lat, 50):.1f} p95={pt.percentile(lat, 95):.1f} ms"
        )
    print(
        f"cost ratio matched ÷ unmatched (CPU per pledge) = {ratio:.2f} (target ≤ {COST_TARGET}); "
        f"throughput ratio unmatched ÷ matched = {rate['plain'] / rate['matched']:.2f}"
    )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    problems = check_books(
        {name: totals[name][3] + [x for out in warm[name] for x in out] for name in totals}, pot_id, matched_id
    )
    if ratio > COST_TARGET:
        problems.append(f"a matched pledge costs {ratio:.2f}× an unmatched one (target ≤ {COST_TARGET})")
    for p in problems:
        print(f"FAIL: {p}")
    print("OK" if not problems else "FAILED")
    return 1 if problems else 0


def check_books(results: dict[str, list], pot_id: int, matched_id: int) -> list[str]:
    from django.db.models import Sum

    from funding.audit import ledger_audit
    from partners.models import Match, MatchStatus, Pot

    problems = []
    refused = [x for name in results for x in results[name] if x[1] != 201]
    if refused:
        problems.append(f"{len(refused)} pledges not accepted, e.g. {refused[0][1]} {refused[0][2][:200]!r}")
    matched = [json.loads(x[2]) for x in results["matched"] if x[1] == 201]
    plain = [json.loads(x[2]) for x in results["plain"] if x[1] == 201]
    if any(b["matched"] != AMOUNT for b in matched) or any(b["matched"] != 0 for b in plain):
        problems.append("a pledge's answer does not say its match")
    matches = Match.objects.filter(pot_id=pot_id, status=MatchStatus.COMMITTED)
    total = matches.aggregate(t=Sum("amount"))["t"] or 0
    if matches.count() != len(matched) or set(matches.values_list("pledge_id", flat=True)) != {
        b["id"] for b in matched
    }:
        problems.append(f"{matches.count()} matches for {len(matched)} matched pledges")
    pot = Pot.objects.get(pk=pot_id)
    if pot.available != pot.paid_in - total or total != AMOUNT * len(matched):
        problems.append(f"pot available {pot.available}, paid in {pot.paid_in}, matched {total}")
    print(f"books: {len(plain)} unmatched and {len(matched)} matched pledges, {total} matched, pot {pot.available}")
    if audit := ledger_audit():
        problems += [f"ledger audit: {p}" for p in audit[:10]]
    return problems


if __name__ == "__main__":
    sys.exit(main())
