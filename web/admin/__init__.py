"""Every ModelAdmin of the project, in one package the admin autodiscovers (`web.admin`)."""

from . import decisions, ledger, outbox, payments, payouts, platforms, pledges, presale, projects  # noqa: F401
