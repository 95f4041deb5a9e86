"""Beat jobs of campaigns' own housekeeping (the close and its refunds are funding's tasks)."""

from celery import shared_task

from .gallery import pending_pictures_clear


@shared_task(name="projects.tasks.clear_kept_pictures")
def clear_kept_pictures() -> int:
    """Pictures kept for a form that was never sent again, over a day old (beat, hourly)."""
    return pending_pictures_clear()
