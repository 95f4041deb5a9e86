"""/health/ says whether the database and the broker answer and when the close job and the payout job
last ran; the admin's front page warns when the close job has not run for several intervals."""

import datetime as dt

import pytest
from celery import current_app
from django.contrib.sessions.models import Session
from django.utils import timezone
from kombu import Connection

from core.jobs import task
from ops.jobs import CLOSE_TASK, PAYOUT_TASK
from ops.models import JobRun
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_health_reports_database_broker_and_the_last_runs_of_the_close_and_payout_jobs(client):
    task(CLOSE_TASK).delay()
    task(PAYOUT_TASK).delay()

    response = client.get("/health/")

    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"]["ok"] and report["broker"]["ok"]
    for job, name in (("close", CLOSE_TASK), ("payout", PAYOUT_TASK)):
        assert report["jobs"][job]["task"] == name
        assert report["jobs"][job]["last_succeeded_at"] is not None
        assert report["jobs"][job]["late"] is False


def test_a_close_job_that_has_not_run_for_several_intervals_makes_health_degraded(client):
    long_ago = timezone.now() - dt.timedelta(hours=1)
    JobRun.objects.create(task=CLOSE_TASK, last_started_at=long_ago, last_succeeded_at=long_ago)
    task(PAYOUT_TASK).delay()

    report = client.get("/health/").json()

    assert report["status"] == "degraded"
    assert report["jobs"]["close"]["late"] is True
    assert report["jobs"]["payout"]["late"] is False


def test_a_broker_that_does_not_answer_makes_health_fail_with_503(client, monkeypatch):
    monkeypatch.setattr(current_app, "connection_for_write", lambda: Connection("redis://127.0.0.1:1/0"))

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False
    assert response.json()["status"] == "failing"


def test_health_is_platformless_and_opens_no_session(client):
    client.get("/health/")
    client.get("/health/")

    assert Session.objects.count() == 0


def test_a_failed_job_is_recorded_with_its_error(monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("funding.services.close_due_campaigns", boom)
    # As in a worker: the task's error is recorded by Celery, not raised to a caller.
    result = task(CLOSE_TASK).apply(throw=False)

    assert isinstance(result.result, RuntimeError)

    row = JobRun.objects.get(task=CLOSE_TASK)
    assert row.last_failed_at is not None and "database on fire" in row.last_error
    assert row.last_succeeded_at is None


def test_the_admin_front_page_warns_when_the_close_job_is_late(client):
    client.force_login(StaffFactory(is_superuser=True))
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    JobRun.objects.create(task=CLOSE_TASK, last_started_at=long_ago, last_succeeded_at=long_ago)

    page = client.get("/admin/").content.decode()

    assert 'id="ops-close-late"' in page
    assert "Campaigns are not being closed." in page
    assert "10 minutes ago" in page


def test_the_admin_front_page_is_quiet_while_the_close_job_runs(client):
    client.force_login(StaffFactory(is_superuser=True))
    task(CLOSE_TASK).delay()

    page = client.get("/admin/").content.decode()

    assert 'id="ops-close-late"' not in page
    assert "Site administration" in page or "administration" in page.lower()
