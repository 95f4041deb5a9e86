"""Celery tasks of the statistics (names declared, so queued messages and the beat keep them)."""

from celery import shared_task

from platforms.selectors import platforms_all

from .services.open_data import open_data_publish


@shared_task(name="stats.tasks.open_data_publish_all")
def open_data_publish_all() -> int:
    """The daily open-data files of every platform (CELERY_BEAT_SCHEDULE "open-data-daily")."""
    for platform in platforms_all():
        open_data_publish(platform)
    return len(platforms_all())
