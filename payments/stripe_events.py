"""Applying Stripe webhook events, each exactly once.

`stripe_event_apply` stores the event id (unique) in the same database transaction as the event's
effects, so a replayed delivery changes nothing, and a crash leaves neither. Where the order of events
matters (intents, refunds, accounts), the object is re-fetched from Stripe first and its current state
is applied, so a late `payment_failed` after a `succeeded` cannot undo the payment. Effects that call
Stripe again (charging a card saved by 3-D Secure) are queued for after the commit.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.core.mail import mail_admins
from django.db import IntegrityError, transaction
from django.utils import timezone

from .gateways import GatewayResult, gateway_get
from .models import AttemptKind, AttemptStatus, PaymentAttempt, StripeEvent
from .services import succeeded_at
from .stripe_gateway import StripeObjectMissing

log = logging.getLogger(__name__)


def _gateway():
    return gateway_get("stripe")


def _key_of(obj) -> str:
    return ((obj.get("metadata") or {}).get("idempotency_key") or "") if hasattr(obj, "get") else ""


def _attempt_for(kind: str, obj, *references: str) -> PaymentAttempt | None:
    """Our attempt for a Stripe object: by its id, else by the idempotency key we put in its metadata
    (the event may arrive before our own call returned and recorded the id)."""
    qs = PaymentAttempt.objects.select_for_update().filter(kind=kind)
    for ref in references:
        if ref and (attempt := qs.filter(reference=ref).first()):
            return attempt
    if key := _key_of(obj):
        return qs.filter(idempotency_key=key).first()
    return None


def _attempt_answer(attempt: PaymentAttempt, result: GatewayResult) -> None:
    attempt.status = result.status
    if result.reference:
        attempt.reference = result.reference[:120]
    attempt.message = result.message[:300]
    attempt.code = result.code[:60]
    attempt.succeeded_at = succeeded_at(result)
    attempt.save(update_fields=["status", "reference", "message", "code", "succeeded_at", "updated_at"])


# --- handlers: (re-fetch outside the transaction) → apply inside it ---------------------------

def _payment_intent_fetch(obj):
    return _gateway().payment_intent_get(obj["id"])


def _payment_intent_apply(obj, fresh: GatewayResult) -> str:
    from pledges import services as pledges
    from pledges.models import PledgeStatus

    attempt = _attempt_for(AttemptKind.CHARGE, obj, obj["id"])
    if attempt is None:
        return "no charge of ours"
    before = attempt.status
    if fresh.status == AttemptStatus.SUCCEEDED and before != AttemptStatus.SUCCEEDED:
        pledge = attempt.pledge
        other_paid = pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED).exists()
        if other_paid or pledge.status not in (PledgeStatus.PENDING, PledgeStatus.SECURED,
                                                PledgeStatus.RETRYING):
            # E.g. 3-D Secure confirmed on an old PaymentIntent after another card paid: give it back.
            _attempt_answer(attempt, GatewayResult(status=fresh.status, reference=fresh.reference,
                                                   code="stray_payment", at=fresh.at,
                                                   message=f"Paid after the pledge was {pledge.status}"))
            from . import tasks

            attempt_id = attempt.pk
            transaction.on_commit(lambda: tasks.stray_payment_refund.delay(attempt_id))
            log.warning("Stray payment %s on pledge %s (%s): refunding it", obj["id"], pledge.pk, pledge.status)
            return f"stray payment on {pledge.status} pledge: refund queued"
        _attempt_answer(attempt, fresh)
    elif fresh.status == AttemptStatus.DECLINED and before in (AttemptStatus.STARTED, AttemptStatus.PENDING):
        _attempt_answer(attempt, fresh)
    elif before == AttemptStatus.STARTED and fresh.status == AttemptStatus.PENDING:
        _attempt_answer(attempt, fresh)
        return "pending"
    else:
        return f"no change ({before}, Stripe: {fresh.status})"
    pledges.pledge_charge_settle(pledge_id=attempt.pledge_id)
    return f"charge {before} → {attempt.status}"


def _setup_intent_fetch(obj):
    return _gateway().setup_intent_get(obj["id"])


def _setup_apply(attempt: PaymentAttempt | None, fresh: GatewayResult) -> str:
    from pledges import services as pledges

    if attempt is None:
        return "no card setup of ours"
    if attempt.status not in (AttemptStatus.STARTED, AttemptStatus.PENDING):
        return f"no change ({attempt.status})"
    if fresh.status == AttemptStatus.PENDING:
        return "still pending"
    _attempt_answer(attempt, fresh)
    pledge_id = attempt.pledge_id
    if fresh.status == AttemptStatus.SUCCEEDED:
        from . import tasks

        reference = fresh.reference
        transaction.on_commit(lambda: tasks.card_saved.delay(pledge_id, reference))
        return "card saved"
    pledges.pledge_decline(pledge_id=pledge_id)
    return "card setup failed: pledge declined"


def _setup_intent_apply(obj, fresh: GatewayResult) -> str:
    return _setup_apply(_attempt_for(AttemptKind.SAVE_CARD, obj, obj["id"]), fresh)


def _checkout_fetch(obj):
    session = _gateway().checkout_session_get(obj["id"])
    if session["setup_intent"] and session["status"] == "complete":
        return session, _gateway().setup_intent_get(session["setup_intent"])
    if session["status"] == "open":  # the backer is still on Checkout's page
        return session, GatewayResult(status="pending", reference=obj["id"], message="open")
    return session, GatewayResult(status="declined", reference=obj["id"], code="checkout_expired",
                                  message="The card page expired before the card was saved.")


def _checkout_apply(obj, fetched) -> str:
    session, fresh = fetched
    attempt = _attempt_for(AttemptKind.SAVE_CARD, session, obj["id"])
    if fresh.status == AttemptStatus.PENDING:  # "open": the event is older than the session's state
        return "session still open"
    return _setup_apply(attempt, fresh)


def checkout_session_refresh(*, session_id: str) -> str:
    """The backer is back from Checkout: apply the session's current state now rather than wait
    for `checkout.session.completed` (whichever comes first wins; the other changes nothing).
    The card-saved work is queued for after the commit, as for the event. Raises GatewayUnavailable."""
    fetched = _checkout_fetch({"id": session_id})
    with transaction.atomic():
        return _checkout_apply({"id": session_id}, fetched)


def payment_intent_refresh(*, payment_intent: str) -> str:
    """The backer is back from confirming a payment with their bank (Stripe.js): apply the
    PaymentIntent's current state now, as `payment_intent.succeeded` would (whichever comes first
    wins; the other changes nothing). Raises GatewayUnavailable."""
    fresh = _payment_intent_fetch({"id": payment_intent})
    with transaction.atomic():
        return _payment_intent_apply({"id": payment_intent}, fresh)


def _refund_fetch(obj):
    return _gateway().refund_get(obj["id"])


def _refund_apply(obj, fresh: GatewayResult) -> str:
    """A pledge's own refund (`pledge-<id>-refund`, `-refund-2`, ...) that succeeds is booked; one that
    is declined, or fails after it was booked (its booking then reversed), goes to the next attempt
    or, the attempts spent, to an admin (`pledge_refund_retry_plan`). Other refunds of ours (a stray
    payment's) that fail go to an admin at once."""
    from pledges.services import pledge_refund_failed, pledge_refund_retry_plan

    from .services import refund_number

    attempt = _attempt_for(AttemptKind.REFUND, obj, obj["id"])
    if attempt is None:
        _alert(f"Stripe refund {obj['id']} was not made by civicfund")
        return "refund not ours"
    own = refund_number(attempt.pledge_id, attempt.idempotency_key) is not None
    if attempt.status in (AttemptStatus.STARTED, AttemptStatus.PENDING) and fresh.status != AttemptStatus.PENDING:
        _attempt_answer(attempt, fresh)
        if fresh.status == AttemptStatus.SUCCEEDED and own:
            from pledges import tasks

            pledge_id = attempt.pledge_id
            transaction.on_commit(lambda: tasks.refund_pledge.delay(pledge_id))  # books it
        elif fresh.status == AttemptStatus.DECLINED and own:
            return f"refund {fresh.status}: {pledge_refund_retry_plan(pledge_id=attempt.pledge_id, failed=attempt)}"
        elif fresh.status == AttemptStatus.DECLINED:
            _alert(f"Refund {obj['id']} ({attempt.idempotency_key}) failed at Stripe: refund it by hand")
        return f"refund {fresh.status}"
    if attempt.status == AttemptStatus.SUCCEEDED and fresh.status == AttemptStatus.DECLINED:
        _attempt_answer(attempt, GatewayResult(status=AttemptStatus.DECLINED, reference=obj["id"],
                                               code="refund_failed",
                                               message=f"Failed at Stripe after it was booked: {fresh.message}"))
        if not own:
            _alert(f"Refund {obj['id']} ({attempt.idempotency_key}) failed at Stripe: refund it by hand")
            return "refund failed"
        pledge_refund_failed(pledge_id=attempt.pledge_id, refund_reference=obj["id"], key=attempt.idempotency_key)
        plan = pledge_refund_retry_plan(pledge_id=attempt.pledge_id, failed=attempt)
        return f"refund failed after booking: booking reversed; {plan}"
    return f"no change ({attempt.status})"


def _charge_refunded_apply(obj, _fresh) -> str:
    from django.db.models import Sum

    pi = obj.get("payment_intent") or ""
    pi = pi if isinstance(pi, str) else pi.get("id", "")
    charge = PaymentAttempt.objects.filter(kind=AttemptKind.CHARGE, reference=pi).first()
    if charge is None:
        return "no charge of ours"
    ours = PaymentAttempt.objects.filter(
        pledge_id=charge.pledge_id, kind=AttemptKind.REFUND,
        status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PENDING, AttemptStatus.STARTED],
    ).aggregate(total=Sum("amount"))["total"] or 0
    from .stripe_gateway import from_stripe_amount

    theirs = from_stripe_amount(obj.get("amount_refunded") or 0, obj["currency"].upper())
    if theirs > ours:
        _alert(f"Stripe refunded {theirs} of charge {pi} (pledge {charge.pledge_id}); civicfund "
               f"refunded {ours}: a refund was made outside civicfund")
        return f"refunded outside civicfund ({theirs} > {ours})"
    return "refund matches"


def _dispute_apply(obj, _fresh) -> str:
    """charge.dispute.created/updated/closed: the `Dispute` row follows Stripe's status. No money
    moves in the ledger while it is open; a lost dispute is booked at its close (see Dispute)."""
    from ledger import services as ledger
    from ledger.models import AccountKind, TransactionKind

    from .models import Dispute, DisputeStatus
    from .stripe_gateway import from_stripe_amount

    pi = obj.get("payment_intent") or ""
    pi = pi if isinstance(pi, str) else pi.get("id", "")
    charge = PaymentAttempt.objects.filter(kind=AttemptKind.CHARGE, reference=pi).select_related(
        "pledge__campaign__platform").first() if pi else None
    currency = (obj.get("currency") or "").upper()
    status = obj.get("status") or DisputeStatus.NEEDS_RESPONSE
    dispute, created = Dispute.objects.select_for_update().get_or_create(
        dispute_id=obj["id"], defaults={
            "pledge": charge.pledge if charge else None, "payment_intent": pi[:120],
            "amount": from_stripe_amount(int(obj.get("amount") or 0), currency), "currency": currency,
            "reason": (obj.get("reason") or "")[:60], "status": status})
    who = f"pledge {charge.pledge_id}" if charge else f"payment {pi or obj.get('charge')}"
    if created:
        _alert(f"Dispute {obj['id']} opened on {who}: {dispute.reason}, {dispute.amount} {currency}")
    closed = status in (DisputeStatus.WON, DisputeStatus.LOST, DisputeStatus.WARNING_CLOSED)
    if dispute.closed_at is None and status != dispute.status or created:
        dispute.status = status
        if closed:
            dispute.closed_at = timezone.now()
        dispute.save(update_fields=["status", "closed_at", "updated_at"])
        if status == DisputeStatus.LOST and dispute.amount and charge is not None:
            platform = charge.pledge.campaign.platform
            ledger.transaction_record(
                kind=TransactionKind.DISPUTE_LOST, key=f"dispute-{dispute.dispute_id}-lost",
                campaign=charge.pledge.campaign, memo=f"Dispute {dispute.dispute_id} lost",
                legs=[ledger.Leg(ledger.platform_account(AccountKind.FEES, platform), -dispute.amount),
                      ledger.Leg(ledger.platform_account(AccountKind.CARD_NETWORK, platform), dispute.amount,
                                 charge.pledge_id)])
    return f"dispute on {who}: {dispute.status}"


def _account_fetch(obj):
    return _gateway().connect_account_get(obj["id"])


def _account_apply(obj, fresh: dict) -> str:
    from payouts.models import StripeConnectAccount

    account = StripeConnectAccount.objects.select_for_update().filter(account_id=obj["id"]).first()
    if account is None:
        return "not an owner's account"
    was_ready = account.ready
    account.charges_enabled = fresh["charges_enabled"]
    account.payouts_enabled = fresh["payouts_enabled"]
    account.details_submitted = fresh["details_submitted"]
    account.save(update_fields=["charges_enabled", "payouts_enabled", "details_submitted", "updated_at"])
    if account.ready and not was_ready:
        from payouts import tasks

        transaction.on_commit(lambda: tasks.release_due_payouts.delay())  # payouts that waited
    return f"payouts_enabled={account.payouts_enabled}"


def _payout_for(obj):
    from payouts.models import Payout

    qs = Payout.objects.filter(reference=obj["id"])
    if not qs.exists() and (key := _key_of(obj)):
        qs = Payout.objects.filter(idempotency_key=key)
    return qs.first()


def _transfer_created_apply(obj, _fresh) -> str:
    from payouts.models import PayoutStatus
    from payouts.services import payout_confirm

    payout = _payout_for(obj)
    if payout is None:
        return "not a payout of ours"
    if payout.status == PayoutStatus.PROCESSING:
        payout_confirm(payout_id=payout.pk, reference=obj["id"])
        return "payout confirmed"
    return f"no change ({payout.status})"


def _transfer_reversed_apply(obj, _fresh) -> str:
    from payouts.services import payout_reversal_record

    from .stripe_gateway import from_stripe_amount

    payout = _payout_for(obj)
    if payout is None:
        _alert(f"Transfer {obj['id']} (not ours) was reversed")
        return "not a payout of ours"
    reversed_total = from_stripe_amount(int(obj.get("amount_reversed") or 0), obj["currency"].upper())
    payout = payout_reversal_record(payout_id=payout.pk, reversed_total=reversed_total)
    _alert(f"Transfer {obj['id']} of payout {payout.pk} was reversed: {payout.reversed_amount} of "
           f"{payout.amount} {payout.currency} back in the platform balance")
    return f"transfer reversed: {payout.reversed_amount}"


Handler = tuple[Callable | None, Callable]
HANDLERS: dict[str, Handler] = {
    "payment_intent.succeeded": (_payment_intent_fetch, _payment_intent_apply),
    "payment_intent.payment_failed": (_payment_intent_fetch, _payment_intent_apply),
    "payment_intent.canceled": (_payment_intent_fetch, _payment_intent_apply),
    "payment_intent.processing": (_payment_intent_fetch, _payment_intent_apply),
    "setup_intent.succeeded": (_setup_intent_fetch, _setup_intent_apply),
    "setup_intent.setup_failed": (_setup_intent_fetch, _setup_intent_apply),
    "checkout.session.completed": (_checkout_fetch, _checkout_apply),
    "checkout.session.expired": (_checkout_fetch, _checkout_apply),
    "charge.refunded": (None, _charge_refunded_apply),
    "refund.created": (_refund_fetch, _refund_apply),
    "refund.updated": (_refund_fetch, _refund_apply),
    "refund.failed": (_refund_fetch, _refund_apply),
    "charge.dispute.created": (None, _dispute_apply),
    "charge.dispute.updated": (None, _dispute_apply),
    "charge.dispute.closed": (None, _dispute_apply),
    "account.updated": (_account_fetch, _account_apply),
    "transfer.created": (None, _transfer_created_apply),
    "transfer.reversed": (None, _transfer_reversed_apply),
}


def _alert(message: str) -> None:
    log.error(message)
    transaction.on_commit(lambda: mail_admins("Stripe needs attention", message, fail_silently=True))


def stripe_event_apply(*, event_id: str, type: str, created: int, obj) -> str:
    """Apply one verified Stripe event once; return what it did ("duplicate" for a replay).

    The event row and the effects commit together: an event whose effects failed is not recorded,
    so Stripe's redelivery tries again. Raises GatewayUnavailable when the re-fetch finds Stripe down.
    When the re-fetch finds the object gone (404: test data deleted, another account's object),
    redelivery cannot help: the event is recorded, not applied, with a note, and the admins alerted.
    """
    if StripeEvent.objects.filter(event_id=event_id).exists():
        return "duplicate"
    fetch, apply = HANDLERS.get(type, (None, None))
    object_id = (obj.get("id") or "")[:80] if hasattr(obj, "get") else ""
    missing = ""
    try:
        fresh = fetch(obj) if fetch else None
    except StripeObjectMissing as exc:
        fresh, missing = None, str(exc) or "404"
    try:
        with transaction.atomic():
            event = StripeEvent.objects.create(
                event_id=event_id, type=type[:80], object_id=object_id,
                created=dt.datetime.fromtimestamp(int(created or 0), tz=dt.UTC) if created else timezone.now())
            if missing:
                note = f"not applied: Stripe no longer has {object_id or 'its object'} ({missing})"
                _alert(f"Stripe event {event_id} ({type}) is about {object_id}, which Stripe no longer has "
                       f"({missing}): recorded, not applied. Check whether anything of ours depended on it.")
            else:
                note = apply(obj, fresh) if apply else "ignored"
            event.note = note[:300]
            event.save(update_fields=["note"])
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event_id).exists():
            return "duplicate"  # a concurrent delivery of the same event won
        raise
    return note
