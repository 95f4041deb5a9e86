from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "payouts"

    def ready(self) -> None:
        # Registering by import: the provider events' handlers and the tasks' names (core.jobs).
        from . import details, mails, provider_events, tasks  # noqa: F401
