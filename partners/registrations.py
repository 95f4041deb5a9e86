"""What partners registers at ready(): the public wording of its decision kinds and its functions on the
lower layers' hooks."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from decisions.kinds import kind_register

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
