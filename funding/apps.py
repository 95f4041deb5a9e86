from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        # Imported here, not at the top: an AppConfig module is loaded before the models exist.
        from pledges import hooks as pledge_hooks

        from . import tasks  # noqa: F401 -- registers the tasks by name (core.jobs)
        from .services.settle import collection_progressed

        pledge_hooks.collection_progressed.register(collection_progressed)
