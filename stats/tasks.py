"""Celery tasks of the statistics (names declared, so queued messages and the beat keep them)."""
