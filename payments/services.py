"""Calls to the payment provider, each made at most once per idempotency key."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.errors import ApplicationError

from . import events
from .gateways import GatewayResult, PaymentGateway, ProviderObjectMissing, gateway_for, gateway_get
from .models import AttemptKind, AttemptStatus, PaymentAttempt

log = logging.getLogger(__name__)


class Payable(Protocol):
    """What the port's services need of a pledge (payments imports no domain app: see docs/architecture.md)."""

    pk: int
    amount: int
    currency: str
    backer_id: int
    campaign_id: int
    payment_method: str

    @property
    def campaign(self) -> Any: ...


def attempt_run(
    *,
    kind: str,
    pledge: Payable,
    amount: int,
    key: str,
    call: Callable[..., GatewayResult],
    gateway: PaymentGateway | None = None,
) -> PaymentAttempt:
    """Make the provider call `call(idempotency_key=key)` unless an attempt with `key` has an answer.

    Must run outside any database transaction: the attempt row is committed before the call, so a
    crash after the provider acted leaves a row that the retry resumes with the same key (the provider
    then returns its first answer). Raises GatewayUnavailable when the provider does not answer; the
    attempt stays `started` for a retry.
    """
    gateway = gateway or gateway_for(pledge.campaign.platform)
    attempt, _ = PaymentAttempt.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "kind": kind,
            "pledge": pledge,
            "amount": amount,
            "currency": pledge.currency,
            "gateway": gateway.name,
        },
    )
    if attempt.status != AttemptStatus.STARTED:
        return attempt
    result = call(idempotency_key=key)
    PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.STARTED).update(
        status=result.status,
        reference=result.reference[:120],
        message=result.message[:300],
        code=result.code[:60],
        succeeded_at=succeeded_at(result),
    )
    attempt.refresh_from_db()
    return attempt


def attempt_answer(attempt: PaymentAttempt, result: GatewayResult) -> None:
    """Record the provider's answer on an attempt (caller holds its row lock, in its transaction)."""
    attempt.status = result.status
    if result.reference:
        attempt.reference = result.reference[:120]
    attempt.message = result.message[:300]
    attempt.code = result.code[:60]
    attempt.succeeded_at = succeeded_at(result)
    attempt.save(update_fields=["status", "reference", "message", "code", "succeeded_at", "updated_at"])


def succeeded_at(result: GatewayResult) -> dt.datetime | None:
    """When a successful answer counts from: the provider's own time when it gives one, else now
    (the answer has just reached us). None for any other answer."""
    if result.status != AttemptStatus.SUCCEEDED:
        return None
    return result.at or timezone.now()


class RefundExceedsCharge(ApplicationError):
    code = "refund_exceeds_charge"


def card_save(*, pledge: Payable, card: str, key: str | None = None) -> PaymentAttempt:
    """Save the backer's card with the pledge's gateway (`key`: a later attempt's own key)."""
    gateway = gateway_for(pledge.campaign.platform)
    return attempt_run(
        kind=AttemptKind.SAVE_CARD,
        pledge=pledge,
        amount=0,
        key=key or f"pledge-{pledge.pk}-card",
        gateway=gateway,
        call=lambda idempotency_key: gateway.save_card(
            card=card, customer=f"user-{pledge.backer_id}", idempotency_key=idempotency_key
        ),
    )


def pledge_charge_call(
    *, pledge: Payable, off_session: bool = False, key: str | None = None, payment_method: str | None = None
) -> PaymentAttempt:
    """Charge a pledge once per key: `pledge-<id>-charge`, or a retry-window attempt's own key.
    Charges carry the campaign's group (Stripe's transfer_group) for its later payouts."""
    gateway = gateway_for(pledge.campaign.platform)
    method = payment_method or pledge.payment_method
    return attempt_run(
        kind=AttemptKind.CHARGE,
        pledge=pledge,
        amount=pledge.amount,
        key=key or f"pledge-{pledge.pk}-charge",
        gateway=gateway,
        call=lambda idempotency_key: gateway.charge(
            payment_method=method,
            amount=pledge.amount,
            currency=pledge.currency,
            idempotency_key=idempotency_key,
            off_session=off_session,
            group=f"campaign-{pledge.campaign_id}",
        ),
    )


def pledge_charge_cancel(*, attempt: PaymentAttempt) -> PaymentAttempt:
    """Cancel a charge that waits for the backer (Stripe: a PaymentIntent in `requires_action`) and
    record the provider's answer on its attempt: declined (`canceled`), or succeeded when the backer
    confirmed it first, which the caller then settles. The attempt is marked declined before the
    call, so a `payment_intent.canceled` event racing with it finds nothing to do; a success still
    applies. A payment Stripe no longer has (404: test data deleted) can take no money either: it
    stays declined (code `payment_missing`), so its pledge can still end. Runs outside any
    transaction. Raises GatewayUnavailable (the attempt stays as it was)."""
    gateway = gateway_get(attempt.gateway)
    if attempt.kind != AttemptKind.CHARGE or attempt.status != AttemptStatus.PENDING:
        return attempt
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status != AttemptStatus.PENDING:
            return attempt
        before = (attempt.status, attempt.code, attempt.message)
        PaymentAttempt.objects.filter(pk=attempt.pk).update(
            status=AttemptStatus.DECLINED, code="canceled", message="Not confirmed: cancelled"
        )
    try:
        result = gateway.charge_cancel(attempt.reference, idempotency_key=f"{attempt.idempotency_key}-cancel")
    except ProviderObjectMissing:
        log.error(
            "Stripe no longer has payment %s (%s): treated as cancelled", attempt.reference, attempt.idempotency_key
        )
        PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.DECLINED, code="canceled").update(
            code="payment_missing", message="Not confirmed: Stripe no longer has this payment"
        )
        attempt.refresh_from_db()
        return attempt
    except Exception:
        PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.DECLINED, code="canceled").update(
            status=before[0], code=before[1], message=before[2]
        )
        raise
    if result.status != AttemptStatus.DECLINED:  # confirmed meanwhile (or still processing)
        PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.DECLINED, code="canceled").update(
            status=result.status, code=result.code[:60], message=result.message[:300], succeeded_at=succeeded_at(result)
        )
    attempt.refresh_from_db()
    return attempt


# A pledge's own full refunds are numbered: attempt 1 is `pledge-<id>-refund`, a retry after it failed
# `pledge-<id>-refund-2`, and so on. The key names the attempt row, the provider's idempotency key and
# metadata, and the ledger transaction that books it (its reversal, if the provider fails it later:
# `<key>-failed`). Other refunds of a pledge (a stray payment's, `...-stray-refund`) are not numbered.
_REFUND_KEY = re.compile(r"pledge-(\d+)-refund(?:-(\d+))?")

# Declines of a refund that another attempt cannot mend: they go to an admin at once.
REFUND_NOT_RETRIED = frozenset({"refund_exceeds_charge"})


def refund_key(pledge_id: int, number: int = 1) -> str:
    return f"pledge-{pledge_id}-refund" if number == 1 else f"pledge-{pledge_id}-refund-{number}"


def refund_number(pledge_id: int, key: str) -> int | None:
    """Which attempt of pledge `pledge_id`'s own refunds `key` is; None for any other key."""
    match = _REFUND_KEY.fullmatch(key)
    if match is None or int(match.group(1)) != pledge_id:
        return None
    number = int(match.group(2) or 1)
    return number if number >= 1 and key == refund_key(pledge_id, number) else None


def pledge_refund_number(*, pledge_id: int) -> int:
    """The number of a pledge's latest own refund attempt (1 before any)."""
    keys = PaymentAttempt.objects.filter(
        pledge_id=pledge_id,
        kind=AttemptKind.REFUND,
        idempotency_key__startswith=refund_key(pledge_id),
    ).values_list("idempotency_key", flat=True)
    return max((n for key in keys if (n := refund_number(pledge_id, key))), default=1)


def pledge_refund_call(*, pledge: Payable, number: int | None = None) -> PaymentAttempt:
    """Refund a pledge's charge in full, through the gateway that charged it, once per attempt
    (`number`, default the latest: `pledge-<id>-refund`, then `pledge-<id>-refund-2`, ...). Refuses,
    before any provider call, a refund that would take back more than was charged, counting the
    pledge's other refunds that succeeded or may still succeed (a declined or failed one does not
    count): RefundExceedsCharge. The provider is also told what was charged, so that refunds it holds
    which we have no row for count too (a provider may not refuse: the local fake Stripe does not)."""
    charge = PaymentAttempt.objects.get(pledge_id=pledge.pk, kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED)
    key = refund_key(pledge.pk, number or pledge_refund_number(pledge_id=pledge.pk))
    refunded = (
        PaymentAttempt.objects.filter(
            pledge_id=pledge.pk,
            kind=AttemptKind.REFUND,
            status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PENDING, AttemptStatus.STARTED],
        )
        .exclude(idempotency_key=key)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    if refunded + pledge.amount > charge.amount:
        raise RefundExceedsCharge(
            f"Pledge {pledge.pk}: refunding {pledge.amount} after {refunded} would exceed the "
            f"charge of {charge.amount}."
        )
    gateway = gateway_get(charge.gateway)
    return attempt_run(
        kind=AttemptKind.REFUND,
        pledge=pledge,
        amount=pledge.amount,
        key=key,
        gateway=gateway,
        call=lambda idempotency_key: gateway.refund(
            charge=charge.reference,
            amount=pledge.amount,
            currency=pledge.currency,
            idempotency_key=idempotency_key,
            charged=charge.amount,
        ),
    )


def pledge_part_refund_call(*, pledge: Payable, amount: int, key: str) -> PaymentAttempt:
    """Give back `amount` of a pledge's charge to its card (e.g. a pre-sale claim's compensation), once
    per `key` (the caller's own, never a numbered `pledge-<id>-refund`), through the gateway that
    charged it. Refuses, before any provider call, more than the charge minus the pledge's other
    refunds that succeeded or may still succeed: RefundExceedsCharge. Must run outside a database
    transaction (see attempt_run). Raises GatewayUnavailable: a retry with the same key resumes it."""
    charge = PaymentAttempt.objects.get(pledge_id=pledge.pk, kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED)
    refunded = (
        PaymentAttempt.objects.filter(
            pledge_id=pledge.pk,
            kind=AttemptKind.REFUND,
            status__in=[AttemptStatus.SUCCEEDED, AttemptStatus.PENDING, AttemptStatus.STARTED],
        )
        .exclude(idempotency_key=key)
        .aggregate(total=Sum("amount"))["total"]
        or 0
    )
    if not 0 < amount or refunded + amount > charge.amount:
        raise RefundExceedsCharge(
            f"Pledge {pledge.pk}: giving back {amount} after {refunded} would exceed the charge of {charge.amount}."
        )
    gateway = gateway_get(charge.gateway)
    return attempt_run(
        kind=AttemptKind.REFUND,
        pledge=pledge,
        amount=amount,
        key=key,
        gateway=gateway,
        call=lambda idempotency_key: gateway.refund(
            charge=charge.reference,
            amount=amount,
            currency=pledge.currency,
            idempotency_key=idempotency_key,
            charged=charge.amount,
        ),
    )


def refund_fetch(*, attempt: PaymentAttempt) -> GatewayResult:
    """The provider's current word on a refund attempt that answered `pending` (asked again by its
    reference, through the gateway that made it). Outside any transaction. Raises GatewayUnavailable."""
    return gateway_get(attempt.gateway).refund_get(attempt.reference)


def refunds_pending(*, answered_before: dt.datetime) -> Any:
    """Refund attempts the provider answered `pending` (with a reference to ask about) before
    `answered_before`, oldest first: for the jobs that ask again (pledges' own refunds, claims' payments)."""
    return (
        PaymentAttempt.objects.filter(
            kind=AttemptKind.REFUND, status=AttemptStatus.PENDING, updated_at__lt=answered_before
        )
        .exclude(reference="")
        .order_by("id")
    )


def refund_answer_late(*, attempt_id: int, fresh: GatewayResult) -> PaymentAttempt:
    """Record the provider's later word (`refund_fetch`) on a refund attempt still `pending`: joins the
    caller's transaction, the attempt row-locked; an attempt already answered is left as it is."""
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.status == AttemptStatus.PENDING and fresh.status != AttemptStatus.PENDING:
            attempt_answer(attempt, fresh)
    return attempt


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
        kind=AttemptKind.REFUND,
        pledge=charge.pledge,
        amount=charge.amount,
        key=f"{charge.idempotency_key}-stray-refund",
        gateway=gateway,
        call=lambda idempotency_key: gateway.refund(
            charge=charge.reference,
            amount=charge.amount,
            currency=charge.currency,
            idempotency_key=idempotency_key,
            charged=charge.amount,
        ),
    )
    PaymentAttempt.objects.filter(pk=refund.pk).exclude(code="refund_failed").update(code="stray_refund")
    refund.refresh_from_db()
    return refund


def payment_callback_handle(
    *, reference: str, status: str, completed_at: dt.datetime | None = None
) -> PaymentAttempt | None:
    """A provider's late answer for a pending charge (the sandbox's signed callback): the attempt is
    answered (`completed_at`: when the payment completed on the provider's clock, if the callback says;
    else it counts from now) and the CHARGE_ANSWERED event dispatched (pledges settles the pledge).
    Replays and unknown references change nothing."""
    if status not in (AttemptStatus.SUCCEEDED, AttemptStatus.DECLINED):
        raise ValueError(f"Unknown payment status {status!r}")
    with transaction.atomic():
        attempt = PaymentAttempt.objects.select_for_update().filter(reference=reference).first()
        if attempt is None:
            return None
        if attempt.status == AttemptStatus.PENDING:
            attempt.status = status
            attempt.succeeded_at = succeeded_at(GatewayResult(status=status, at=completed_at))
            attempt.save(update_fields=["status", "succeeded_at", "updated_at"])
    if attempt.kind == AttemptKind.CHARGE:
        events.event_dispatch(events.CHARGE_ANSWERED, attempt=attempt)
    return attempt


def card_page_attempt(*, reference: str, backer_id: int) -> PaymentAttempt | None:
    """The backer's card-saving attempt of a hosted card page, found by the page's reference, or, once
    its card is saved (the attempt then holds the card's reference), by the key the page carries.
    None when `reference` is no page of theirs. Raises GatewayUnavailable."""
    mine = PaymentAttempt.objects.filter(kind=AttemptKind.SAVE_CARD, pledge__backer_id=backer_id)
    for name in sorted(set(mine.values_list("gateway", flat=True))):
        gateway = gateway_get(name)
        if not (gateway.capabilities.hosted_card_page and gateway.is_card_page(reference)):
            continue
        attempt = mine.filter(gateway=name, reference=reference).first()
        if attempt is not None:
            return attempt
        try:
            key = gateway.card_page_get(reference).key
        except ProviderObjectMissing:
            return None
        if key and (attempt := mine.filter(gateway=name, idempotency_key=key).first()):
            return attempt
    return None


def card_page_of(attempts: list[PaymentAttempt]) -> PaymentAttempt | None:
    """The last of `attempts` whose reference is a hosted card page of its gateway."""
    pages = [
        a for a in attempts if _gateway_of(a).capabilities.hosted_card_page and _gateway_of(a).is_card_page(a.reference)
    ]
    return pages[-1] if pages else None


def _gateway_of(attempt: PaymentAttempt) -> PaymentGateway:
    return gateway_get(attempt.gateway)


def confirmation_secret(attempt: PaymentAttempt) -> str | None:
    """The client secret with which the customer confirms `attempt`'s payment or card setup (3-D
    Secure), when its gateway offers that and the attempt is something they confirm; else None.
    Raises GatewayUnavailable, ProviderObjectMissing."""
    gateway = _gateway_of(attempt)
    if not gateway.capabilities.customer_confirmation or not attempt.reference:
        return None
    return gateway.confirmation_secret(attempt.reference)


def confirmable(attempt: PaymentAttempt | None) -> bool:
    """`attempt` can be confirmed by the customer in the browser (without asking the provider)."""
    if attempt is None or not attempt.reference:
        return False
    gateway = _gateway_of(attempt)
    return gateway.capabilities.customer_confirmation and gateway.is_charge_reference(attempt.reference)


def attempt_abandon(attempt: PaymentAttempt, *, code: str, message: str) -> bool:
    """An attempt still without an answer will never get one of ours (e.g. a card page the customer
    left): declined with `code`. False when it had an answer already."""
    return bool(
        PaymentAttempt.objects.filter(pk=attempt.pk, status__in=[AttemptStatus.STARTED, AttemptStatus.PENDING]).update(
            status=AttemptStatus.DECLINED, code=code[:60], message=message[:300]
        )
    )
