from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: money, errors, text helpers, hooks and the e-mail outbox.

    Its label stays "civicfund" (the app it was split from), so the outbox table `civicfund_outboxmail`,
    its content type and its migration history are untouched."""

    name = "core"
    label = "civicfund"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 -- registers the outbox's Celery tasks by name (core.jobs)
