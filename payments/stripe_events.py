"""Applying Stripe webhook events, each exactly once (part of the Stripe adapter).

`stripe_event_apply` stores the event id (unique) in the same database transaction as the event's
effects, so a replayed delivery changes nothing, and a crash leaves neither. Where the order of events
matters (intents, refunds, accounts), the object is re-fetched from Stripe first and its current state
is applied, so a late `payment_failed` after a `succeeded` cannot undo the payment. This module turns
Stripe's objects into our attempt rows' answers and provider-neutral events (payments.events), which
the apps that own pledges and payouts handle; effects that call Stripe again (charging a card saved by
3-D Secure) are queued by those handlers for after the commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from core.alerts import admins_alert

from . import events
from .gateways import GatewayResult
from .models import AttemptKind, AttemptStatus, Dispute, DisputeStatus, PaymentAttempt, StripeEvent
from .services import attempt_answer
from .stripe_client import StripeObjectMissing, from_stripe_amount
from .stripe_gateway import StripeGateway

log = logging.getLogger(__name__)
StripeObject = dict[str, Any]


def _gateway() -> StripeGateway:
    return StripeGateway()


def _key_of(obj: Any) -> str:
    return ((obj.get("metadata") or {}).get("idempotency_key") or "") if hasattr(obj, "get") else ""


def _attempt_for(kind: str, key: str, *references: str) -> PaymentAttempt | None:
    """Our attempt for a Stripe object, row-locked: by its id, else by the idempotency key we put in its
    metadata (the event may arrive before our own call returned and recorded the id)."""
    qs = PaymentAttempt.objects.select_for_update().filter(kind=kind)
    for ref in references:
        if ref and (attempt := qs.filter(reference=ref).first()):
            return attempt
    if key:
        return qs.filter(idempotency_key=key).first()
    return None


def _alert(message: str) -> None:
    admins_alert(message, subject="Stripe needs attention")


# --- handlers: (re-fetch outside the transaction) → apply inside it ---------------------------


def _payment_intent_fetch(obj: StripeObject) -> GatewayResult:
    return _gateway().charge_get(obj["id"])


def _payment_intent_apply(obj: StripeObject, fresh: GatewayResult) -> str:
    attempt = _attempt_for(AttemptKind.CHARGE, _key_of(obj), obj["id"])
    if attempt is None:
        return "no charge of ours"
    return events.event_dispatch(events.CHARGE_UPDATED, attempt=attempt, fresh=fresh)


def _setup_intent_fetch(obj: StripeObject) -> GatewayResult:
    return _gateway().card_setup_get(obj["id"])


def _setup_apply(attempt: PaymentAttempt | None, fresh: GatewayResult) -> str:
    if attempt is None:
        return "no card setup of ours"
    if attempt.status not in (AttemptStatus.STARTED, AttemptStatus.PENDING):
        return f"no change ({attempt.status})"
    if fresh.status == AttemptStatus.PENDING:
        return "still pending"
    attempt_answer(attempt, fresh)
    return events.event_dispatch(events.CARD_SETUP_ANSWERED, attempt=attempt, fresh=fresh)


def _setup_intent_apply(obj: StripeObject, fresh: GatewayResult) -> str:
    return _setup_apply(_attempt_for(AttemptKind.SAVE_CARD, _key_of(obj), obj["id"]), fresh)


def _checkout_fetch(obj: StripeObject) -> tuple[Any, GatewayResult]:
    session = _gateway().card_page_get(obj["id"])
    if session.setup_reference and session.status == "complete":
        return session, _gateway().card_setup_get(session.setup_reference)
    if session.status == "open":  # the backer is still on Checkout's page
        return session, GatewayResult(status="pending", reference=obj["id"], message="open")
    return session, GatewayResult(
        status="declined",
        reference=obj["id"],
        code="checkout_expired",
        message="The card page expired before the card was saved.",
    )


def _checkout_apply(obj: StripeObject, fetched: tuple[Any, GatewayResult]) -> str:
    session, fresh = fetched
    attempt = _attempt_for(AttemptKind.SAVE_CARD, session.key, obj["id"])
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


def _refund_fetch(obj: StripeObject) -> GatewayResult:
    return _gateway().refund_get(obj["id"])


def _refund_apply(obj: StripeObject, fresh: GatewayResult) -> str:
    attempt = _attempt_for(AttemptKind.REFUND, _key_of(obj), obj["id"])
    if attempt is None:
        _alert(f"Stripe refund {obj['id']} was not made by civicfund")
        return "refund not ours"
    return events.event_dispatch(events.REFUND_UPDATED, attempt=attempt, fresh=fresh, reference=obj["id"])


def _charge_refunded_apply(obj: StripeObject, _fresh: object) -> str:
    pi = obj.get("payment_intent") or ""
    pi = pi if isinstance(pi, str) else pi.get("id", "")
    charge = PaymentAttempt.objects.filter(kind=AttemptKind.CHARGE, reference=pi).first()
    if charge is None:
        return "no charge of ours"
    ours = (
        PaymentAttempt.objects.filter(
            pledge_id=charge.pledge_id,
            kind=AttemptKind.REFUND,
            status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PENDING, AttemptStatus.STARTED],
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    theirs = from_stripe_amount(obj.get("amount_refunded") or 0, obj["currency"].upper())
    if theirs > ours:
        _alert(
            f"Stripe refunded {theirs} of charge {pi} (pledge {charge.pledge_id}); civicfund "
            f"refunded {ours}: a refund was made outside civicfund"
        )
        return f"refunded outside civicfund ({theirs} > {ours})"
    return "refund matches"


def _dispute_apply(obj: StripeObject, _fresh: object) -> str:
    """charge.dispute.created/updated/closed: the `Dispute` row follows Stripe's status. No money
    moves in the ledger while it is open; a lost dispute is booked at its close (the DISPUTE_LOST
    event's handler, see Dispute)."""
    pi = obj.get("payment_intent") or ""
    pi = pi if isinstance(pi, str) else pi.get("id", "")
    charge = PaymentAttempt.objects.filter(kind=AttemptKind.CHARGE, reference=pi).first() if pi else None
    currency = (obj.get("currency") or "").upper()
    status = obj.get("status") or DisputeStatus.NEEDS_RESPONSE
    dispute, created = Dispute.objects.select_for_update().get_or_create(
        dispute_id=obj["id"],
        defaults={
            "pledge_id": charge.pledge_id if charge else None,
            "payment_intent": pi[:120],
            "amount": from_stripe_amount(int(obj.get("amount") or 0), currency),
            "currency": currency,
            "reason": (obj.get("reason") or "")[:60],
            "status": status,
        },
    )
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
            events.event_dispatch(events.DISPUTE_LOST, dispute=dispute, charge=charge)
    return f"dispute on {who}: {dispute.status}"


def _account_fetch(obj: StripeObject) -> Any:
    return _gateway().payout_account_get(obj["id"])


def _account_apply(obj: StripeObject, fresh: Any) -> str:
    return events.event_dispatch(events.PAYOUT_ACCOUNT_UPDATED, state=fresh)


def _transfer_created_apply(obj: StripeObject, _fresh: object) -> str:
    return events.event_dispatch(events.TRANSFER_CREATED, reference=obj["id"], key=_key_of(obj))


def _transfer_reversed_apply(obj: StripeObject, _fresh: object) -> str:
    reversed_total = from_stripe_amount(int(obj.get("amount_reversed") or 0), obj["currency"].upper())
    return events.event_dispatch(
        events.TRANSFER_REVERSED, reference=obj["id"], key=_key_of(obj), reversed_total=reversed_total
    )


Handler = tuple[Callable[[StripeObject], Any] | None, Callable[[StripeObject, Any], str]]
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


def stripe_event_apply(*, event_id: str, type: str, created: int | None, obj: StripeObject) -> str:
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
                event_id=event_id,
                type=type[:80],
                object_id=object_id,
                created=dt.datetime.fromtimestamp(int(created or 0), tz=dt.UTC) if created else timezone.now(),
            )
            if missing:
                note = f"not applied: Stripe no longer has {object_id or 'its object'} ({missing})"
                _alert(
                    f"Stripe event {event_id} ({type}) is about {object_id}, which Stripe no longer has "
                    f"({missing}): recorded, not applied. Check whether anything of ours depended on it."
                )
            else:
                note = apply(obj, fresh) if apply else "ignored"
            event.note = note[:300]
            event.save(update_fields=["note"])
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event_id).exists():
            return "duplicate"  # a concurrent delivery of the same event won
        raise
    return note


class StripeAdapter(StripeGateway):
    """The Stripe adapter the port loads (payments.gateways.ADAPTERS): StripeGateway's calls, and the
    refreshes that apply an object's current state as its event would."""

    def card_page_refresh(self, reference: str) -> str:
        return checkout_session_refresh(session_id=reference)

    def charge_refresh(self, reference: str) -> str:
        return payment_intent_refresh(payment_intent=reference)
