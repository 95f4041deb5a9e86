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

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import jobs
from core.alerts import admins_alert
from core.errors import ApplicationError, InvalidTransition, PermissionDenied
from core.outbox import notify
from decisions.kinds import kind_register
from decisions.models import ActorRole
from decisions.services import decision_record
from funding import hooks as funding_hooks
from ledger import services as ledger
from ledger.models import Account, AccountKind, Entry, TransactionKind
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptStatus, PaymentAttempt
from payouts import hooks as payout_hooks
from payouts.models import Payout, PayoutKind
from payouts.services import held_payout_take
from pledges.models import Pledge, PledgeStatus
from pledges.services.refunds import refunds_to_wallet
from projects.attachments import attachment_check
from projects.models import FUNDED_STATUSES, Campaign
from projects.selectors import campaign_lock
from projects.services import check_permission

from . import delivery_rules
from .models import (
    ACCEPTED_CLAIMS,
    CLAIM_TRANSITIONS,
    UNDECIDED_CLAIMS,
    Claim,
    ClaimEvidence,
    ClaimGround,
    ClaimPayment,
    ClaimPaymentStatus,
    ClaimStatus,
    Guarantee,
    GuaranteeCall,
    GuaranteeStatus,
    PaymentSource,
)

log = logging.getLogger(__name__)
C = ClaimStatus

DECIDE_CLAIM = "presale.decide_claim"
RECORD_GUARANTEE_CALL = "presale.record_guarantee_call"
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
            _payment_start(claim=claim, campaign=campaign, source=PaymentSource.HELD, amount=claim.from_held)
        _guarantee_payments_plan(campaign)
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


# --- the guarantee ------------------------------------------------------------------------------------


def guarantee_owed(campaign: Campaign) -> int:
    """What the campaign's accepted claims are owed beyond the held part and not yet paid from the
    guarantee."""
    claims = Claim.objects.filter(campaign=campaign, status__in=ACCEPTED_CLAIMS)
    return sum(claim.owed_from_guarantee for claim in claims)


def guarantee_call_record(*, guarantee: Guarantee, staff: Any, amount: int, reference: str) -> GuaranteeCall:
    """Staff record that they called on a verified guarantee for `amount` (at most what the guarantee
    covers less earlier calls). Recorded in the decision log; the owner and staff are e-mailed. The
    money counts only once its receipt is recorded. Needs RECORD_GUARANTEE_CALL."""
    check_permission(staff, RECORD_GUARANTEE_CALL)
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(gettext_noop("Give the call's reference."), field="reference")
    with transaction.atomic():
        campaign = campaign_lock(guarantee.campaign_id)
        guarantee = Guarantee.objects.select_for_update().get(pk=guarantee.pk)
        if guarantee.status != GuaranteeStatus.VERIFIED:
            raise ApplicationError(
                gettext_noop("Only a guarantee in force can be called."), code="guarantee_not_in_force"
            )
        called = guarantee.calls.aggregate(total=Sum("amount"))["total"] or 0
        if not 0 < amount <= guarantee.amount - called:
            raise ApplicationError(
                gettext_noop("Call an amount above zero and within what the guarantee still covers."), field="amount"
            )
        call = GuaranteeCall.objects.create(guarantee=guarantee, amount=amount, reference=reference, called_by=staff)
        decision_record(
            platform=campaign.platform,
            campaign=campaign,
            kind="guarantee.called",
            actor_role=ActorRole.FINANCE,
            subject_type="guarantee",
            subject_id=guarantee.pk,
            actor=staff,
        )
        notify("claim_guarantee_news", call_id=call.pk, news="called")
    return call


def receipts_account(campaign: Campaign) -> Account:
    return ledger.account_get(kind=AccountKind.GUARANTEE_RECEIPTS, currency=campaign.currency, campaign=campaign)


def issuer_account(guarantee: Guarantee) -> Account:
    return ledger.account_keyed(
        kind=AccountKind.GUARANTEE_ISSUER, currency=guarantee.currency, owner_key=f"guarantee:{guarantee.pk}"
    )


def guarantee_receipt_record(*, call: GuaranteeCall, staff: Any, amount: int, reference: str) -> GuaranteeCall:
    """Staff record the money the issuer paid for a call (once per call, at most what was called):
    booked from the issuer into the campaign's guarantee receipts, then paid out to the backers of
    accepted claims, oldest decision first, as far as it goes. Needs RECORD_GUARANTEE_CALL."""
    check_permission(staff, RECORD_GUARANTEE_CALL)
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(gettext_noop("Give the transfer's reference."), field="reference")
    with transaction.atomic():
        campaign = campaign_lock(call.guarantee.campaign_id)
        call = GuaranteeCall.objects.select_for_update().select_related("guarantee").get(pk=call.pk)
        if call.received:
            raise ApplicationError(
                gettext_noop("The issuer's payment for this call is recorded already."), code="guarantee_received"
            )
        if not 0 < amount <= call.amount:
            raise ApplicationError(
                gettext_noop("Record an amount above zero and not above what was called."), field="amount"
            )
        ledger.transaction_record(
            kind=TransactionKind.GUARANTEE_RECEIVED,
            key=f"guarantee-call-{call.pk}-received",
            campaign=campaign,
            memo=f"Guarantee {call.guarantee.reference}: call {call.reference}, transfer {reference}"[:200],
            legs=[ledger.Leg(issuer_account(call.guarantee), -amount), ledger.Leg(receipts_account(campaign), amount)],
        )
        call.received, call.received_at, call.received_reference = amount, timezone.now(), reference
        call.save(update_fields=["received", "received_at", "received_reference"])
        notify("claim_guarantee_news", call_id=call.pk, news="received")
        _guarantee_payments_plan(campaign)
    return call


def _guarantee_payments_plan(campaign: Campaign) -> None:
    """Pay what the guarantee receipts hold (less payments under way) to accepted claims still owed
    from the guarantee, oldest decision first (caller holds the campaign's lock)."""
    # Payments under way, and those the card declined (their money waits in the receipts until staff pay
    # it to the wallet), are not available to others.
    pending = ClaimPayment.objects.filter(
        claim__campaign=campaign,
        source=PaymentSource.GUARANTEE,
        status__in=[ClaimPaymentStatus.PENDING, ClaimPaymentStatus.FAILED],
    )
    under_way: defaultdict[int, int] = defaultdict(int)
    for claim_id, amount in pending.values_list("claim_id", "amount"):
        under_way[claim_id] += amount
    available = ledger.balance(receipts_account(campaign)) - sum(under_way.values())
    claims = Claim.objects.select_for_update().filter(campaign=campaign, status__in=ACCEPTED_CLAIMS)
    for claim in claims.select_related("pledge").order_by("decided_at", "id"):
        if available <= 0:
            return
        failed = ClaimPayment.objects.filter(
            claim=claim, source=PaymentSource.GUARANTEE, status=ClaimPaymentStatus.FAILED
        )
        if failed.exists():
            continue  # staff pay the declined payment to the wallet first (`claim_payment_to_wallet`)
        due = claim.owed_from_guarantee - under_way[claim.pk]
        if due > 0:
            amount = min(due, available)
            _payment_start(claim=claim, campaign=campaign, source=PaymentSource.GUARANTEE, amount=amount)
            available -= amount


# --- paying the backer --------------------------------------------------------------------------------


def _source_account(campaign: Campaign, source: str) -> Account:
    return ledger.held_account(campaign) if source == PaymentSource.HELD else receipts_account(campaign)


def _payment_start(*, claim: Claim, campaign: Campaign, source: str, amount: int) -> ClaimPayment:
    """Create a payment to the claim's backer (caller holds the campaign's and the claim's locks): to
    the wallet it is booked at once, to the card it is made after the commit by the task."""
    number = ClaimPayment.objects.filter(claim=claim, source=source).count() + 1
    payment = ClaimPayment.objects.create(
        claim=claim,
        source=source,
        amount=amount,
        to_wallet=refunds_to_wallet(claim.pledge, campaign),
        key=f"claim-{claim.pk}-{source}" + (f"-{number}" if number > 1 else ""),
    )
    if payment.to_wallet:
        _payment_book(payment=payment, claim=claim, campaign=campaign, note="to the wallet")
    else:
        jobs.later("presale.tasks.pay_claim", payment.pk)
    return payment


def _payment_book(*, payment: ClaimPayment, claim: Claim, campaign: Campaign, note: str) -> None:
    """Book a made payment (caller holds the payment's and the claim's locks): source → the backer's
    wallet or the card network; the claim's paid amounts follow; the backer is e-mailed."""
    pledge = claim.pledge
    target = (
        ledger.wallet_account(pledge.backer, pledge.currency)
        if payment.to_wallet
        else ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform)
    )
    ledger.transaction_record(
        kind=TransactionKind.CLAIM_PAID,
        key=payment.key,
        campaign=campaign,
        memo=f"Claim {claim.pk} paid from the {payment.source}, {note}"[:200],
        legs=[
            ledger.Leg(_source_account(campaign, payment.source), -payment.amount, pledge.pk),
            ledger.Leg(target, payment.amount, pledge.pk),
        ],
    )
    ClaimPayment.objects.filter(pk=payment.pk).update(status=ClaimPaymentStatus.PAID, paid_at=timezone.now())
    if payment.source == PaymentSource.HELD:
        claim.paid_from_held += payment.amount
    else:
        claim.paid_from_guarantee += payment.amount
    claim.save(update_fields=["paid_from_held", "paid_from_guarantee"])
    notify("claim_news", claim_id=claim.pk, news="paid")


def claim_payment_make(*, payment_id: int) -> ClaimPayment:
    """Make a pending card payment of a claim: the provider gives back part of the pledge's charge under
    the payment's key (a retry resumes the same attempt, never a second refund), then it is booked.
    A decline marks the payment failed (the money stays where it was and the claim stays owed), alerts
    the admins and tells the backer; staff then pay it to the wallet (`claim_payment_to_wallet`). An
    answer `pending` leaves it pending (`claim_payments_follow_up` asks again). Idempotent. Raises
    GatewayUnavailable (the task retries)."""
    payment = ClaimPayment.objects.select_related("claim__pledge__campaign__platform").get(pk=payment_id)
    if payment.status != ClaimPaymentStatus.PENDING:
        return payment
    if payment.to_wallet:  # booked when made; nothing to ask a provider
        return payment
    attempt = payments.pledge_part_refund_call(pledge=payment.claim.pledge, amount=payment.amount, key=payment.key)
    with transaction.atomic():
        campaign = campaign_lock(payment.claim.campaign_id)
        claim = Claim.objects.select_for_update().select_related("pledge").get(pk=payment.claim_id)
        payment = ClaimPayment.objects.select_for_update().get(pk=payment_id)
        if payment.status != ClaimPaymentStatus.PENDING:
            return payment
        attempt.refresh_from_db()
        if attempt.status == AttemptStatus.SUCCEEDED:
            _payment_book(payment=payment, claim=claim, campaign=campaign, note=f"to the card ({attempt.reference})")
        elif attempt.status == AttemptStatus.DECLINED:
            ClaimPayment.objects.filter(pk=payment.pk).update(
                status=ClaimPaymentStatus.FAILED, note=(attempt.message or attempt.code or "declined")[:300]
            )
            admins_alert(
                f"Claim {claim.pk}: its payment {payment.key} of {payment.amount} to the card was declined "
                f"({attempt.message or attempt.code}). The claim stays owed: pay it to the backer's wallet "
                f"instead (admin: Claim payments, action 'Pay to the backer's wallet instead').",
                subject="A claim's payment needs attention",
            )
            notify("claim_news", claim_id=claim.pk, news="payment_failed")
        payment.refresh_from_db()
    return payment


def claim_payment_to_wallet(*, payment_id: int, staff: Any) -> ClaimPayment:
    """Staff pay a claim payment the card declined to the backer's wallet on the platform instead: a new
    payment (key `<declined key>-wallet`, same source and amount) booked at once, source → wallet, one
    balanced `claim_paid` transaction; the declined one becomes `replaced`; the backer is e-mailed that
    it was paid. Needs RECORD_GUARANTEE_CALL (group "Finance"). Idempotent: done again, it returns the
    same wallet payment. Lock order: campaign, claim, payment."""
    check_permission(staff, RECORD_GUARANTEE_CALL)
    with transaction.atomic():
        declined = ClaimPayment.objects.select_related("claim").get(pk=payment_id)
        campaign = campaign_lock(declined.claim.campaign_id)
        claim = Claim.objects.select_for_update().select_related("pledge").get(pk=declined.claim_id)
        declined = ClaimPayment.objects.select_for_update().get(pk=payment_id)
        key = f"{declined.key}-wallet"
        if declined.status == ClaimPaymentStatus.REPLACED:
            return ClaimPayment.objects.get(key=key)
        if declined.status != ClaimPaymentStatus.FAILED or declined.to_wallet:
            raise ApplicationError(
                gettext_noop("Only a claim payment the card declined can be paid to the wallet instead."),
                code="claim_payment_not_declined",
            )
        payment = ClaimPayment.objects.create(
            claim=claim, source=declined.source, amount=declined.amount, to_wallet=True, key=key
        )
        _payment_book(
            payment=payment, claim=claim, campaign=campaign, note=f"to the wallet, card declined ({declined.key})"
        )
        note = f"{declined.note} · paid to the wallet instead ({key})"[:300]
        ClaimPayment.objects.filter(pk=declined.pk).update(status=ClaimPaymentStatus.REPLACED, note=note)
        payment.refresh_from_db()
    return payment


def claim_payments_follow_up(*, now: dt.datetime | None = None) -> int:
    """Card payments of claims still pending CIVICFUND_PENDING_RETRY_SECONDS after they were made: the
    provider answered `pending` (its later word may never reach us), or the call was cut off. The
    provider is asked again by the refund's reference and its answer recorded; then
    `claim_payment_make` books a success (once: the payment's row lock, its status and the ledger key)
    or handles a decline; a call cut off is resumed with the same key. Still pending: asked again on
    the next run. Returns how many were settled (paid or failed)."""
    now = now or timezone.now()
    before = now - dt.timedelta(seconds=settings.CIVICFUND_PENDING_RETRY_SECONDS)
    settled = 0
    due = ClaimPayment.objects.filter(status=ClaimPaymentStatus.PENDING, to_wallet=False, created_at__lt=before)
    for payment in due.order_by("id")[:500]:
        attempt = PaymentAttempt.objects.filter(idempotency_key=payment.key).first()
        try:
            if attempt is not None and attempt.status == AttemptStatus.PENDING and attempt.reference:
                fresh = payments.refund_fetch(attempt=attempt)
                if fresh.status == AttemptStatus.PENDING:
                    continue
                payments.refund_answer_late(attempt_id=attempt.pk, fresh=fresh)
            if claim_payment_make(payment_id=payment.pk).status != ClaimPaymentStatus.PENDING:
                settled += 1
        except GatewayUnavailable:
            continue
        except ApplicationError as exc:  # e.g. more than the charge: nothing was sent
            log.error("Claim payment %s not made: %s", payment.key, exc)
    return settled


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
