from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "pledges"

    def ready(self) -> None:
        # Registering by import: the e-mail kinds (core.outbox), the provider events' handlers
        # (payments.events) and the tasks' names (core.jobs).
        from . import mails, provider_events, tasks  # noqa: F401
