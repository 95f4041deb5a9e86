"""What partners registers at ready(): the public wording of its decision kinds and its functions on the
lower layers' hooks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from decisions.kinds import kind_register
from funding import hooks as funding_hooks
from pledges import hooks as pledge_hooks

from . import mails, tasks  # noqa: F401 (registering the e-mail kinds and the tasks' names)
from .audit import pots_audit
from .services import pots, rounds

KINDS = {
    "organisation.verified": _("Organisation verified"),
    "endorsement.given": _("Campaign endorsed"),
    "endorsement.withdrawn": _("Endorsement withdrawn"),
    "pot.opened": _("Match-funding pot opened"),
    "pot.closed": _("Match-funding pot closed"),
    "pot.closed_early": _("Match-funding pot closed early"),
    "call.published": _("Open call published"),
    "call.application_shortlisted": _("Application shortlisted"),
    "call.application_approved": _("Application approved"),
    "call.application_declined": _("Application declined"),
    "call.round_closed": _("Quadratic round closed"),
}

for code, label in KINDS.items():
    kind_register(code, label)


pledge_hooks.pledge_counting.register(pots.pledge_counting)
pledge_hooks.pledges_not_counting.register(pots.pledges_not_counting)
pledge_hooks.wallet_fast_path_refused.register(pots.wallet_fast_path_refused)
pledge_hooks.wallet_pledge_in_transaction.register(pots.wallet_pledge_in_transaction)
funding_hooks.before_close.register(rounds.before_close)
funding_hooks.counted_at_close.register(pots.counted_at_close)
funding_hooks.closed.register(pots.closed)
funding_hooks.split_extra.register(pots.split_extra)
funding_hooks.audit.register(pots_audit)
