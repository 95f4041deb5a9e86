from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: /health/ (database, broker, when the scheduled jobs last ran) and the admin's
    warning when the close job is late. Beside web and api; imports no civic app."""

    name = "ops"
    verbose_name = "Operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The Celery signals that record each scheduled job's runs (ops.jobs), in every process
        # that runs tasks (the worker, and tests with eager tasks).
        from . import jobs  # noqa: F401  (an app's modules load after the app registry)
