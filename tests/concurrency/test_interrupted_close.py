"""A worker dies in the middle of a close or of a refund chunk: its transaction is rolled back whole,
and the next `close_due_campaigns()` (the beat task) and the tasks it starts finish the job once."""

import datetime as dt
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from funding import tasks as funding_tasks
from funding.audit import ledger_audit
from funding.services import campaign_close, campaign_refund_chunk, close_due_campaigns
from funding.services import refunds as refund_services
from funding.services import settle as settle_services
from ledger import services as ledger
from ledger.models import Entry, Transaction, TransactionKind
from ledger.selectors import wallet_balance
from payouts.models import Payout
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create
from projects.models import Campaign, CampaignStatus, CampaignStatusChange

from .support import GOOD_CARD, backers_make, books_snapshot, campaign_live

pytestmark = [pytest.mark.django_db(transaction=True)]

S = CampaignStatus
ROOT = Path(settings.BASE_DIR)
AMOUNTS = [10_000 + 1_000 * i for i in range(10)]


class WorkerKilled(Exception):
    pass


def _failed_charity_campaign(monkeypatch):
    """A closed, failed charity campaign whose refunds have not started yet."""
    campaign = campaign_live("charity", goal=10**12, deadline_in=dt.timedelta(seconds=30))
    backers = backers_make(len(AMOUNTS))
    for backer, amount in zip(backers, AMOUNTS, strict=True):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=GOOD_CARD)
    with monkeypatch.context() as m:  # the close's refund task is held back
        m.setattr(funding_tasks.refund_campaign, "delay", lambda cid: None)
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline + dt.timedelta(seconds=1)) == S.REFUNDING
    return campaign, backers


def _refunded_ids(campaign) -> set[int]:
    return set(Pledge.objects.filter(campaign=campaign, status=PledgeStatus.REFUNDED).values_list("pk", flat=True))


def _refund_entry_ids(campaign) -> set[int]:
    return set(
        Entry.objects.filter(
            transaction__kind=TransactionKind.REFUND, amount__gt=0, transaction__campaign=campaign
        ).values_list("pledge_id", flat=True)
    )


def _assert_partly_refunded(campaign, backers, first_chunk: int):
    """Exactly the committed first chunk is refunded, each pledge with its ledger entry."""
    first_ids = set(Pledge.objects.filter(campaign=campaign).order_by("id").values_list("pk", flat=True)[:first_chunk])
    assert _refunded_ids(campaign) == first_ids
    assert _refund_entry_ids(campaign) == first_ids
    assert Campaign.objects.get(pk=campaign.pk).status == S.REFUNDING
    assert ledger_audit() == []
    for backer, amount in zip(backers, AMOUNTS, strict=True):
        pledge = Pledge.objects.get(campaign=campaign, backer=backer)
        expected = amount if pledge.pk in first_ids else 0
        assert wallet_balance(backer, campaign.currency) == expected


def _assert_resumed_exactly_once(campaign, backers):
    # The next beat, once the refunds have stood still (the campaign was closed a second after its
    # deadline, which may still be ahead of the clock). Its refund task runs eagerly here.
    campaign.refresh_from_db()
    later = max(timezone.now(), campaign.closed_at) + dt.timedelta(seconds=settings.CIVICFUND_RESUME_AFTER_SECONDS + 1)
    counts = close_due_campaigns(now=later)
    assert counts == {"closed": 0, "resumed": 1}
    campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    pledge_ids = set(Pledge.objects.filter(campaign=campaign).values_list("pk", flat=True))
    assert _refunded_ids(campaign) == pledge_ids
    refunds = Entry.objects.filter(
        transaction__kind=TransactionKind.REFUND, amount__gt=0, transaction__campaign=campaign
    )
    assert refunds.count() == len(AMOUNTS)
    assert refunds.aggregate(t=Sum("amount"))["t"] == sum(AMOUNTS)
    for backer, amount in zip(backers, AMOUNTS, strict=True):
        assert wallet_balance(backer, campaign.currency) == amount
    assert ledger.balance(ledger.escrow_account(campaign)) == 0
    assert CampaignStatusChange.objects.filter(campaign=campaign, to_status=S.REFUNDED).count() == 1
    assert ledger_audit() == []

    before = books_snapshot()
    assert close_due_campaigns(now=later + dt.timedelta(minutes=5)) == {"closed": 0, "resumed": 0}
    assert books_snapshot() == before


def test_a_refund_chunk_that_dies_after_its_statements_is_rolled_back_whole(presets, monkeypatch):
    campaign, backers = _failed_charity_campaign(monkeypatch)
    record = refund_services._wallet_refunds_record
    calls = []

    def dies_on_second_chunk(campaign, rows):
        record(campaign, rows)  # every statement of the chunk has run ...
        calls.append(len(rows))
        if len(calls) == 2:
            raise WorkerKilled("worker lost before the commit")  # ... but it never commits

    with monkeypatch.context() as m:
        m.setattr(refund_services, "_wallet_refunds_record", dies_on_second_chunk)
        assert campaign_refund_chunk(campaign_id=campaign.pk, size=4) == 4
        with pytest.raises(WorkerKilled):
            campaign_refund_chunk(campaign_id=campaign.pk, size=4)
    assert calls == [4, 4]
    assert Transaction.objects.filter(campaign=campaign, kind=TransactionKind.REFUND).count() == 1
    _assert_partly_refunded(campaign, backers, first_chunk=4)
    _assert_resumed_exactly_once(campaign, backers)


def test_a_close_that_dies_before_its_commit_leaves_the_campaign_live_for_the_next_run(presets, monkeypatch):
    campaign = campaign_live(
        "presale", goal=30_000, funding_model="all_or_nothing", deadline_in=dt.timedelta(seconds=30)
    )
    for backer, amount in zip(backers_make(2), [20_000, 20_000], strict=True):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=GOOD_CARD)
    settle = settle_services.campaign_split

    def dies_after_settling(campaign, *, collected):
        settle(campaign, collected=collected)  # fee, hold and payouts written ...
        raise WorkerKilled("worker lost before the commit")  # ... and lost with the transaction

    after_deadline = campaign.deadline + dt.timedelta(seconds=1)
    before = books_snapshot()
    with monkeypatch.context() as m:
        m.setattr(settle_services, "campaign_split", dies_after_settling)
        with pytest.raises(WorkerKilled):
            close_due_campaigns(now=after_deadline)
    campaign.refresh_from_db()
    assert campaign.status == S.LIVE
    assert campaign.closed_at is campaign.raised_at_close is campaign.collected is None
    assert books_snapshot() == before

    assert close_due_campaigns(now=after_deadline) == {"closed": 1, "resumed": 0}
    campaign.refresh_from_db()
    assert campaign.status == S.SUCCEEDED
    assert (campaign.collected, campaign.fee_amount, campaign.first_payout_amount, campaign.held_amount) == (
        40_000,
        2_000,
        34_200,
        3_800,
    )
    assert (
        Transaction.objects.filter(campaign=campaign, kind__in=[TransactionKind.FEE, TransactionKind.HOLD]).count() == 2
    )
    assert Payout.objects.filter(campaign=campaign).count() == 2
    assert CampaignStatusChange.objects.filter(campaign=campaign, from_status=S.LIVE).count() == 1
    assert ledger_audit() == []
    done = books_snapshot()
    assert close_due_campaigns(now=after_deadline + dt.timedelta(minutes=1)) == {"closed": 0, "resumed": 0}
    assert books_snapshot() == done


# A real process, killed with SIGKILL while its refund chunk's transaction is open.
KILLED_WORKER = r"""
import sys, time
import django
django.setup()
from django.db import connection
from funding.services import refunds as services

record = services._wallet_refunds_record
chunks = []

def stalls_on_second_chunk(campaign, rows):
    record(campaign, rows)
    chunks.append(len(rows))
    if len(chunks) == 2:
        backend = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend = cursor.fetchone()[0]
        print(f"WROTE {len(rows)} {backend}", flush=True)
        time.sleep(120)  # killed here, inside the open transaction

services._wallet_refunds_record = stalls_on_second_chunk
campaign_id, size = int(sys.argv[1]), int(sys.argv[2])
print("CHUNK", services.campaign_refund_chunk(campaign_id=campaign_id, size=size), flush=True)
services.campaign_refund_chunk(campaign_id=campaign_id, size=size)
print("NOT KILLED", flush=True)
"""


def _worker_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civicfund.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "CIVICFUND_USE_TEST_DATABASE": "1",
            "CIVICFUND_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        }
    )
    return env


def _read_line(proc: subprocess.Popen, timeout: float) -> str:
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    return proc.stdout.readline() if ready else ""


def _wait_backend_gone(pid: int, timeout: float = 15) -> None:
    stop = time.monotonic() + timeout
    while time.monotonic() < stop:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"the killed worker's PostgreSQL backend {pid} is still there")


def test_a_worker_process_killed_inside_a_refund_chunk_commits_none_of_it(presets, monkeypatch):
    campaign, backers = _failed_charity_campaign(monkeypatch)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, str(campaign.pk), "4"],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        first = _read_line(proc, 60)
        wrote = _read_line(proc, 60) if first.startswith("CHUNK") else ""
        if not wrote.startswith("WROTE"):
            proc.kill()
            out, err = proc.communicate(timeout=10)
            pytest.fail(
                f"worker did not reach the second chunk (exit {proc.returncode}): {first!r} {wrote!r}\n{out}\n{err}"
            )
        # The chunk's rows are written but uncommitted: nobody else sees them.
        assert len(_refunded_ids(campaign)) == 4
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    backend = wrote.split()[2]
    if backend != "None":
        _wait_backend_gone(int(backend))  # PostgreSQL has rolled it back and freed its row locks

    assert Transaction.objects.filter(campaign=campaign, kind=TransactionKind.REFUND).count() == 1
    _assert_partly_refunded(campaign, backers, first_chunk=4)
    _assert_resumed_exactly_once(campaign, backers)


# A real refund task whose chunk refunded the last pledges and committed, killed with SIGKILL as it
# queues the next chunk: the one that would find nothing left and mark the campaign refunded.
KILLED_AFTER_LAST_CHUNK = r"""
import sys, time
import django
django.setup()
from funding import tasks

def killed_while_queueing(*args):
    print("QUEUEING", flush=True)
    time.sleep(120)  # killed here: the chunk has committed, the next one is never queued

tasks.refund_campaign.delay = killed_while_queueing
tasks.refund_campaign(int(sys.argv[1]))
print("NOT KILLED", flush=True)
"""


def test_a_refund_task_killed_after_its_last_chunk_leaves_a_campaign_the_next_close_run_finishes(presets, monkeypatch):
    campaign, backers = _failed_charity_campaign(monkeypatch)
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_AFTER_LAST_CHUNK, str(campaign.pk)],
        cwd=ROOT,
        env=_worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        line = _read_line(proc, 60)
        if not line.startswith("QUEUEING"):
            proc.kill()
            out, err = proc.communicate(timeout=10)
            pytest.fail(f"worker did not reach the next chunk: {line!r}\n{out}\n{err}")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    # Every backer has their money back; only the campaign's last step is missing.
    assert _refunded_ids(campaign) == set(Pledge.objects.filter(campaign=campaign).values_list("pk", flat=True))
    assert Campaign.objects.get(pk=campaign.pk).status == S.REFUNDING

    campaign.refresh_from_db()
    later = max(timezone.now(), campaign.closed_at) + dt.timedelta(seconds=1)
    assert close_due_campaigns(now=later) == {"closed": 0, "resumed": 1}
    campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    assert CampaignStatusChange.objects.filter(campaign=campaign, to_status=S.REFUNDED).count() == 1
    assert _refund_entry_ids(campaign) == _refunded_ids(campaign)
    for backer, amount in zip(backers, AMOUNTS, strict=True):
        assert wallet_balance(backer, campaign.currency) == amount
    assert ledger.balance(ledger.escrow_account(campaign)) == 0
    assert ledger_audit(now=later + dt.timedelta(hours=1)) == []
    before = books_snapshot()
    assert close_due_campaigns(now=later + dt.timedelta(minutes=5)) == {"closed": 0, "resumed": 0}
    assert books_snapshot() == before
