"""Scheduled jobs of pre-sale trust (beat: civicfund/settings/base.py). Thin: each calls one service."""

from celery import shared_task

from . import delivery, guarantees


@shared_task(name="presale.tasks.expire_guarantees")
def expire_guarantees() -> int:
    return guarantees.guarantees_expire()


@shared_task(name="presale.tasks.forget_addresses")
def forget_addresses() -> int:
    return delivery.addresses_forget()
