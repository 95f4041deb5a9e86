"""The checks behind /health/: the database answers, the broker takes a connection, and when the
close job and the payout job last ran."""

from __future__ import annotations

import os
import time
from typing import Any

from celery import current_app
from django.db import DatabaseError, connection

from .jobs import CLOSE_TASK, PAYOUT_TASK, job_state

BROKER_TIMEOUT_SECONDS = 2.0


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        check()
        ok = True
    except Exception:  # noqa: BLE001 - any failure means "not ok"; the log has no use for it here
        ok = False
    return {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _broker() -> None:
    options = current_app.conf.broker_transport_options or {}
    folder = options.get("data_folder_in")
    if folder:  # the embedded broker: its queue folder must be there and writable
        if not (os.path.isdir(folder) and os.access(folder, os.W_OK)):
            raise OSError(f"broker folder {folder} missing or read-only")
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)


def _job(task: str) -> dict[str, Any]:
    try:
        state = job_state(task)
    except DatabaseError:
        return {"task": task, "known": False}

    def iso(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "task": task,
        "interval_seconds": state.interval_seconds,
        "last_started_at": iso(state.last_started_at),
        "last_succeeded_at": iso(state.last_succeeded_at),
        "last_failed_at": iso(state.last_failed_at),
        "late": state.late,
    }


def health() -> tuple[dict[str, Any], bool]:
    """The report and whether the site can serve (database and broker up)."""
    database = _timed(_database)
    broker = _timed(_broker)
    jobs = {"close": _job(CLOSE_TASK), "payout": _job(PAYOUT_TASK)}
    serving = database["ok"] and broker["ok"]
    late = any(job.get("late", True) for job in jobs.values())
    status = "ok" if serving and not late else ("degraded" if serving else "failing")
    return {"status": status, "database": database, "broker": broker, "jobs": jobs}, serving
