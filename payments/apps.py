from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"

    def ready(self) -> None:
        from . import tasks  # noqa: F401 -- registers the tasks by name (core.jobs)
