"""Every ModelAdmin of the project, in one package the admin autodiscovers (`web.admin`)."""

from . import (  # noqa: F401
    decisions,
    impact,
    ledger,
    outbox,
    partners,
    payments,
    payouts,
    pictures,
    platforms,
    pledges,
    presale,
    projects,
    stats,
)
