from celery import shared_task

from . import services


@shared_task(name="payouts.tasks.release_due_payouts")
def release_due_payouts() -> int:
    return services.release_due_payouts()
