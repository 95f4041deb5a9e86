from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may do what, and how they prove it: API tokens, the staff groups, the client's address and
    the limits keyed on it (docs/security.md). Below the domain apps: it knows none of them."""

    name = "accounts"
    verbose_name = "Accounts"
