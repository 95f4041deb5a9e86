"""./run in local mode: a dead worker is said on its console and restarted, and every e-mail (the
worker's too) is printed on that console.

./run runs here on the test database (CIVICFUND_RUN_SETUP=0: no migrate, collectstatic or demo
data), with the embedded broker in a temporary folder and a free port."""

import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.models import OutboxMail
from pledges.services import pledge_create
from tests.concurrency.support import GOOD_CARD, backers_make, campaign_live, presets_ensure
from tests.factories import mail_clear

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)
WAIT_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Run:
    def __init__(self, tmp_path: Path):
        env = dict(os.environ)
        env.pop("REDIS_URL", None)
        env.pop("CIVICFUND_MAIL_CONSOLE", None)
        env.update(
            {
                "CIVICFUND_RUN_SETUP": "0",
                "DJANGO_SETTINGS_MODULE": "civicfund.settings.test",
                "CELERY_TASK_ALWAYS_EAGER": "0",
                "CIVICFUND_USE_TEST_DATABASE": "1",
                "CIVICFUND_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
                "CIVICFUND_BROKER_DIR": str(tmp_path / "broker" / "queue"),
                "CIVICFUND_BEAT_FILE": str(tmp_path / "beat" / "celerybeat-schedule"),
                "CIVICFUND_OUTBOX_INTERVAL": "1",
                "CIVICFUND_WATCHDOG_SECONDS": "0.5",
                # The test settings' locmem backend would keep the worker's e-mails in its memory.
                "EMAIL_BACKEND": "civicfund.mail.ConsoleEmailBackend",
                "CIVICFUND_WORKER_LOG": str(tmp_path / "celery.log"),
                "PORT": str(_free_port()),
                "PYTHONUNBUFFERED": "1",
            }
        )
        self.out_path = tmp_path / "run.out"
        self.out = open(self.out_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            ["./run"], cwd=ROOT, env=env, stdout=self.out, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self) -> str:
        return self.out_path.read_text(errors="replace")

    def wait_for(self, pattern: str) -> re.Match:
        stop_at = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < stop_at and self.proc.poll() is None:
            found = re.search(pattern, self.output())
            if found:
                return found
            time.sleep(0.3)
        pytest.fail(f"./run never printed {pattern!r}:\n{self.output()}")

    def stop(self) -> None:
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(timeout=40)
                except subprocess.TimeoutExpired:
                    pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        finally:
            self.out.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_killed_worker_is_reported_on_the_console_and_restarted_and_its_emails_are_printed_there(tmp_path):
    presets_ensure()
    campaign = campaign_live("charity", goal=10**9)
    (backer,) = backers_make(1)
    backer.email = "backer@example.org"
    backer.save()
    pledge = pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, card=GOOD_CARD)
    mail_clear()  # the test process sent the receipt itself (eager tasks): queue it again for the worker
    run = Run(tmp_path)
    try:
        first = int(run.wait_for(r"Celery worker \+ beat, pid (\d+)").group(1))
        os.kill(first, signal.SIGKILL)

        run.wait_for(rf"The Celery worker \(pid {first}\) stopped")
        second = int(run.wait_for(r"Restarted the Celery worker and its beat \(pid (\d+)").group(1))
        assert second != first and _alive(second)

        # The restarted worker's beat sends the outbox; its e-mail shows on ./run's console.
        OutboxMail.objects.create(kind="pledge_receipt", ids={"pledge_id": pledge.pk})
        run.wait_for(r"To: backer@example\.org")
        assert f"/pledges/{pledge.pk}/" in run.output()
    finally:
        run.stop()
