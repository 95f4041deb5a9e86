from typing import Any

from celery import shared_task

from . import outbox


@shared_task(
    name="civicfund.tasks.send_notification",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_notification(kind: str, ids: dict[str, Any]) -> int:
    """Send one e-mail now (messages queued by an earlier version; new ones go through the outbox)."""
    return outbox.notification_send(kind=kind, ids=ids)


@shared_task(name="civicfund.tasks.send_outbox")
def send_outbox() -> int:
    return outbox.outbox_send()
