"""Scheduled jobs of pre-sale trust (beat: civicfund/settings/base.py). Thin: each calls one service."""

from celery import shared_task

from . import guarantees


@shared_task(name="presale.tasks.expire_guarantees")
def expire_guarantees() -> int:
    return guarantees.guarantees_expire()
