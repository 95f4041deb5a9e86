from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners: organisations, match funding and open calls"

    def ready(self) -> None:
        # Registering by import: the decision kinds (decisions.kinds) and the hook functions
        # (pledges.hooks, funding.hooks) this app plugs into.
        from . import registrations  # noqa: F401
