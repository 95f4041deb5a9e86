"""The payment gateway interface and the built-in sandbox gateway.

A gateway is shaped like a card processor: save a card for later, charge it, refund a charge; every
call carries an idempotency key, and a result may be `pending`, to arrive later by callback. Provider
objects never leave the adapter: callers get `GatewayResult`s.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone


class GatewayUnavailable(Exception):
    """The provider did not answer (timeout, 5xx, rate limit): retry later with the same key."""


@dataclass(frozen=True)
class GatewayResult:
    status: str  # "succeeded" | "pending" | "declined"
    reference: str = ""
    message: str = ""
    code: str = ""  # a decline's reason, e.g. "insufficient_funds", "authentication_required"
    # When the provider says it succeeded, on its own clock, if it says; None: when its answer reached us.
    at: dt.datetime | None = None


class PaymentGateway(Protocol):
    name: str

    def save_card(self, *, card: str, customer: str, idempotency_key: str) -> GatewayResult: ...

    def charge(
        self, *, payment_method: str, amount: int, currency: str, idempotency_key: str, off_session: bool,
        group: str = "",
    ) -> GatewayResult: ...

    def refund(self, *, charge: str, amount: int, currency: str, idempotency_key: str,
               charged: int | None = None) -> GatewayResult:
        """`charged`: what the charge took, when the caller knows it; a refund that would take back
        more than that, with the refunds the provider already holds, is declined."""
        ...


# Sandbox test cards, after Stripe's: the behaviour is chosen by the number.
SANDBOX_CARDS = {
    "4242424242424242": "succeeds",
    "4000000000000002": "declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000259": "pending",  # the result comes later by callback
    "4000000000000119": "unavailable",  # the provider times out
}


def _luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def sandbox_signature(payload: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


class SandboxGateway:
    """A provider without a server: its books live in `SandboxOperation`.

    It honours idempotency keys (the same key returns the first answer), and refuses to refund more
    than was charged, as a real provider does.
    """

    name = "sandbox"

    def _replay(self, key: str):
        from .models import SandboxOperation

        return SandboxOperation.objects.filter(key=key).first()

    def _store(self, **fields):
        from .models import SandboxOperation

        try:
            with transaction.atomic():
                return SandboxOperation.objects.create(reference=f"sb_{secrets.token_hex(8)}", **fields)
        except IntegrityError:  # a concurrent call with the same key got there first
            return SandboxOperation.objects.get(key=fields["key"])

    @staticmethod
    def _result(op) -> GatewayResult:
        message = "" if op.status == "succeeded" else op.card_behaviour.replace("_", " ")
        return GatewayResult(status=op.status, reference=op.reference, message=message,
                             at=op.completed_at if op.status == "succeeded" else None)

    def save_card(self, *, card: str, customer: str, idempotency_key: str) -> GatewayResult:
        number = "".join(c for c in card if c.isdigit())
        if len(number) < 12 or not _luhn_ok(number):
            return GatewayResult(status="declined", message="This card number is not valid.")
        if (op := self._replay(idempotency_key)) is None:
            op = self._store(key=idempotency_key, kind="card", status="succeeded", last4=number[-4:],
                             card_behaviour=SANDBOX_CARDS.get(number, "succeeds"))
        return GatewayResult(status="succeeded", reference=op.reference)

    def charge(self, *, payment_method, amount, currency, idempotency_key, off_session,
               group="") -> GatewayResult:
        from .models import SandboxOperation

        if (op := self._replay(idempotency_key)) is not None:
            return self._result(op)
        card = SandboxOperation.objects.filter(reference=payment_method, kind="card").first()
        if card is None:
            return GatewayResult(status="declined", message="Unknown card.")
        if card.card_behaviour == "unavailable":
            raise GatewayUnavailable("Sandbox provider timed out")
        status = {"succeeds": "succeeded", "pending": "pending"}.get(card.card_behaviour, "declined")
        op = self._store(key=idempotency_key, kind="charge", status=status, amount=amount,
                         currency=currency, parent=payment_method, card_behaviour=card.card_behaviour,
                         completed_at=timezone.now() if status == "succeeded" else None)
        return self._result(op)

    def refund(self, *, charge, amount, currency, idempotency_key, charged=None) -> GatewayResult:
        from .models import SandboxOperation

        if (op := self._replay(idempotency_key)) is not None:
            return self._result(op)
        with transaction.atomic():
            paid = SandboxOperation.objects.select_for_update().filter(
                reference=charge, kind="charge", status="succeeded"
            ).first()
            if paid is None:
                return GatewayResult(status="declined", message="No such charge.")
            refunded = SandboxOperation.objects.filter(parent=charge, kind="refund").aggregate(
                total=Sum("amount"))["total"] or 0
            if refunded + amount > paid.amount:
                return GatewayResult(status="declined", message="Refund exceeds the charge.")
            op = self._store(key=idempotency_key, kind="refund", status="succeeded", amount=amount,
                             currency=currency, parent=charge)
        return self._result(op)

    def complete_pending(self, reference: str, status: str) -> dict:
        """What the provider does when a pending charge resolves; returns the callback it then sends
        (signed with `sandbox_signature`): the reference, the answer and, for a payment, when it
        completed on the provider's clock (ISO 8601 with its offset)."""
        from .models import SandboxOperation

        now = timezone.now()
        SandboxOperation.objects.filter(reference=reference, status="pending").update(
            status=status, completed_at=now if status == "succeeded" else None)
        event = {"reference": reference, "status": status}
        if status == "succeeded":
            event["completed_at"] = now.isoformat()
        return event


_GATEWAYS = {"sandbox": SandboxGateway}


def _gateway_class(name: str):
    if name == "stripe" and "stripe" not in _GATEWAYS:
        from .stripe_gateway import StripeGateway  # imports the SDK only where Stripe is used

        _GATEWAYS["stripe"] = StripeGateway
    return _GATEWAYS[name]


def gateway_get(name: str | None = None) -> PaymentGateway:
    return _gateway_class(name or settings.CIVICFUND_PAYMENT_GATEWAY)()


def gateway_name_for(platform) -> str:
    """The gateway a platform's cards go through: its own choice, else the deployment's."""
    return getattr(platform, "payment_gateway", "") or settings.CIVICFUND_PAYMENT_GATEWAY


def gateway_for(platform) -> PaymentGateway:
    return gateway_get(gateway_name_for(platform))


def gateway_currency_problem(name: str | None, currency: str) -> str | None:
    """Why gateway `name` (None: the deployment's) cannot take `currency`, or None if it can."""
    name = name or settings.CIVICFUND_PAYMENT_GATEWAY
    if name == "stripe":
        from .stripe_gateway import stripe_currency_problem

        return stripe_currency_problem(currency)
    return None
