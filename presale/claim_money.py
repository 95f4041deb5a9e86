"""The money of accepted claims (issue 15): staff call on a campaign's bank guarantee and record what the
issuer paid; each claim is paid from the held part, then from the guarantee, to the card or the wallet by
the platform's refund rule, one balanced `claim_paid` transaction per payment key; a card that declines
leaves the claim owed until Finance pays it to the wallet; refunds the provider answered "pending" are
asked again. Claims themselves (filing, answers, decisions, the audit) are in presale.claims.

Lock order: campaign, held payout, claim, claim payment (as everywhere: campaign first)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import jobs
from core.alerts import admins_alert
from core.errors import ApplicationError
from core.outbox import notify
from decisions.models import ActorRole
from decisions.services import decision_record
from ledger import services as ledger
from ledger.models import Account, AccountKind, TransactionKind
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptStatus, PaymentAttempt
from pledges.services.refunds import refunds_to_wallet
from projects.models import Campaign
from projects.selectors import campaign_lock
from projects.services import check_permission

from .models import (
    ACCEPTED_CLAIMS,
    Claim,
    ClaimPayment,
    ClaimPaymentStatus,
    Guarantee,
    GuaranteeCall,
    GuaranteeStatus,
    PaymentSource,
)

log = logging.getLogger(__name__)

RECORD_GUARANTEE_CALL = "presale.record_guarantee_call"


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
        guarantee_payments_plan(campaign)
    return call


def guarantee_payments_plan(campaign: Campaign) -> None:
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
            payment_start(claim=claim, campaign=campaign, source=PaymentSource.GUARANTEE, amount=amount)
            available -= amount


# --- paying the backer --------------------------------------------------------------------------------


def _source_account(campaign: Campaign, source: str) -> Account:
    return ledger.held_account(campaign) if source == PaymentSource.HELD else receipts_account(campaign)


def payment_start(*, claim: Claim, campaign: Campaign, source: str, amount: int) -> ClaimPayment:
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
