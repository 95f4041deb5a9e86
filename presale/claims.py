"""Backers' claims on a pre-sale campaign (issue 15): a backer whose reward is late beyond the platform's
grace, or not as described, files a claim with evidence; the owner may answer within the platform's
answer time; staff accept it in full or in part, or reject it, with a public reason (the decision log).

An accepted claim is paid first from the campaign's held part (the 10% not yet released: the held payout
shrinks by what is taken), the rest from its bank guarantee once staff have called on it and recorded
the money the issuer paid (the campaign's guarantee receipts account). Each payment goes to the card or
the wallet by the platform's refund rule, once per key, and is one balanced ledger transaction
(`claim_paid`). While a claim of a campaign is undecided, its held part is not released
(`payouts.hooks.release_blocked`). The audit checks, per claim: accepted = paid from the held part +
paid from the guarantee + still owed (`claims_audit` on `funding.hooks.audit`).

Lock order: campaign, held payout, claim, claim payment (as everywhere: campaign first)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import jobs
from core.errors import ApplicationError, InvalidTransition, PermissionDenied
from core.outbox import notify
from decisions.kinds import kind_register
from decisions.models import ActorRole
from decisions.services import decision_record
from funding import hooks as funding_hooks
from ledger.models import AccountKind, Entry, TransactionKind
from payouts import hooks as payout_hooks
from payouts.models import Payout, PayoutKind
from payouts.services import held_payout_take
from pledges.models import Pledge, PledgeStatus
from projects.attachments import attachment_check
from projects.models import FUNDED_STATUSES, Campaign
from projects.selectors import campaign_lock
from projects.services import check_permission

from . import delivery_rules
from .claim_money import guarantee_payments_plan, payment_start
from .models import (
    ACCEPTED_CLAIMS,
    CLAIM_TRANSITIONS,
    UNDECIDED_CLAIMS,
    Claim,
    ClaimEvidence,
    ClaimGround,
    ClaimPayment,
    ClaimStatus,
    GuaranteeCall,
    PaymentSource,
)

log = logging.getLogger(__name__)
C = ClaimStatus

DECIDE_CLAIM = "presale.decide_claim"
MAX_EVIDENCE = 5

KIND_LABELS = {
    "claim.accepted": _("Backer's claim accepted"),
    "claim.partly_accepted": _("Backer's claim accepted in part"),
    "claim.rejected": _("Backer's claim rejected"),
    "guarantee.called": _("Bank guarantee called for backers' claims"),
}
for _code, _label in KIND_LABELS.items():
    kind_register(_code, _label)


def _today(campaign: Campaign, now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), campaign.platform.tz).date()


# --- filing -------------------------------------------------------------------------------------------


def claim_refusal(*, pledge: Pledge, user: Any, ground: str, amount: int, today: dt.date) -> ApplicationError | None:
    """Why `user` may not claim `amount` for `pledge` on `ground` today, or None. The order is the one a
    backer would ask in: whose pledge, its money, the reward, the dates, then the amount."""
    if pledge.backer_id != getattr(user, "pk", None):
        return PermissionDenied(gettext_noop("Only the backer of this pledge can claim for it."))
    if pledge.status in (PledgeStatus.REFUNDED, PledgeStatus.REFUNDING):
        return ApplicationError(
            gettext_noop("This pledge was refunded: there is nothing to claim."), code="claim_refunded"
        )
    campaign = pledge.campaign
    if pledge.status != PledgeStatus.PAID or campaign.status not in FUNDED_STATUSES:
        return ApplicationError(
            gettext_noop("Only a paid pledge of a funded campaign can be claimed for."), code="claim_not_funded"
        )
    tier = pledge.tier
    if tier is None or not delivery_rules.tier_ships(tier):
        return ApplicationError(
            gettext_noop("This pledge's reward is not shipped, so it cannot be claimed for."), code="claim_no_delivery"
        )
    if Claim.objects.filter(pledge=pledge).exists():
        return ApplicationError(gettext_noop("This pledge already has a claim."), code="claim_exists")
    if ground not in ClaimGround.values:
        return ApplicationError(gettext_noop("Say why you claim."), field="ground")
    if today > delivery_rules.claim_last_day(tier):
        return ApplicationError(
            gettext_noop("The time to claim for this reward has passed."), code="claim_window_closed"
        )
    state = delivery_rules.state_of(pledge)
    if ground == ClaimGround.LATE:
        if state == delivery_rules.DELIVERED:
            return ApplicationError(
                gettext_noop("You confirmed this reward as delivered: claim that it is not as described instead."),
                code="claim_delivered",
                field="ground",
            )
        if not delivery_rules.late(pledge, today):
            return ApplicationError(
                gettext_noop(
                    "The reward is not late yet: its promised delivery plus the platform's grace has not passed."
                ),
                code="claim_too_early",
                field="ground",
            )
    elif state not in (delivery_rules.DELIVERED, delivery_rules.PROBLEM):
        return ApplicationError(
            gettext_noop("A reward can be claimed as not as described once it is delivered or a problem is reported."),
            code="claim_not_delivered",
            field="ground",
        )
    if not 0 < amount <= pledge.amount:
        return ApplicationError(
            gettext_noop("Claim an amount above zero and not above what you pledged."),
            code="claim_amount",
            field="amount",
        )
    return None


def claim_possible(*, pledge: Pledge, user: Any, now: dt.datetime | None = None) -> bool:
    """Whether `user` could claim for `pledge` today on some ground (for offering the claim form)."""
    today = _today(pledge.campaign, now)
    return any(
        claim_refusal(pledge=pledge, user=user, ground=ground, amount=1, today=today) is None
        for ground in ClaimGround.values
    )


def claim_file(
    *,
    pledge: Pledge,
    user: Any,
    ground: str,
    description: str,
    amount: int,
    evidence: Sequence[Any] = (),
    now: dt.datetime | None = None,
) -> Claim:
    """The backer files a claim for their pledge's reward (see `claim_refusal` for what is refused),
    with a description and up to MAX_EVIDENCE files (pictures or PDF, checked by their content, kept
    private). The owner has the platform's `claim_answer_days` to answer; the owner, staff and the
    backer are e-mailed. Takes the campaign's lock, then its held payout's, so a held part being sent
    either goes before the claim or waits for its decision. Nothing is written when refused."""
    description = (description or "").strip()
    if not description:
        raise ApplicationError(gettext_noop("Describe what is wrong with the reward."), field="description")
    if len(evidence) > MAX_EVIDENCE:
        raise ApplicationError(gettext_noop("Attach at most five files."), field="evidence")
    kinds = []
    for upload in evidence:
        try:
            kinds.append(attachment_check(upload))
        except ApplicationError as exc:
            raise ApplicationError(exc.message, field="evidence") from None
    with transaction.atomic():
        campaign = campaign_lock(pledge.campaign_id)
        list(Payout.objects.select_for_update().filter(campaign=campaign, kind=PayoutKind.HELD))
        pledge = Pledge.objects.select_for_update(of=("self",)).select_related("tier").get(pk=pledge.pk)
        pledge.campaign = campaign
        today = _today(campaign, now)
        if (refusal := claim_refusal(pledge=pledge, user=user, ground=ground, amount=amount, today=today)) is not None:
            raise refusal
        claim = Claim.objects.create(
            pledge=pledge,
            campaign=campaign,
            backer=pledge.backer,
            ground=ground,
            description=description,
            amount=amount,
            currency=pledge.currency,
            answer_due_on=today + dt.timedelta(days=campaign.platform.claim_answer_days),
        )
        for upload, kind in zip(evidence, kinds, strict=True):
            ClaimEvidence.objects.create(claim=claim, file=upload, file_type=kind, name=str(upload.name)[:200])
        notify("claim_news", claim_id=claim.pk, news="filed")
    return claim


def _move(claim: Claim, to: str) -> None:
    if to not in CLAIM_TRANSITIONS[claim.status]:
        raise InvalidTransition(
            gettext_noop("This claim has been decided already."),
            code="claim_transition",
            from_status=claim.status,
            to_status=to,
        )
    claim.status = to


def claim_answer(*, claim: Claim, user: Any, answer: str, now: dt.datetime | None = None) -> Claim:
    """The campaign's owner answers a filed claim, by its answer day (platform's time zone). The
    backer and staff are e-mailed; staff then decide."""
    answer = (answer or "").strip()
    with transaction.atomic():
        campaign = campaign_lock(claim.campaign_id)
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if campaign.owner_id != getattr(user, "pk", None):
            raise PermissionDenied(gettext_noop("Only the campaign's owner can do this."))
        if not answer:
            raise ApplicationError(gettext_noop("Write your answer."), field="answer")
        if claim.status != C.FILED:
            raise ApplicationError(
                gettext_noop("This claim has been answered or decided already."), code="claim_answered"
            )
        if _today(campaign, now) > claim.answer_due_on:
            raise ApplicationError(gettext_noop("The time to answer this claim has passed."), code="claim_answer_late")
        _move(claim, C.ANSWERED)
        claim.answer, claim.answered_at = answer, now or timezone.now()
        claim.save(update_fields=["status", "answer", "answered_at"])
        notify("claim_news", claim_id=claim.pk, news="answered")
    return claim


# --- deciding -----------------------------------------------------------------------------------------


def claim_decide(
    *, claim: Claim, staff: Any, accepted_amount: int, reason: str, now: dt.datetime | None = None
) -> Claim:
    """Staff decide a claim once the owner has answered or the answer time has passed: the whole amount
    asked (accepted), part of it (accepted in part) or nothing (rejected), with a reason shown to the
    backer and recorded in the campaign's decision log. Needs DECIDE_CLAIM.

    Accepted money is taken from the held part while it is not released (`held_payout_take`: the
    owner's held payout shrinks), the rest is owed from the guarantee and paid as the issuer's money
    is recorded (`guarantee_receipt_record`). Wallet payments are booked here; card payments are made
    after the commit (`presale.tasks.pay_claim`). Once no claim of the campaign is undecided, the
    payout run is queued, so a held part waiting for them is sent."""
    check_permission(staff, DECIDE_CLAIM)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(gettext_noop("Give the reason for the decision; the backer sees it."), field="reason")
    with transaction.atomic():
        campaign = campaign_lock(claim.campaign_id)
        claim = Claim.objects.select_for_update().select_related("pledge").get(pk=claim.pk)
        if claim.status not in UNDECIDED_CLAIMS:
            raise ApplicationError(gettext_noop("This claim has been decided already."), code="claim_decided")
        if not 0 <= accepted_amount <= claim.amount:
            raise ApplicationError(
                gettext_noop("Accept an amount between zero and what the backer asked for."), field="accepted_amount"
            )
        if claim.status == C.FILED and _today(campaign, now) <= claim.answer_due_on:
            raise ApplicationError(
                gettext_noop("The owner may still answer this claim: decide once they have or their time has passed."),
                code="claim_awaits_owner",
            )
        to = (
            C.REJECTED if accepted_amount == 0 else C.ACCEPTED if accepted_amount == claim.amount else C.PARTLY_ACCEPTED
        )
        _move(claim, to)
        claim.accepted_amount, claim.reason = accepted_amount, reason
        claim.decided_at, claim.decided_by = now or timezone.now(), staff
        claim.from_held = held_payout_take(campaign=campaign, amount=accepted_amount)
        claim.save(update_fields=["status", "accepted_amount", "reason", "decided_at", "decided_by", "from_held"])
        decision_record(
            platform=campaign.platform,
            campaign=campaign,
            kind=f"claim.{to}",
            actor_role=ActorRole.STAFF,
            reason=reason,
            subject_type="claim",
            subject_id=claim.pk,
            actor=staff,
        )
        notify("claim_news", claim_id=claim.pk, news="decided")
        if claim.from_held:
            payment_start(claim=claim, campaign=campaign, source=PaymentSource.HELD, amount=claim.from_held)
        guarantee_payments_plan(campaign)
        if not Claim.objects.filter(campaign=campaign, status__in=UNDECIDED_CLAIMS).exists():
            jobs.later("payouts.tasks.release_due_payouts")
    return claim


@payout_hooks.release_blocked.register
def undecided_claims_hold(*, payout: Payout) -> str:
    """payouts.hooks.release_blocked: a campaign's held part waits while any of its claims is undecided."""
    if payout.kind != PayoutKind.HELD:
        return ""
    undecided = Claim.objects.filter(campaign_id=payout.campaign_id, status__in=UNDECIDED_CLAIMS).count()
    return f"{undecided} pre-sale claim(s) not yet decided" if undecided else ""


# --- the audit ----------------------------------------------------------------------------------------


@funding_hooks.audit.register
def claims_audit(*, now: dt.datetime) -> list[str]:
    """funding.hooks.audit: per accepted claim, accepted = paid from the held part + paid from the
    guarantee + still owed, each paid part as booked; a rejected or undecided claim paid nothing; per
    guarantee call, what was received as booked; per campaign, the guarantee receipts never negative."""
    problems: list[str] = []
    booked: defaultdict[tuple[int, str], int] = defaultdict(int)
    paid = Entry.objects.filter(
        transaction__kind=TransactionKind.CLAIM_PAID,
        account__kind__in=[AccountKind.HELD, AccountKind.GUARANTEE_RECEIPTS],
    )
    key_of = dict(ClaimPayment.objects.values_list("key", "claim_id"))
    for key, kind, amount in paid.values_list("transaction__key", "account__kind", "amount"):
        claim_id = key_of.get(key)
        if claim_id is None:
            problems.append(f"claim payment {key} is in the ledger but not among the claims' payments")
            continue
        source = PaymentSource.HELD if kind == AccountKind.HELD else PaymentSource.GUARANTEE
        booked[claim_id, source] += -amount
    for claim in Claim.objects.all().iterator():
        name = f"claim {claim.pk} (pledge {claim.pledge_id})"
        from_held, from_guarantee = booked[claim.pk, PaymentSource.HELD], booked[claim.pk, PaymentSource.GUARANTEE]
        if claim.status not in ACCEPTED_CLAIMS and (claim.accepted_amount or from_held or from_guarantee):
            problems.append(
                f"{name}: {claim.status} but {claim.accepted_amount} accepted, {from_held + from_guarantee} paid"
            )
        if (from_held, from_guarantee) != (claim.paid_from_held, claim.paid_from_guarantee):
            problems.append(
                f"{name}: paid from the held part {claim.paid_from_held} and from the guarantee "
                f"{claim.paid_from_guarantee}, but the ledger paid {from_held} and {from_guarantee}"
            )
        if claim.owed < 0 or claim.accepted_amount != from_held + from_guarantee + claim.owed:
            problems.append(
                f"{name}: accepted {claim.accepted_amount} ≠ paid from held {from_held} + paid from the guarantee "
                f"{from_guarantee} + still owed {claim.owed}"
            )
    received = dict(
        Entry.objects.filter(transaction__kind=TransactionKind.GUARANTEE_RECEIVED, amount__gt=0).values_list(
            "transaction__key", "amount"
        )
    )
    for call in GuaranteeCall.objects.all():
        in_ledger = received.get(f"guarantee-call-{call.pk}-received", 0)
        if in_ledger != call.received:
            problems.append(f"guarantee call {call.pk}: received {call.received}, booked {in_ledger}")
    for row in (
        Entry.objects.filter(account__kind=AccountKind.GUARANTEE_RECEIPTS)
        .values("account__campaign_id")
        .annotate(total=Sum("amount"))
        .filter(total__lt=0)
    ):
        problems.append(f"campaign {row['account__campaign_id']}: guarantee receipts are negative ({row['total']})")
    return problems
