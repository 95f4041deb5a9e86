"""Pledges and payouts move only along their one map of transitions (pledges.models.PLEDGE_TRANSITIONS,
payouts.models.PAYOUT_TRANSITIONS), each move through one service that records it in the history;
no other code writes their status (the scan below reads the code itself)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.errors import InvalidTransition
from funding.services import campaign_close
from payouts.models import Payout, PayoutKind, PayoutStatus
from payouts.services import payout_confirm, release_due_payouts
from pledges.models import Pledge, PledgeStatus, PledgeStatusChange
from pledges.services import pledge_cancel, pledge_create, pledge_move
from projects.models import CampaignStatus

from ..factories import CampaignFactory, TierFactory, UserFactory, wallet_top_up

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    "civicfund",
    "core",
    "ledger",
    "payments",
    "platforms",
    "projects",
    "pledges",
    "payouts",
    "funding",
    "web",
    "api",
]
# Where a status may be written, and of what: the one move service of each model with a map of
# transitions, and the rows whose status is the provider's word (payment attempts, disputes, the
# sandbox's books) or a review's outcome (final reports).
MOVES = {("pledges/services/moves.py", "pledge_move"), ("payouts/services.py", "payout_move")}
OTHER_ROWS = {
    ("projects/services.py", "campaign"),  # campaign_move, the campaigns' own map
    ("projects/reports.py", "report"),
    ("funding/services/reports.py", "report"),
    ("payments/services.py", "attempt"),
    ("payments/stripe_events.py", "dispute"),
    ("payouts/withdrawals.py", "withdrawal"),  # requested → paid, only by withdrawal_pay under its row lock
}
OTHER_UPDATES = ("PaymentAttempt.objects", "SandboxOperation.objects")
SQL_WRITERS = {"pledges/services/moves.py"}  # pledges_move: a failed campaign's chunks, set-based


def _status_writes(path: Path, rel: str = "") -> list[str]:
    """Every place in `path` that writes a `status` other than the allowed ones above."""
    rel = rel or path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text())
    owner: dict[ast.AST, str] = {}
    for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
        for node in ast.walk(func):
            owner[node] = func.name  # nested functions come later in the walk: the innermost wins
    found = []
    for node in ast.walk(tree):
        name = owner.get(node, "<module>")
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        for target in targets if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) else []:
            for attr in [a for a in ast.walk(target) if isinstance(a, ast.Attribute) and a.attr == "status"]:
                receiver = ast.unparse(attr.value)
                if (rel, name) not in MOVES and (rel, receiver) not in OTHER_ROWS:
                    found.append(f"{rel}:{node.lineno} {name}: {receiver}.status = ...")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            for kw in node.keywords:
                writes = (
                    (kw.arg == "status" and node.func.attr == "update")
                    or (kw.arg == "update_fields" or (kw.arg == "fields" and node.func.attr == "bulk_update"))
                    and "status" in ast.unparse(kw.value)
                )
                allowed = (rel, name) in MOVES or receiver.startswith(OTHER_UPDATES) or (rel, receiver) in OTHER_ROWS
                if writes and not allowed:
                    found.append(f"{rel}:{node.lineno} {name}: {ast.unparse(node)[:80]}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.split()).lower()
            if ("set status" in sql or sql.startswith("status = %s")) and rel not in SQL_WRITERS:
                found.append(f"{rel}:{node.lineno} {name}: SQL writes a status")
    return found


def test_no_code_writes_a_pledge_or_payout_status_but_their_move_services():
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    assert len(files) > 50
    writes = [write for path in files for write in _status_writes(path)]
    assert writes == [], "status written outside the move services:\n" + "\n".join(writes)


def test_the_scan_sees_a_status_written_by_hand(tmp_path):
    """The scan is not blind: a pledge's status set directly, a queryset update or raw SQL is caught."""
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text(
        "def f(pledge, qs, cursor):\n"
        "    pledge.status = 'paid'\n"
        "    qs.update(status='paid')\n"
        "    cursor.execute('UPDATE pledges_pledge SET status = %s')\n"
    )
    assert len(_status_writes(sneaky, "pledges/services/sneaky.py")) == 3


@pytest.mark.django_db
def test_a_move_the_map_does_not_allow_is_refused_and_writes_nothing(pledge):
    campaign = CampaignFactory(slug="presale", goal=10_000)
    paid = pledge(campaign, UserFactory(), 5_000)
    refunded = Pledge.objects.filter(pk=paid.pk).get()
    refunded.status = PledgeStatus.REFUNDED  # in memory only, as a pledge read from an old page would be
    with pytest.raises(InvalidTransition):
        pledge_move(refunded, PledgeStatus.PAID)
    paid.refresh_from_db()
    assert paid.status == PledgeStatus.PAID
    assert not PledgeStatusChange.objects.filter(pledge=paid, to_status=PledgeStatus.PAID, from_status="refunded")


@pytest.mark.django_db
def test_every_move_of_a_pledge_is_in_its_history(pledge, run_on_commit):
    campaign = CampaignFactory(slug="presale", goal=10_000)
    backer = UserFactory()
    paid = pledge(campaign, backer, 5_000)
    with run_on_commit():  # the card's refund is a task queued after the commit (run at once here)
        pledge_cancel(pledge_id=paid.pk, backer=backer)
    paid.refresh_from_db()
    moves = list(paid.status_changes.values_list("from_status", "to_status"))
    assert paid.status == PledgeStatus.REFUNDED
    assert moves == [("pending", "paid"), ("paid", "refunding"), ("refunding", "refunded")]


@pytest.mark.django_db
def test_a_failed_campaigns_wallet_refunds_are_each_in_their_pledges_history(run_on_commit):
    campaign = CampaignFactory(slug="charity", goal=10_000_000)
    backers = [UserFactory() for _ in range(3)]
    for backer in backers:
        wallet_top_up(backer, currency="IRR", amount=50_000)
    pledges = [pledge_create(campaign_id=campaign.pk, backer=b, amount=20_000, source="wallet") for b in backers]
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == CampaignStatus.REFUNDING
    history = PledgeStatusChange.objects.filter(pledge__in=pledges)
    assert sorted(history.values_list("pledge_id", "from_status", "to_status")) == sorted(
        (p.pk, "paid", "refunded") for p in pledges
    )


@pytest.mark.django_db
def test_a_payouts_moves_are_recorded_with_who_made_them(admin_user, pledge, run_on_commit):
    campaign = CampaignFactory(slug="arts", goal=10_000)
    tier = TierFactory(campaign=campaign, amount=10_000)
    pledge(campaign, UserFactory(), 10_000, tier=tier)
    with run_on_commit():
        campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    release_due_payouts(now=campaign.deadline.replace(year=campaign.deadline.year + 1))
    payout_confirm(payout_id=first.pk, reference="BANK-1", actor=admin_user)
    first.refresh_from_db()
    changes = list(first.status_changes.values_list("from_status", "to_status", "actor"))
    assert first.status == PayoutStatus.PAID
    assert changes == [("scheduled", "processing", None), ("processing", "paid", admin_user.pk)]
