from celery import shared_task

from . import services


@shared_task(name="projects.tasks.close_due_campaigns")
def close_due_campaigns() -> dict:
    return services.close_due_campaigns()
