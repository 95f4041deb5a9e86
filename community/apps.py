from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community: followers and questions"

    def ready(self) -> None:
        # Registering by import (an app's modules load after the app registry): the milestone watchers on
        # the pledge, lifecycle and update hooks, the e-mail kinds and the tasks' names.
        from . import mails, milestones, tasks  # noqa: F401
