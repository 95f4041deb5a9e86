"""Calls to the payment provider, each made at most once per idempotency key."""
from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.db.models import Sum

from civicfund.errors import ApplicationError

from .gateways import GatewayResult, gateway_for, gateway_get
from .models import AttemptKind, AttemptStatus, PaymentAttempt


def attempt_run(*, kind: str, pledge, amount: int, key: str, call: Callable[..., GatewayResult],
                gateway=None) -> PaymentAttempt:
    """Make the provider call `call(idempotency_key=key)` unless an attempt with `key` has an answer.

    Must run outside any database transaction: the attempt row is committed before the call, so a
    crash after the provider acted leaves a row that the retry resumes with the same key (the provider
    then returns its first answer). Raises GatewayUnavailable when the provider does not answer; the
    attempt stays `started` for a retry.
    """
    gateway = gateway or gateway_for(pledge.campaign.platform)
    attempt, _ = PaymentAttempt.objects.get_or_create(
        idempotency_key=key,
        defaults={"kind": kind, "pledge": pledge, "amount": amount, "currency": pledge.currency,
                  "gateway": gateway.name},
    )
    if attempt.status != AttemptStatus.STARTED:
        return attempt
    result = call(idempotency_key=key)
    PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.STARTED).update(
        status=result.status, reference=result.reference[:120], message=result.message[:300],
        code=result.code[:60]
    )
    attempt.refresh_from_db()
    return attempt


class RefundExceedsCharge(ApplicationError):
    code = "refund_exceeds_charge"


def card_save(*, pledge, card: str, key: str | None = None) -> PaymentAttempt:
    """Save the backer's card with the pledge's gateway (`key`: a later attempt's own key)."""
    gateway = gateway_for(pledge.campaign.platform)
    return attempt_run(
        kind=AttemptKind.SAVE_CARD, pledge=pledge, amount=0, key=key or f"pledge-{pledge.pk}-card",
        gateway=gateway,
        call=lambda idempotency_key: gateway.save_card(
            card=card, customer=f"user-{pledge.backer_id}", idempotency_key=idempotency_key),
    )


def pledge_charge_call(*, pledge, off_session: bool = False, key: str | None = None,
                       payment_method: str | None = None) -> PaymentAttempt:
    """Charge a pledge once per key: `pledge-<id>-charge`, or a retry-window attempt's own key.
    Charges carry the campaign's group (Stripe's transfer_group) for its later payouts."""
    gateway = gateway_for(pledge.campaign.platform)
    method = payment_method or pledge.payment_method
    return attempt_run(
        kind=AttemptKind.CHARGE, pledge=pledge, amount=pledge.amount,
        key=key or f"pledge-{pledge.pk}-charge", gateway=gateway,
        call=lambda idempotency_key: gateway.charge(
            payment_method=method, amount=pledge.amount, currency=pledge.currency,
            idempotency_key=idempotency_key, off_session=off_session,
            group=f"campaign-{pledge.campaign_id}"),
    )


def pledge_refund_call(*, pledge) -> PaymentAttempt:
    """Refund a pledge's charge in full, through the gateway that charged it, once
    (`pledge-<id>-refund`). Refuses, before any provider call, a refund that would take back more
    than was charged (a provider may not refuse it: the local fake Stripe does not)."""
    charge = PaymentAttempt.objects.get(
        pledge=pledge, kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED
    )
    key = f"pledge-{pledge.pk}-refund"
    refunded = PaymentAttempt.objects.filter(
        pledge=pledge, kind=AttemptKind.REFUND,
        status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PENDING, AttemptStatus.STARTED],
    ).exclude(idempotency_key=key).aggregate(total=Sum("amount"))["total"] or 0
    if refunded + pledge.amount > charge.amount:
        raise RefundExceedsCharge(
            f"Pledge {pledge.pk}: refunding {pledge.amount} after {refunded} would exceed the "
            f"charge of {charge.amount}.")
    gateway = gateway_get(charge.gateway)
    return attempt_run(
        kind=AttemptKind.REFUND, pledge=pledge, amount=pledge.amount, key=key, gateway=gateway,
        call=lambda idempotency_key: gateway.refund(
            charge=charge.reference, amount=pledge.amount, currency=pledge.currency,
            idempotency_key=idempotency_key),
    )


def stray_payment_refund(*, charge_attempt_id: int) -> PaymentAttempt:
    """Give back a stray payment: a charge that succeeded for a pledge already paid by another charge
    or already ended (e.g. 3-D Secure confirmed on an old PaymentIntent after another card paid). The
    whole charge is refunded once, with its own key (`<charge key>-stray-refund`); the money never
    reached the campaign's escrow, so the ledger is not touched, and the two attempt rows (charge
    `stray_payment`, refund `stray_refund`) are its record, which `reconcile_stripe` checks.
    Raises GatewayUnavailable (the task retries with the same key)."""
    charge = PaymentAttempt.objects.select_related("pledge").get(pk=charge_attempt_id)
    if charge.kind != AttemptKind.CHARGE or charge.status != AttemptStatus.SUCCEEDED or charge.code != "stray_payment":
        raise ValueError(f"Attempt {charge_attempt_id} is not a stray payment")
    gateway = gateway_get(charge.gateway)
    refund = attempt_run(
        kind=AttemptKind.REFUND, pledge=charge.pledge, amount=charge.amount,
        key=f"{charge.idempotency_key}-stray-refund", gateway=gateway,
        call=lambda idempotency_key: gateway.refund(
            charge=charge.reference, amount=charge.amount, currency=charge.currency,
            idempotency_key=idempotency_key))
    PaymentAttempt.objects.filter(pk=refund.pk).exclude(code="refund_failed").update(code="stray_refund")
    refund.refresh_from_db()
    return refund


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
