from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = "Campaigns"

    def ready(self) -> None:
        from . import (
            mails,  # noqa: F401 -- registers the owner's review e-mails
            tasks,  # noqa: F401 -- registers the tasks by name (core.jobs)
        )
