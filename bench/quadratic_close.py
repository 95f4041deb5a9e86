"""Benchmark of a quadratic round's close (not a timed test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/civicfund_bench \
        .venv/bin/python bench/quadratic_close.py [--campaigns 200] [--pledges 100000] [--backers 25000]

A fresh database of its own (`civicfund_bench_quadratic`, dropped first and at the end unless --keep-db)
is migrated and filled with bulk SQL: a verified council on the civic platform with a quadratic pot (cap 1%,
£100,000 paid in by bank transfer) whose window has just ended, its call with --campaigns live approved
campaigns, and --pledges paid card pledges spread over them by --backers backers (with the ledger rows a
card payment writes). Five campaigns have many more distinct backers than the rest and ten have few, so
weights differ widely and the cap and its redistribution come into play.

Timed: `partners.services.rounds.round_close` (the grouped query, the Decimal shares, one Match and one
balanced ledger transaction per campaign, the decision), in one transaction, as the beat task runs it.
Checked after: the shares equal those recomputed from the pledge rows read one by one in Python (not
timed), no campaign above the cap, the pot's balance = paid in − shared, `ledger_audit()` clean (the
per-pot audit included). Exit status 1 when the close takes 10 s or more or a check fails.

Setup is not measured. Only the benchmark's own database is created, dropped and written.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from close_campaigns import bench_url, check_postgres, recreate_database  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECS = 10.0
CAP_PERCENT = 1  # of the pot per campaign: 200 campaigns average 0.5%, the crowd-backed five go over
RESULT_PREFIX = "BENCH_RESULT "


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--pledges", type=int, default=100_000)
    parser.add_argument("--backers", type=int, default=25_000)
    parser.add_argument("--db-name", default="civicfund_bench_quadratic")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    if not args.db_name.startswith("civicfund_bench"):
        sys.exit("bench: --db-name must start with civicfund_bench")
    url = os.environ.get("DATABASE_URL")
    config = check_postgres(url)
    assert url is not None
    recreate_database(config, args.db_name)
    env = dict(
        os.environ,
        DATABASE_URL=bench_url(url, args.db_name),
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "civicfund.settings.test"),
        PYTHONHASHSEED="0",
    )
    env.pop("CIVICFUND_USE_TEST_DATABASE", None)
    try:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "--skip-checks", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        out = subprocess.run(
            [sys.executable, __file__, "--worker", *sys.argv[1:]], cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE
        )
        line = next(x for x in out.stdout.decode().splitlines() if x.startswith(RESULT_PREFIX))
        result = json.loads(line[len(RESULT_PREFIX) :])
    finally:
        if not args.keep_db:
            recreate_database(config, args.db_name, drop_only=True)
    ok = result["close_secs"] < TARGET_SECS and not result["problems"]
    print(
        f"quadratic round close: {result['campaigns']} campaigns, {result['pledges']:,} pledges, "
        f"{result['pairs']:,} (campaign, backer) totals: {result['close_secs']:.2f} s "
        f"(target < {TARGET_SECS:.0f} s) — {'OK' if ok else 'MISSED'}\n"
        f"  grouped query {result['query_secs']:.2f} s, square roots {result['weights_secs']:.2f} s, "
        f"shares {result['shares_secs']:.2f} s; "
        f"shared {result['shared']:,} of {result['pot']:,} (capped: {result['capped']}, with a match: "
        f"{result['matched']}, rounding left {result['left']}); load average {result['load']:.2f}\n"
        f"  checks: {result['problems'] or 'all clean'}"
    )
    return 0 if ok else 1


def worker(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from funding.audit import ledger_audit
    from ledger import services as ledger
    from ledger.models import AccountKind
    from partners.models import Application, ApplicationStatus, Match, MemberRole, Membership, Organisation
    from partners.services import rounds
    from partners.services.calls import call_create
    from partners.services.pots import pot_create, pot_pay_in
    from platforms.models import Platform
    from projects.models import Campaign, CampaignStatus

    n_campaigns, n_pledges, n_backers = args.campaigns, args.pledges, args.backers
    cur = connection.cursor()
    started = time.perf_counter()
    now = timezone.now()
    User = get_user_model()
    civic = Platform.objects.get(slug="civic")
    staff = User.objects.create(username="bench-staff", password="!", is_staff=True)
    admin = User.objects.create(username="bench-council", password="!")
    owner = User.objects.create(username="bench-owner", password="!")
    council = Organisation.objects.create(
        platform=civic, name="Bench Council", slug="bench-council", kind="public_body", verified_at=now
    )
    Membership.objects.create(organisation=council, user=admin, role=MemberRole.ADMIN)
    pot = pot_create(
        organisation=council,
        user=admin,
        name="Bench round",
        budget=10_000_000,
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(minutes=1),
        rule="quadratic",
        cap_percent=CAP_PERCENT,
    )
    pot = pot_pay_in(pot=pot, staff=staff, amount=10_000_000, reference="BENCH-1")
    call = call_create(
        organisation=council,
        user=admin,
        title="Bench call",
        theme="Benchmark",
        description="Benchmark.",
        criteria="Benchmark.",
        applications_open_at=now - dt.timedelta(days=30),
        applications_close_at=now - dt.timedelta(days=2),
        campaigns_deadline=now + dt.timedelta(days=1),
        pot=pot,
    )
    campaigns = Campaign.objects.bulk_create(
        Campaign(
            owner=owner,
            platform=civic,
            category=civic.categories.first(),
            area=civic.areas.first(),
            title=f"Bench campaign {i}",
            story="Benchmark campaign.",
            goal=1_000_000,
            currency=civic.currency,
            funding_model="all_or_nothing",
            starts_at=now - dt.timedelta(days=20),
            deadline=call.campaigns_deadline,
            status=CampaignStatus.LIVE,
        )
        for i in range(n_campaigns)
    )
    Application.objects.bulk_create(
        Application(call=call, campaign=c, status=ApplicationStatus.APPROVED) for c in campaigns
    )
    ids = sorted(c.pk for c in campaigns)
    cur.execute(
        "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,"
        " is_staff, is_active, date_joined)"
        " SELECT '!', false, 'bench-b-' || g, '', '', 'bench-b-' || g || '@example.com', false, true, now()"
        " FROM generate_series(1, %s) g",
        [n_backers],
    )
    cur.execute("SELECT min(id) FROM auth_user WHERE username LIKE 'bench-b-%%'")
    first_backer = cur.fetchone()[0]
    # Pledge g goes to campaign g mod C. The first five campaigns' pledges each come from another backer
    # (many small backers: weights far above the rest, so the cap and the redistribution apply); the next
    # ten's from 37 backers only (few backers, low weights); the others' from the whole crowd. £1 to £50.
    cur.execute(
        "INSERT INTO pledges_pledge (campaign_id, backer_id, amount, currency, source, status, payment_method,"
        " created_at, paid_at)"
        " SELECT (%s::bigint[])[1 + g %% %s],"
        "  %s + CASE WHEN g %% %s < 5 THEN g / %s WHEN g %% %s < 15 THEN g %% 37 ELSE (g * 7919) %% %s END,"
        "  100 + ((g * 37) %% 50) * 100, %s, 'card', 'paid', 'pm_bench_' || g,"
        "  %s - interval '1 day', %s - interval '1 day'"
        " FROM generate_series(0, %s - 1) g",
        [ids, n_campaigns, first_backer, n_campaigns, n_campaigns, n_campaigns, n_backers, civic.currency, now, now]
        + [n_pledges],
    )
    card = ledger.platform_account(AccountKind.CARD_NETWORK, civic)
    cur.execute(
        "INSERT INTO ledger_transaction (kind, key, campaign_id, memo, created_at)"
        " SELECT 'pledge_paid', 'pledge-' || id || '-paid', campaign_id, '', paid_at"
        " FROM pledges_pledge WHERE campaign_id = ANY(%s) ORDER BY id",
        [ids],
    )
    cur.execute(
        "INSERT INTO ledger_entry (transaction_id, account_id, amount, pledge_id)"
        " SELECT t.id, %s, -p.amount, p.id FROM pledges_pledge p"
        " JOIN ledger_transaction t ON t.key = 'pledge-' || p.id || '-paid' WHERE p.campaign_id = ANY(%s)",
        [card.pk, ids],
    )
    for c in campaigns:
        escrow = ledger.escrow_account(c)
        cur.execute(
            "INSERT INTO ledger_entry (transaction_id, account_id, amount, pledge_id)"
            " SELECT t.id, %s, p.amount, p.id FROM pledges_pledge p"
            " JOIN ledger_transaction t ON t.key = 'pledge-' || p.id || '-paid' WHERE p.campaign_id = %s",
            [escrow.pk, c.pk],
        )
    for table in ("auth_user", "pledges_pledge", "ledger_transaction", "ledger_entry", "ledger_account"):
        cur.execute(f"VACUUM ANALYZE {table}")
    with transaction.atomic():
        setup_problems = ledger_audit(now=now)
    assert not setup_problems, setup_problems
    log(f"   setup {time.perf_counter() - started:.1f}s")

    # --- timed: the round's close, with its parts timed inside ---
    parts: dict[str, float] = {}
    real_totals, real_shares, real_weight = rounds.backer_totals, rounds.quadratic_shares, rounds.campaign_weight

    def timed_totals(*a, **k):
        t = time.perf_counter()
        out = real_totals(*a, **k)
        parts["query"] = time.perf_counter() - t
        return out

    def timed_shares(*a, **k):
        t = time.perf_counter()
        out = real_shares(*a, **k)
        parts["shares"] = time.perf_counter() - t
        return out

    def timed_weight(*a, **k):
        t = time.perf_counter()
        out = real_weight(*a, **k)
        parts["weights"] = parts.get("weights", 0.0) + time.perf_counter() - t
        return out

    rounds.backer_totals, rounds.quadratic_shares, rounds.campaign_weight = timed_totals, timed_shares, timed_weight
    t0 = time.perf_counter()
    result = rounds.round_close(call=call, now=now)
    close_secs = time.perf_counter() - t0
    rounds.backer_totals, rounds.quadratic_shares, rounds.campaign_weight = real_totals, real_shares, real_weight

    # --- checks (not timed) ---
    problems: list[str] = []
    totals: defaultdict[tuple[int, int], int] = defaultdict(int)
    cur.execute("SELECT campaign_id, backer_id, amount FROM pledges_pledge WHERE status IN ('paid', 'secured')")
    for campaign_id, backer_id, amount in cur.fetchall():
        totals[campaign_id, backer_id] += amount
    per_campaign: defaultdict[int, list[int]] = defaultdict(list)
    for (campaign_id, _b), s in totals.items():
        per_campaign[campaign_id].append(s)
    expected = real_shares(10_000_000, {c: rounds.campaign_weight(per_campaign[c]) for c in ids}, CAP_PERCENT)
    if expected != result.matches:
        problems.append("shares differ from those recomputed pledge by pledge")
    booked = dict(Match.objects.filter(pot=pot).values_list("campaign_id", "amount"))
    if booked != {c: a for c, a in result.matches.items() if a > 0}:
        problems.append("matches booked differ from the shares")
    if max(result.matches.values()) > 10_000_000 * CAP_PERCENT // 100:
        problems.append("a campaign above the cap")
    pot.refresh_from_db()
    if pot.available != 10_000_000 - result.shared:
        problems.append(f"pot holds {pot.available}, expected {10_000_000 - result.shared}")
    with transaction.atomic():
        problems += ledger_audit(now=now)
    cap = 10_000_000 * CAP_PERCENT // 100
    out = {
        "campaigns": n_campaigns,
        "pledges": n_pledges,
        "pairs": len(totals),
        "close_secs": close_secs,
        "query_secs": parts.get("query", 0.0),
        "shares_secs": parts.get("shares", 0.0),
        "weights_secs": parts.get("weights", 0.0),
        "shared": result.shared,
        "left": result.left,
        "pot": 10_000_000,
        "capped": sum(1 for a in result.matches.values() if a == cap),
        "matched": sum(1 for a in result.matches.values() if a > 0),
        "problems": problems,
        "load": os.getloadavg()[1],
    }
    print(RESULT_PREFIX + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
