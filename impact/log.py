"""The lifecycle's decisions in the public decision log: every campaign move (projects.hooks.campaign_moved)
and the held part's release (payouts.hooks.payout_moved) is recorded by `decisions.services.decision_record`
in the move's own transaction, by role. The reason recorded is only the public one the deciding service
passed as the move's note (a sent-back campaign's or a rejected report's reason); a staff member's private
note to an owner never reaches the hooks, and automatic moves record no reason (their notes are for staff).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from decisions.kinds import kind_register
from decisions.models import ActorRole
from decisions.services import decision_record
from payouts import hooks as payout_hooks
from payouts.models import Payout, PayoutKind, PayoutStatus
from projects import hooks as project_hooks
from projects.models import Campaign, CampaignStatus

from .reports import report_due_fix

S = CampaignStatus
R = ActorRole

# kind: its public wording (decisions.kinds), English here, Persian in locale/fa_translations_acct.py.
KIND_LABELS = {
    "campaign.submitted": _("Submitted for review"),
    "campaign.approved": _("Approved"),
    "campaign.sent_back": _("Sent back to its owner"),
    "campaign.went_live": _("Went live"),
    "campaign.succeeded": _("Funded at the deadline"),
    "campaign.failed": _("Not funded at the deadline"),
    "campaign.refunds_started": _("Refunds started"),
    "campaign.refunded": _("All backers refunded"),
    "campaign.first_payout_paid": _("First payout made"),
    "report.submitted": _("Final report submitted"),
    "report.approved": _("Final report approved"),
    "report.rejected": _("Final report rejected"),
    "payout.held_released": _("Held part released"),
}
for _code, _label in KIND_LABELS.items():
    kind_register(_code, _label)

# (from, to) → (kind, role when a person decided, whether the move's note is the public reason).
# A move without a person (the close, the refunds, a provider's confirmation) is the system's.
CAMPAIGN_DECISIONS: dict[tuple[str, str], tuple[str, str, bool]] = {
    (S.DRAFT, S.SUBMITTED): ("campaign.submitted", R.OWNER, False),
    (S.SUBMITTED, S.LIVE): ("campaign.approved", R.PLATFORM_REVIEWER, False),
    (S.SUBMITTED, S.DRAFT): ("campaign.sent_back", R.PLATFORM_REVIEWER, True),
    (S.LIVE, S.SUCCEEDED): ("campaign.succeeded", R.SYSTEM, False),
    (S.LIVE, S.FAILED): ("campaign.failed", R.SYSTEM, False),
    (S.FAILED, S.REFUNDING): ("campaign.refunds_started", R.SYSTEM, False),
    (S.REFUNDING, S.REFUNDED): ("campaign.refunded", R.SYSTEM, False),
    (S.SUCCEEDED, S.PAID): ("campaign.first_payout_paid", R.FINANCE, False),
    (S.PAID, S.REPORT_SUBMITTED): ("report.submitted", R.OWNER, False),
    (S.REPORT_REJECTED, S.REPORT_SUBMITTED): ("report.submitted", R.OWNER, False),
    (S.REPORT_SUBMITTED, S.COMPLETED): ("report.approved", R.PLATFORM_REVIEWER, False),
    (S.REPORT_SUBMITTED, S.REPORT_REJECTED): ("report.rejected", R.PLATFORM_REVIEWER, True),
}


def _role(role: str, actor: Any) -> str:
    return role if getattr(actor, "pk", None) else R.SYSTEM


@project_hooks.campaign_moved.register
def campaign_decision_record(*, campaign: Campaign, from_status: str, to_status: str, actor: Any, note: str) -> None:
    """projects.hooks.campaign_moved: one entry per move (two for an approval: approved, and went live
    at the moment it starts)."""
    kind, role, public_note = CAMPAIGN_DECISIONS[(from_status, to_status)]
    now = timezone.now()
    decision_record(
        platform=campaign.platform,
        campaign=campaign,
        kind=kind,
        actor_role=_role(role, actor),
        actor=actor,
        reason=note if public_note else "",
        at=now,
    )
    if to_status == S.LIVE:
        decision_record(
            platform=campaign.platform,
            campaign=campaign,
            kind="campaign.went_live",
            actor_role=R.SYSTEM,
            at=max(now, campaign.starts_at),
        )
    if to_status == S.PAID:
        report_due_fix(campaign, paid_at=now)


@payout_hooks.payout_moved.register
def payout_decision_record(*, payout: Payout, from_status: str, to_status: str, actor: Any, note: str) -> None:
    """payouts.hooks.payout_moved: the held part reaching its owner is a public decision (the first
    payout's is the campaign's move to paid)."""
    if payout.kind != PayoutKind.HELD or to_status != PayoutStatus.PAID:
        return
    campaign = payout.campaign
    decision_record(
        platform=campaign.platform,
        campaign=campaign,
        kind="payout.held_released",
        actor_role=_role(R.FINANCE, actor),
        actor=actor,
        subject_type="payout",
        subject_id=payout.pk,
    )
