"""Scheduled jobs of accountability (beat: civicfund/settings/base.py). Thin: each calls one service."""

from celery import shared_task

from . import reports, upkeep


@shared_task(name="impact.tasks.send_report_reminders")
def send_report_reminders() -> int:
    return reports.report_reminders_send()


@shared_task(name="impact.tasks.request_follow_ups")
def request_follow_ups() -> int:
    return upkeep.follow_ups_request()
