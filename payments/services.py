"""Calls to the payment provider, each made at most once per idempotency key."""
from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from .gateways import GatewayResult, gateway_get
from .models import AttemptKind, AttemptStatus, PaymentAttempt


def attempt_run(*, kind: str, pledge, amount: int, key: str, call: Callable[..., GatewayResult]) -> PaymentAttempt:
    """Make the provider call `call(idempotency_key=key)` unless an attempt with `key` has an answer.

    Must run outside any database transaction: the attempt row is committed before the call, so a
    crash after the provider acted leaves a row that the retry resumes with the same key (the provider
    then returns its first answer). Raises GatewayUnavailable when the provider does not answer; the
    attempt stays `started` for a retry.
    """
    gateway = gateway_get()
    attempt, _ = PaymentAttempt.objects.get_or_create(
        idempotency_key=key,
        defaults={"kind": kind, "pledge": pledge, "amount": amount, "currency": pledge.currency,
                  "gateway": gateway.name},
    )
    if attempt.status != AttemptStatus.STARTED:
        return attempt
    result = call(idempotency_key=key)
    PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.STARTED).update(
        status=result.status, reference=result.reference, message=result.message[:300]
    )
    attempt.refresh_from_db()
    return attempt


def card_save(*, pledge, card: str) -> PaymentAttempt:
    gateway = gateway_get()
    return attempt_run(
        kind=AttemptKind.SAVE_CARD, pledge=pledge, amount=0, key=f"pledge-{pledge.pk}-card",
        call=lambda idempotency_key: gateway.save_card(
            card=card, customer=f"user-{pledge.backer_id}", idempotency_key=idempotency_key),
    )


def pledge_charge_call(*, pledge, off_session: bool = False) -> PaymentAttempt:
    gateway = gateway_get()
    return attempt_run(
        kind=AttemptKind.CHARGE, pledge=pledge, amount=pledge.amount, key=f"pledge-{pledge.pk}-charge",
        call=lambda idempotency_key: gateway.charge(
            payment_method=pledge.payment_method, amount=pledge.amount, currency=pledge.currency,
            idempotency_key=idempotency_key, off_session=off_session),
    )


def pledge_refund_call(*, pledge) -> PaymentAttempt:
    charge = PaymentAttempt.objects.get(
        pledge=pledge, kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED
    )
    gateway = gateway_get()
    return attempt_run(
        kind=AttemptKind.REFUND, pledge=pledge, amount=pledge.amount, key=f"pledge-{pledge.pk}-refund",
        call=lambda idempotency_key: gateway.refund(
            charge=charge.reference, amount=pledge.amount, currency=pledge.currency,
            idempotency_key=idempotency_key),
    )


def payment_callback_handle(*, reference: str, status: str) -> PaymentAttempt | None:
    """A provider's late answer for a pending charge. Replays and unknown references change nothing."""
    from pledges import services as pledge_services

    if status not in (AttemptStatus.SUCCEEDED, AttemptStatus.DECLINED):
        raise ValueError(f"Unknown payment status {status!r}")
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().filter(reference=reference).first()
        if attempt is None:
            return None
        if attempt.status == AttemptStatus.PENDING:
            attempt.status = status
            attempt.save(update_fields=["status", "updated_at"])
    if attempt.kind == AttemptKind.CHARGE:
        pledge_services.pledge_charge_settle(pledge_id=attempt.pledge_id)
    return attempt
