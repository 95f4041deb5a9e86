"""Thin scheduled tasks of the partners app (names declared, as every task's)."""

from celery import shared_task

from .services import pots, rounds


@shared_task(name="partners.tasks.close_due_pots")
def close_due_pots() -> int:
    return pots.pots_close_due()


@shared_task(name="partners.tasks.close_due_rounds")
def close_due_rounds() -> int:
    return rounds.rounds_close_due()
