"""A real Celery worker with its embedded beat closes due campaigns with nobody running a command.

The worker is a subprocess on the test database (CIVICFUND_USE_TEST_DATABASE=1) and the test's broker:
Redis when REDIS_URL is set (CI), else the filesystem broker in a temporary folder.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from funding.audit import ledger_audit
from ledger import services as ledger
from ledger.models import Transaction, TransactionKind
from ledger.selectors import wallet_balance
from payouts.models import Payout, PayoutKind, PayoutStatus
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create
from projects.models import Campaign, CampaignStatus, CampaignStatusChange
from tests.concurrency.support import GOOD_CARD, backers_make, campaign_live

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

S = CampaignStatus
ROOT = Path(settings.BASE_DIR)
POLL_SECONDS = 60
DEADLINE_IN = dt.timedelta(seconds=4)


def _worker_env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civicfund.settings.test",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CIVICFUND_USE_TEST_DATABASE": "1",
            "CIVICFUND_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
            "CIVICFUND_CLOSE_INTERVAL": "1",
            "CIVICFUND_BEAT_FILE": str(tmp_path / "beat" / "celerybeat-schedule"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    if not os.environ.get("REDIS_URL"):
        env["CIVICFUND_BROKER_DIR"] = str(tmp_path / "broker" / "queue")
    return env


class Worker:
    def __init__(self, tmp_path: Path):
        self.log_path = tmp_path / "worker.log"
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        celery = Path(sys.executable).parent / "celery"
        args = [
            str(celery),
            "-A",
            "civicfund",
            "worker",
            "-B",
            "-s",
            str(tmp_path / "beat" / "celerybeat-schedule"),
            "--concurrency=1",
            "-l",
            "info",
            "-n",
            f"civicfund-test-{uuid.uuid4().hex[:8]}@%h",
        ]
        if os.environ.get("REDIS_URL"):
            args.append("--purge")  # messages left in this Redis database by an earlier run
        self.proc = subprocess.Popen(
            args, cwd=ROOT, env=_worker_env(tmp_path), stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def output(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Warm shutdown of the worker and its beat (its own process group), then kill."""
        try:
            if self.alive():
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=10)
            try:  # children (the beat, a pool process) that outlived the main process
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        finally:
            self.log.close()


def _pledges(campaign, amounts):
    backers = backers_make(len(amounts))
    for backer, amount in zip(backers, amounts, strict=True):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=GOOD_CARD)
    return backers


def _finished(failed_id: int, succeeded_id: int) -> bool:
    failed = Campaign.objects.get(pk=failed_id)
    succeeded = Campaign.objects.get(pk=succeeded_id)
    return failed.status == S.REFUNDED and succeeded.collected is not None


def test_the_worker_and_its_beat_close_due_campaigns_refund_and_split_them_unattended(presets, tmp_path):
    # A charity campaign (wallet refunds) far below its goal, and a pre-sale that reaches it.
    failing = campaign_live("charity", goal=10**9, deadline_in=DEADLINE_IN)
    backers = _pledges(failing, [10_000, 25_000, 31_000])
    succeeding = campaign_live("presale", goal=100_000, funding_model="all_or_nothing", deadline_in=DEADLINE_IN)
    _pledges(succeeding, [40_000, 50_000, 33_457])
    assert Campaign.objects.filter(status=S.LIVE).count() == 2

    worker = Worker(tmp_path)
    try:
        # Both deadlines are still ahead while the worker starts: the close is the beat's doing.
        assert not Campaign.objects.exclude(status=S.LIVE).filter(pk__in=[failing.pk, succeeding.pk])
        stop_at = time.monotonic() + POLL_SECONDS
        while time.monotonic() < stop_at and worker.alive():
            if _finished(failing.pk, succeeding.pk):
                break
            time.sleep(0.5)
        if not _finished(failing.pk, succeeding.pk):
            state = {c.pk: (c.status, c.collected) for c in Campaign.objects.all()}
            pytest.fail(
                f"not closed within {POLL_SECONDS}s (worker alive: {worker.alive()}, "
                f"campaigns: {state})\n--- worker log ---\n{worker.output()}"
            )
    finally:
        worker.stop()

    try:
        _check_refunded(failing, backers)
        _check_split(succeeding)
        assert ledger_audit() == []
    except AssertionError:
        print(f"--- worker log ---\n{worker.output()}")
        raise


def _check_refunded(campaign, backers):
    campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    assert campaign.raised_at_close == 66_000
    assert list(CampaignStatusChange.objects.filter(campaign=campaign).values_list("to_status", flat=True))[-3:] == [
        S.FAILED,
        S.REFUNDING,
        S.REFUNDED,
    ]
    assert set(Pledge.objects.filter(campaign=campaign).values_list("status", flat=True)) == {PledgeStatus.REFUNDED}
    for backer, amount in zip(backers, [10_000, 25_000, 31_000], strict=True):
        assert wallet_balance(backer, campaign.currency) == amount
    assert ledger.balance(ledger.escrow_account(campaign)) == 0


def _check_split(campaign):
    campaign.refresh_from_db()
    assert campaign.status == S.SUCCEEDED
    assert campaign.raised_at_close == campaign.collected == 123_457
    # 5% fee rounded down, 90% of the rest rounded down, the held part the remainder.
    assert (campaign.fee_amount, campaign.first_payout_amount, campaign.held_amount) == (6_172, 105_556, 11_729)
    assert campaign.first_payout_due is not None
    assert campaign.first_payout_due > campaign.closed_at.date()
    txns = Transaction.objects.filter(campaign=campaign)
    assert txns.filter(kind=TransactionKind.FEE).count() == 1
    assert txns.filter(kind=TransactionKind.HOLD).count() == 1
    payouts = Payout.objects.filter(campaign=campaign)
    assert payouts.count() == 2
    first = payouts.get(kind=PayoutKind.FIRST)
    assert (first.status, first.amount, first.due_on) == (PayoutStatus.SCHEDULED, 105_556, campaign.first_payout_due)
    held = payouts.get(kind=PayoutKind.HELD)
    assert (held.status, held.amount) == (PayoutStatus.WAITING, 11_729)
