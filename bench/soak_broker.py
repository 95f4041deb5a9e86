"""Soak test of the embedded broker (local mode, no REDIS_URL): not a timed test.

    .venv/bin/python bench/soak_broker.py [--tasks 3000] [--publishers 4] [--timeout 900]

Starts what ./run starts (a Celery worker with its embedded beat, on the `civicfs://` broker in a
temporary folder, the beat's close and outbox jobs every second), and --publishers processes that each
publish their share of --tasks `civicfund.tasks.send_outbox` tasks (what every commit that writes an
e-mail publishes) as fast as they can, one in ten through a brand-new connection (which declares and
binds the queue again, rewriting the exchange table). It then waits until the worker's log says every
published task succeeded and checks that the worker never stopped and logged no CRITICAL or
"Unrecoverable error". Exit status 0 when all of that holds, 1 otherwise.

The worker uses the database of the current settings (DATABASE_URL, or SQLite's db.sqlite3): run
`manage.py migrate` first. tests/ops/test_soak.py runs a short version (a few hundred tasks) on the
test database.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASK = "civicfund.tasks.send_outbox"
SUCCEEDED = re.compile(r"Task civicfund\.tasks\.send_outbox\[([0-9a-f-]{36})\] succeeded")
FATAL = ("Unrecoverable error", "CRITICAL")


def _env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # the embedded broker, whatever the shell says
    env.update(
        {
            "CIVICFUND_BROKER_DIR": str(workdir / "broker" / "queue"),
            "CIVICFUND_BEAT_FILE": str(workdir / "beat" / "celerybeat-schedule"),
            "CIVICFUND_CLOSE_INTERVAL": "1",
            "CIVICFUND_OUTBOX_INTERVAL": "1",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def worker_start(workdir: Path, log_path: Path, concurrency: int = 2) -> subprocess.Popen:
    """The worker and its beat as ./run starts them in local mode."""
    celery = Path(sys.executable).parent / "celery"
    args = [str(celery), "-A", "civicfund", "worker", "-B", "-s", str(workdir / "beat" / "celerybeat-schedule")]
    args += ["--without-mingle", "--without-gossip", f"--concurrency={concurrency}", "-l", "info"]
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=_env(workdir),
        stdout=open(log_path, "w"),  # noqa: SIM115 - the child keeps it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def worker_stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the beat or a pool process that outlived it
    except ProcessLookupError:
        pass


def publish(count: int, out: Path) -> None:
    """One publisher process (a web process): `count` tasks, their ids written to `out`."""
    sys.path.insert(0, str(ROOT))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civicfund.settings.local")
    django.setup()
    from celery import current_app

    ids = []
    for i in range(count):
        if i % 10 == 0:
            with current_app.connection_for_write() as conn:  # a new connection declares and binds again
                ids.append(current_app.send_task(TASK, connection=conn).id)
        else:
            ids.append(current_app.send_task(TASK).id)
    out.write_text("\n".join(ids) + "\n")


def soak(tasks: int, publishers: int, timeout: float, workdir: Path) -> dict:
    log_path = workdir / "worker.log"
    worker = worker_start(workdir, log_path)
    started = time.monotonic()
    result: dict = {"tasks": tasks, "publishers": publishers}
    try:
        time.sleep(3)  # the worker binds its queue first, as under ./run
        share = [tasks // publishers + (1 if p < tasks % publishers else 0) for p in range(publishers)]
        outs = [workdir / f"published-{p}.txt" for p in range(publishers)]
        procs = [
            subprocess.Popen(
                [sys.executable, __file__, "--publish", str(n), "--out", str(out)], cwd=ROOT, env=_env(workdir)
            )
            for n, out in zip(share, outs, strict=True)
        ]
        published_ok = all(p.wait(timeout=timeout) == 0 for p in procs)
        published = {line for out in outs if out.exists() for line in out.read_text().split()}
        result["published"] = len(published)
        result["publish_seconds"] = round(time.monotonic() - started, 1)
        done: set[str] = set()
        while time.monotonic() - started < timeout and worker.poll() is None:
            done = set(SUCCEEDED.findall(log_path.read_text(errors="replace")))
            if published <= done:
                break
            time.sleep(1)
        log = log_path.read_text(errors="replace")
        result["done"] = len(published & done)
        result["seconds"] = round(time.monotonic() - started, 1)
        result["worker_alive"] = worker.poll() is None
        result["fatal_lines"] = [line for line in log.splitlines() if any(f in line for f in FATAL)]
        result["beat_jobs_sent"] = log.count("Scheduler: Sending due task")
        result["ok"] = (
            published_ok
            and len(published) == tasks
            and published <= done
            and result["worker_alive"]
            and not result["fatal_lines"]
        )
        if not result["ok"]:
            result["log_tail"] = "\n".join(log.splitlines()[-40:])
    finally:
        worker_stop(worker)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=3000)
    parser.add_argument("--publishers", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--publish", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.publish is not None:
        publish(args.publish, args.out)
        return 0
    with tempfile.TemporaryDirectory(prefix="civicfund-soak-") as tmp:
        result = soak(args.tasks, args.publishers, args.timeout, Path(tmp))
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
