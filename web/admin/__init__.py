"""Every ModelAdmin of the project, in one package the admin autodiscovers (`web.admin`)."""

from . import decisions, ledger, outbox, partners, payments, payouts, platforms, pledges, projects  # noqa: F401
