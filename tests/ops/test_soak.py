"""A short run of bench/soak_broker.py: hundreds of tasks published by several processes through the
embedded broker while the worker and its beat run; every task is done and the worker never stops."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)


def test_hundreds_of_tasks_from_several_processes_are_all_done_and_the_worker_never_stops():
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civicfund.settings.test",
            "CIVICFUND_USE_TEST_DATABASE": "1",
            "CIVICFUND_TEST_DATABASE_NAME": str(connection.settings_dict["NAME"]),
        }
    )
    run = subprocess.run(
        [sys.executable, "bench/soak_broker.py", "--tasks", "300", "--publishers", "3", "--timeout", "240"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    assert "done: 300" in run.stdout
    assert "worker_alive: True" in run.stdout
    assert "fatal_lines: []" in run.stdout
