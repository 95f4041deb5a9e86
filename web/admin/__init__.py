"""Every ModelAdmin of the project, in one package the admin autodiscovers (`web.admin`)."""

from . import decisions, impact, ledger, outbox, payments, payouts, platforms, pledges, projects, stats  # noqa: F401
