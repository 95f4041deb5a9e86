"""What a payment provider's word means for pledges: handlers of payments' provider-neutral events
(payments.events), registered when the app is ready. They run inside the event's transaction."""

from __future__ import annotations

import logging

from core import jobs
from core.alerts import admins_alert
from ledger import services as ledger
from ledger.models import AccountKind, TransactionKind
from payments import events
from payments.gateways import GatewayResult
from payments.models import AttemptKind, AttemptStatus, Dispute, PaymentAttempt
from payments.services import attempt_answer, refund_number

from .models import Pledge, PledgeStatus
from .services import pledge_charge_settle, pledge_decline, pledge_refund_failed, pledge_refund_retry_plan

log = logging.getLogger(__name__)


@events.PROVIDER_EVENTS.register(events.CHARGE_UPDATED)
def charge_updated(*, attempt: PaymentAttempt, fresh: GatewayResult) -> str:
    """The provider's current word on a charge (its attempt row-locked). A payment that succeeds on a
    pledge already paid or ended (e.g. 3-D Secure confirmed on an old payment after another card paid)
    is a stray payment: recorded as such and refunded (`payments.tasks.stray_payment_refund`)."""
    before = attempt.status
    if fresh.status == AttemptStatus.SUCCEEDED and before != AttemptStatus.SUCCEEDED:
        pledge = attempt.pledge
        other_paid = pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED).exists()
        if other_paid or pledge.status not in (PledgeStatus.PENDING, PledgeStatus.SECURED, PledgeStatus.RETRYING):
            # E.g. 3-D Secure confirmed on an old PaymentIntent after another card paid: give it back.
            stray = GatewayResult(
                status=fresh.status,
                reference=fresh.reference,
                code="stray_payment",
                message=f"Paid after the pledge was {pledge.status}",
                at=fresh.at,
            )
            attempt_answer(attempt, stray)
            jobs.later("payments.tasks.stray_payment_refund", attempt.pk)
            log.warning("Stray payment %s on pledge %s (%s): refunding it", attempt.reference, pledge.pk, pledge.status)
            return f"stray payment on {pledge.status} pledge: refund queued"
        attempt_answer(attempt, fresh)
    elif fresh.status == AttemptStatus.DECLINED and before in (AttemptStatus.STARTED, AttemptStatus.PENDING):
        attempt_answer(attempt, fresh)
    elif before == AttemptStatus.STARTED and fresh.status == AttemptStatus.PENDING:
        attempt_answer(attempt, fresh)
        return "pending"
    else:
        return f"no change ({before}, provider: {fresh.status})"
    pledge_charge_settle(pledge_id=attempt.pledge_id)
    return f"charge {before} → {attempt.status}"


@events.PROVIDER_EVENTS.register(events.CHARGE_ANSWERED)
def charge_answered(*, attempt: PaymentAttempt) -> str:
    """A charge attempt answered by a callback (the sandbox's): settle its pledge."""
    pledge = pledge_charge_settle(pledge_id=attempt.pledge_id)
    return f"pledge {pledge.status}"


@events.PROVIDER_EVENTS.register(events.CARD_SETUP_ANSWERED)
def card_setup_answered(*, attempt: PaymentAttempt, fresh: GatewayResult) -> str:
    """A card saved later (3-D Secure, a hosted card page): secure or charge the pledge after the
    commit (the charge calls the provider again); a card setup that failed declines the pledge."""
    if fresh.status == AttemptStatus.SUCCEEDED:
        jobs.later("payments.tasks.card_saved", attempt.pledge_id, fresh.reference)
        return "card saved"
    pledge_decline(pledge_id=attempt.pledge_id)
    return "card setup failed: pledge declined"


@events.PROVIDER_EVENTS.register(events.REFUND_UPDATED)
def refund_updated(*, attempt: PaymentAttempt, fresh: GatewayResult, reference: str) -> str:
    """A pledge's own refund (`pledge-<id>-refund`, `-refund-2`, ...) that succeeds is booked; one that
    is declined, or fails after it was booked (its booking then reversed), goes to the next attempt
    or, the attempts spent, to an admin (`pledge_refund_retry_plan`). Other refunds of ours (a stray
    payment's) that fail go to an admin at once."""
    own = refund_number(attempt.pledge_id, attempt.idempotency_key) is not None
    if attempt.status in (AttemptStatus.STARTED, AttemptStatus.PENDING) and fresh.status != AttemptStatus.PENDING:
        attempt_answer(attempt, fresh)
        if fresh.status == AttemptStatus.SUCCEEDED and own:
            jobs.later("pledges.tasks.refund_pledge", attempt.pledge_id)  # books it
        elif fresh.status == AttemptStatus.DECLINED and own:
            return f"refund {fresh.status}: {pledge_refund_retry_plan(pledge_id=attempt.pledge_id, failed=attempt)}"
        elif fresh.status == AttemptStatus.DECLINED:
            _alert(f"Refund {reference} ({attempt.idempotency_key}) failed at the provider: refund it by hand")
        return f"refund {fresh.status}"
    if attempt.status == AttemptStatus.SUCCEEDED and fresh.status == AttemptStatus.DECLINED:
        failed = GatewayResult(
            status=AttemptStatus.DECLINED,
            reference=reference,
            code="refund_failed",
            message=f"Failed at the provider after it was booked: {fresh.message}",
        )
        attempt_answer(attempt, failed)
        if not own:
            _alert(f"Refund {reference} ({attempt.idempotency_key}) failed at the provider: refund it by hand")
            return "refund failed"
        pledge_refund_failed(pledge_id=attempt.pledge_id, refund_reference=reference, key=attempt.idempotency_key)
        plan = pledge_refund_retry_plan(pledge_id=attempt.pledge_id, failed=attempt)
        return f"refund failed after booking: booking reversed; {plan}"
    return f"no change ({attempt.status})"


@events.PROVIDER_EVENTS.register(events.DISPUTE_LOST)
def dispute_lost(*, dispute: Dispute, charge: PaymentAttempt) -> str:
    """A lost dispute on a pledge's payment is absorbed by the platform (fees account → card network,
    `dispute-<id>-lost`), since the campaign may already be paid out."""
    pledge = Pledge.objects.select_related("campaign__platform").get(pk=charge.pledge_id)
    platform = pledge.campaign.platform
    ledger.transaction_record(
        kind=TransactionKind.DISPUTE_LOST,
        key=f"dispute-{dispute.dispute_id}-lost",
        campaign=pledge.campaign,
        memo=f"Dispute {dispute.dispute_id} lost",
        legs=[
            ledger.Leg(ledger.platform_account(AccountKind.FEES, platform), -dispute.amount),
            ledger.Leg(ledger.platform_account(AccountKind.CARD_NETWORK, platform), dispute.amount, charge.pledge_id),
        ],
    )
    return "dispute lost: booked"


def _alert(message: str) -> None:
    admins_alert(message, subject="A refund needs attention")
