from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    """Who may do what, and how they prove it: API tokens, the staff groups, the client's address and
    the limits keyed on it (docs/security.md). Below the domain apps: it knows none of them."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import post_save

        from . import tasks  # noqa: F401 -- registers the session clean-up task by name
        from .groups import staff_groups_ensure  # after the app registry (auth's models)
        from .tokens import revoke_on_password_change

        post_migrate.connect(staff_groups_ensure, sender=self, dispatch_uid="accounts.staff_groups")
        post_save.connect(
            revoke_on_password_change, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.revoke_tokens"
        )
