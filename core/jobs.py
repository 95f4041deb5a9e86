"""Queueing Celery tasks from services by their public names.

Tasks import the services they call; services queue tasks after their transaction commits. Were the
services to import the tasks modules too, every app would have a tasks ↔ services import circle.
Instead a service names the task (`later("pledges.tasks.refund_pledge", pledge_id)`): the same names
the beat schedule and the queued messages already use, so they never change (the tasks declare them
explicitly). Each app's AppConfig.ready() imports its tasks module, so every name is registered before
anything runs; an unknown name raises at once (tests run every path that queues)."""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def task(name: str) -> Any:
    """The registered Celery task called `name` (KeyError if no module declared it)."""
    try:
        return current_app.tasks[name]
    except KeyError:
        raise KeyError(f"No Celery task named {name!r}") from None


def later(name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue task `name` with `args` once the current transaction commits (at once outside one)."""
    job = task(name)  # fail now, inside the caller's transaction, on a wrong name
    if countdown is None:
        transaction.on_commit(lambda: job.delay(*args))
    else:
        transaction.on_commit(lambda: job.apply_async(args, countdown=countdown))


def now(name: str, *args: Any) -> Any:
    """Queue task `name` now, whatever the transaction (a job that needs no commit to act on)."""
    return task(name).delay(*args)
