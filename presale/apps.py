from django.apps import AppConfig


class PresaleConfig(AppConfig):
    name = "presale"
    verbose_name = "Pre-sale guarantees, delivery and claims"

    def ready(self) -> None:
        # Registering by import (an app's modules load after the app registry): the submission check
        # and the decision kinds (guarantees), the e-mail kinds and the tasks' names.
        from . import guarantees, mails, tasks  # noqa: F401
