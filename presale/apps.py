from django.apps import AppConfig


class PresaleConfig(AppConfig):
    name = "presale"
    verbose_name = "Pre-sale guarantees, delivery and claims"

    def ready(self) -> None:
        # Registering by import (an app's modules load after the app registry): the submission check
        # and the decision kinds (guarantees), the claims' decision kinds, payout hold and audit (claims),
        # the e-mail kinds and the tasks' names.
        from . import claims, guarantees, mails, tasks  # noqa: F401
