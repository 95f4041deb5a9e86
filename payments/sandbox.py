"""The built-in sandbox gateway: a provider without a server, whose books live in `SandboxOperation`.

Its behaviour is chosen by test card numbers, after Stripe's; a pending charge is answered later by a
signed callback (`/payments/sandbox/callback/`, `payments.views.sandbox_callback`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from .gateways import (
    Capabilities,
    CardPage,
    ChargeSummary,
    GatewayResult,
    GatewayUnavailable,
    PayoutAccountState,
    ProviderRefund,
    ProviderTransfer,
)
from .models import SandboxOperation

# Sandbox test cards, after Stripe's: the behaviour is chosen by the number.
SANDBOX_CARDS = {
    "4242424242424242": "succeeds",
    "4000000000000002": "declined",
    "4000000000009995": "insufficient_funds",
    "4000000000000259": "pending",  # the result comes later by callback
    "4000000000000119": "unavailable",  # the provider times out
}

# A declined test card's reason, as Stripe's decline codes name it.
SANDBOX_DECLINE_CODES = {"declined": "card_declined", "insufficient_funds": "insufficient_funds"}


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
    """The sandbox callback's signature, with the sandbox's own secret (a leak of it forges only
    sandbox payments, which production refuses anyway; SECRET_KEY signs sessions)."""
    return hmac.new(settings.CIVICFUND_SANDBOX_SECRET.encode(), payload.encode(), hashlib.sha256).hexdigest()


class SandboxGateway:
    """A provider without a server: its books live in `SandboxOperation`.

    It honours idempotency keys (the same key returns the first answer), and refuses to refund more
    than was charged, as a real provider does.
    """

    name = "sandbox"
    capabilities = Capabilities()

    def _replay(self, key: str) -> SandboxOperation | None:
        return SandboxOperation.objects.filter(key=key).first()

    def _store(self, **fields: object) -> SandboxOperation:
        try:
            with transaction.atomic():
                return SandboxOperation.objects.create(reference=f"sb_{secrets.token_hex(8)}", **fields)
        except IntegrityError:  # a concurrent call with the same key got there first
            return SandboxOperation.objects.get(key=fields["key"])

    @staticmethod
    def _result(op: SandboxOperation) -> GatewayResult:
        message = "" if op.status == "succeeded" else op.card_behaviour.replace("_", " ")
        return GatewayResult(
            status=op.status,
            reference=op.reference,
            message=message,
            code=SANDBOX_DECLINE_CODES.get(op.card_behaviour, "") if op.status == "declined" else "",
            at=op.completed_at if op.status == "succeeded" else None,
        )

    def save_card(self, *, card: str, customer: str, idempotency_key: str) -> GatewayResult:
        number = "".join(c for c in card if c.isdigit())
        if len(number) < 12 or not _luhn_ok(number):
            return GatewayResult(status="declined", message="This card number is not valid.", code="invalid_number")
        if (op := self._replay(idempotency_key)) is None:
            op = self._store(
                key=idempotency_key,
                kind="card",
                status="succeeded",
                last4=number[-4:],
                card_behaviour=SANDBOX_CARDS.get(number, "succeeds"),
            )
        return GatewayResult(status="succeeded", reference=op.reference)

    def charge(
        self,
        *,
        payment_method: str,
        amount: int,
        currency: str,
        idempotency_key: str,
        off_session: bool,
        group: str = "",
    ) -> GatewayResult:
        if (op := self._replay(idempotency_key)) is not None:
            return self._result(op)
        card = SandboxOperation.objects.filter(reference=payment_method, kind="card").first()
        if card is None:
            return GatewayResult(status="declined", message="Unknown card.")
        if card.card_behaviour == "unavailable":
            raise GatewayUnavailable("Sandbox provider timed out")
        status = {"succeeds": "succeeded", "pending": "pending"}.get(card.card_behaviour, "declined")
        op = self._store(
            key=idempotency_key,
            kind="charge",
            status=status,
            amount=amount,
            currency=currency,
            parent=payment_method,
            card_behaviour=card.card_behaviour,
            completed_at=timezone.now() if status == "succeeded" else None,
        )
        return self._result(op)

    def refund(
        self, *, charge: str, amount: int, currency: str, idempotency_key: str, charged: int | None = None
    ) -> GatewayResult:
        if (op := self._replay(idempotency_key)) is not None:
            return self._result(op)
        with transaction.atomic():
            paid = (
                SandboxOperation.objects.select_for_update()
                .filter(reference=charge, kind="charge", status="succeeded")
                .first()
            )
            if paid is None:
                return GatewayResult(status="declined", message="No such charge.")
            refunded = (
                SandboxOperation.objects.filter(parent=charge, kind="refund").aggregate(total=Sum("amount"))["total"]
                or 0
            )
            if refunded + amount > paid.amount:
                return GatewayResult(status="declined", message="Refund exceeds the charge.")
            op = self._store(
                key=idempotency_key, kind="refund", status="succeeded", amount=amount, currency=currency, parent=charge
            )
        return self._result(op)

    def complete_pending(self, reference: str, status: str) -> dict[str, str]:
        """What the provider does when a pending charge resolves; returns the callback it then sends
        (signed with `sandbox_signature`): the reference, the answer and, for a payment, when it
        completed on the provider's clock (ISO 8601 with its offset)."""
        now = timezone.now()
        SandboxOperation.objects.filter(reference=reference, status="pending").update(
            status=status, completed_at=now if status == "succeeded" else None
        )
        event = {"reference": reference, "status": status}
        if status == "succeeded":
            event["completed_at"] = now.isoformat()
        return event

    def currency_problem(self, currency: str) -> str | None:
        return None

    # The sandbox answers at once or by callback: nothing to look up, confirm or list.

    def charge_get(self, reference: str) -> GatewayResult:
        op = SandboxOperation.objects.filter(reference=reference, kind="charge").first()
        if op is None:
            return GatewayResult(status="declined", reference=reference, message="No such charge.")
        return self._result(op)

    def charge_cancel(self, reference: str, *, idempotency_key: str) -> GatewayResult:
        SandboxOperation.objects.filter(reference=reference, status="pending").update(status="declined")
        return self.charge_get(reference)

    def card_setup_get(self, reference: str) -> GatewayResult:
        return GatewayResult(status="succeeded", reference=reference)

    def refund_get(self, reference: str) -> GatewayResult:
        op = SandboxOperation.objects.filter(reference=reference, kind="refund").first()
        if op is None:
            return GatewayResult(status="declined", reference=reference, message="No such refund.")
        return self._result(op)

    def confirmation_secret(self, reference: str) -> str | None:
        return None

    def is_card_page(self, reference: str) -> bool:
        return False

    def card_page_start(self, **kwargs: object) -> tuple[str, str]:
        raise NotImplementedError("The sandbox has no card page")

    def card_page_get(self, reference: str) -> CardPage:
        raise NotImplementedError("The sandbox has no card page")

    def card_page_expire(self, reference: str) -> CardPage:
        raise NotImplementedError("The sandbox has no card page")

    def card_page_refresh(self, reference: str) -> str:
        raise NotImplementedError("The sandbox has no card page")

    def charge_refresh(self, reference: str) -> str:
        return "answered by callback"

    def payout_account_create(self, *, user_key: str, email: str, country: str) -> str:
        raise NotImplementedError("The sandbox pays owners by manual bank transfer")

    def payout_account_link(self, *, account: str, refresh_url: str, return_url: str) -> str:
        raise NotImplementedError("The sandbox pays owners by manual bank transfer")

    def payout_account_get(self, account: str) -> PayoutAccountState:
        raise NotImplementedError("The sandbox pays owners by manual bank transfer")

    def transfer(
        self, *, amount: int, currency: str, destination: str, group: str, idempotency_key: str
    ) -> GatewayResult:
        raise NotImplementedError("The sandbox pays owners by manual bank transfer")

    def is_charge_reference(self, reference: str) -> bool:
        return reference.startswith("sb_")

    def charge_summary(self, reference: str) -> ChargeSummary:
        raise NotImplementedError("The sandbox keeps no books to reconcile with")

    def charges_list(
        self, *, since: dt.datetime | None = None, until: dt.datetime | None = None, group: str = ""
    ) -> list[ChargeSummary]:
        raise NotImplementedError("The sandbox keeps no books to reconcile with")

    def refunds_of(self, charge: str) -> list[ProviderRefund]:
        raise NotImplementedError("The sandbox keeps no books to reconcile with")

    def transfers_of(self, group: str) -> list[ProviderTransfer]:
        raise NotImplementedError("The sandbox keeps no books to reconcile with")
