from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Statistics and open data"

    def ready(self) -> None:
        # Imported here: the hooks' modules load after the app registry.
        from ledger import hooks as ledger_hooks
        from pledges import hooks as pledge_hooks
        from projects import hooks as project_hooks

        from . import tasks  # noqa: F401 (the daily open-data task's name must be known at once)
        from .services import tally

        ledger_hooks.recorded.register(tally.money_recorded)
        pledge_hooks.wallet_pledge_sql.register(tally.wallet_pledge_ctes)
        project_hooks.campaign_moved.register(tally.campaign_closed)
