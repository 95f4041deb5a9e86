from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Accountability and impact"

    def ready(self) -> None:
        # Registering by import (an app's modules load after the app registry): the decision log's
        # recorder on the lifecycle hooks, the decision kinds' wording, the e-mail kinds, the tasks' names
        # and the upkeep plan's submission check.
        from . import log, mails, tasks, upkeep  # noqa: F401
