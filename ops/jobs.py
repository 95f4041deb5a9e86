"""When each scheduled job last ran: Celery's task signals write one JobRun row per task of the beat
schedule (settings.CELERY_BEAT_SCHEDULE), so no job needs to know it is watched."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from celery import signals
from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from .models import JobRun

log = logging.getLogger(__name__)

CLOSE_TASK = "projects.tasks.close_due_campaigns"
PAYOUT_TASK = "payouts.tasks.release_due_payouts"
# The close job is late when it has not succeeded for this many of its intervals.
LATE_AFTER_INTERVALS = 3


def scheduled_tasks() -> dict[str, float]:
    """Each task of the beat schedule and its interval in seconds."""
    found: dict[str, float] = {}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        schedule = entry["schedule"]
        seconds = schedule.total_seconds() if isinstance(schedule, dt.timedelta) else float(schedule)
        found[entry["task"]] = min(seconds, found.get(entry["task"], seconds))
    return found


def _record(task_name: str | None, **fields: Any) -> None:
    if task_name not in scheduled_tasks():
        return
    try:
        updated = JobRun.objects.filter(task=task_name).update(**fields)
        if not updated:
            JobRun.objects.get_or_create(task=task_name)
            JobRun.objects.filter(task=task_name).update(**fields)
    except DatabaseError:
        # A record of the job must never fail the job (e.g. a test database torn down).
        log.warning("Could not record a run of %s", task_name, exc_info=True)


@signals.task_prerun.connect(dispatch_uid="ops.jobs.started")
def _started(sender: Any = None, **kwargs: Any) -> None:
    _record(getattr(sender, "name", None), last_started_at=timezone.now(), runs=F("runs") + 1)


@signals.task_success.connect(dispatch_uid="ops.jobs.succeeded")
def _succeeded(sender: Any = None, **kwargs: Any) -> None:
    _record(getattr(sender, "name", None), last_succeeded_at=timezone.now())


@signals.task_failure.connect(dispatch_uid="ops.jobs.failed")
def _failed(sender: Any = None, exception: BaseException | None = None, **kwargs: Any) -> None:
    _record(getattr(sender, "name", None), last_failed_at=timezone.now(), last_error=repr(exception)[:2000])


@dataclass(frozen=True)
class JobState:
    task: str
    interval_seconds: float
    last_started_at: dt.datetime | None
    last_succeeded_at: dt.datetime | None
    last_failed_at: dt.datetime | None
    late: bool


def job_state(task: str, now: dt.datetime | None = None) -> JobState:
    """What is known of `task`'s last runs; late when it has not succeeded for LATE_AFTER_INTERVALS
    of its intervals (or never)."""
    now = now or timezone.now()
    interval = scheduled_tasks().get(task, 0.0)
    row = JobRun.objects.filter(task=task).first()
    succeeded = row.last_succeeded_at if row else None
    late = succeeded is None or (now - succeeded).total_seconds() > LATE_AFTER_INTERVALS * interval
    return JobState(
        task=task,
        interval_seconds=interval,
        last_started_at=row.last_started_at if row else None,
        last_succeeded_at=succeeded,
        last_failed_at=row.last_failed_at if row else None,
        late=late,
    )
