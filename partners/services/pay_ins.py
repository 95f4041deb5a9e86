"""An organisation pays into its pot by card through the payment gateway (the project's payments port:
the sandbox, Stripe). Idempotent per request key, and the pot is credited only when the gateway says
the charge succeeded: a pending charge (the card's bank asks the payer) is credited when it is looked
up again and has succeeded; a declined one writes nothing to the books.

Like `payments.services.attempt_run`, the `PotPayIn` row is committed before the gateway is called with
keys derived from it, so a crash or a timeout between the two is resumed with the same keys and the
gateway answers its first answer, never charging twice."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PaymentDeclined
from ledger import services as ledger
from ledger.models import TransactionKind
from payments.gateways import GatewayResult, GatewayUnavailable, gateway_get, gateway_name_for

from ..models import MemberRole, PayInMethod, PayInStatus, Pot, PotPayIn, PotStatus
from .organisations import check_member, check_verified
from .pots import _leftover_return, _positive_amount, organisation_account, pot_account, pot_lock

KEY_MAX = 80


def pot_pay_in_by_card(*, pot: Pot, user: Any, amount: Any, card: str, key: str) -> PotPayIn:
    """The organisation's administrator pays `amount` into the open pot with `card`; `key` (the
    client's Idempotency-Key) makes a retried request return the first pay-in. Raises PaymentDeclined
    when the card is declined (nothing credited); a pending pay-in is returned as it is. Run it outside
    any database transaction (a view, not an atomic block), as every gateway call."""
    key = (key or "").strip()
    if not key or len(key) > KEY_MAX or not key.isprintable():
        raise ApplicationError(_("Give the request a key of 1 to 80 characters."), field="key")
    existing = PotPayIn.objects.filter(idempotency_key=f"pot-pay-in-{pot.pk}-{key}").first()
    if existing is None:
        pot = Pot.objects.select_related("organisation", "platform").get(pk=pot.pk)
        check_member(pot.organisation, user, MemberRole.ADMIN)
        check_verified(pot.organisation)
        if pot.status != PotStatus.OPEN:
            raise ApplicationError(_("This pot is closed."), code="pot_closed")
        amount = _positive_amount(amount, field="amount", allow_none=False)
        if not (card or "").strip():
            raise ApplicationError(_("Give the card number."), field="card")
        try:
            existing = PotPayIn.objects.create(
                pot=pot,
                method=PayInMethod.CARD,
                amount=amount,
                currency=pot.currency,
                gateway=gateway_name_for(pot.platform),
                idempotency_key=f"pot-pay-in-{pot.pk}-{key}",
                paid_by=user,
            )
        except IntegrityError:  # the same request, sent twice at once
            existing = PotPayIn.objects.get(idempotency_key=f"pot-pay-in-{pot.pk}-{key}")
    elif existing.paid_by_id != getattr(user, "pk", None):
        raise ApplicationError(_("This request key was used by someone else."), code="idempotency_key_reused")
    pay_in = existing
    if pay_in.status == PayInStatus.STARTED:
        gateway = gateway_get(pay_in.gateway)
        try:
            saved = gateway.save_card(
                card=card,
                customer=f"organisation:{pay_in.pot.organisation_id}",
                idempotency_key=f"{pay_in.idempotency_key}-card",
            )
            if saved.status != "succeeded":
                result = saved
            else:
                result = gateway.charge(
                    payment_method=saved.reference,
                    amount=pay_in.amount,
                    currency=pay_in.currency,
                    idempotency_key=f"{pay_in.idempotency_key}-charge",
                    off_session=False,
                )
        except GatewayUnavailable:  # the row stays started: the same request resumes with the same keys
            raise ApplicationError(
                _("The payment provider did not answer; send the same request again."), code="gateway_unavailable"
            ) from None
        pay_in = _answer(pay_in, result)
    if pay_in.status == PayInStatus.DECLINED:
        raise PaymentDeclined(pay_in.message or _("The card was declined."), field="card")
    return pay_in


def pot_pay_in_refresh(*, pay_in: PotPayIn) -> PotPayIn:
    """Ask the gateway again about a pending card pay-in (its bank asked the payer): credit it once it
    succeeded. Staff's admin action (Partners → Pot pay-ins) calls it."""
    if pay_in.status != PayInStatus.PENDING or not pay_in.reference:
        return pay_in
    return _answer(pay_in, gateway_get(pay_in.gateway).charge_get(pay_in.reference))


@transaction.atomic
def _answer(pay_in: PotPayIn, result: GatewayResult) -> PotPayIn:
    """Record the gateway's answer; on success credit the pot, organisation → pot, exactly once (the
    pay-in's row lock, then the pot's)."""
    pay_in = PotPayIn.objects.select_for_update().get(pk=pay_in.pk)
    if pay_in.credited_at is not None:
        return pay_in
    pay_in.status = {"succeeded": PayInStatus.SUCCEEDED, "pending": PayInStatus.PENDING}.get(
        result.status, PayInStatus.DECLINED
    )
    pay_in.reference = result.reference[:120] or pay_in.reference
    pay_in.message = result.message[:300]
    fields = ["status", "reference", "message"]
    if pay_in.status == PayInStatus.SUCCEEDED:
        pot = pot_lock(pay_in.pot_id)
        ledger.transaction_record(
            kind=TransactionKind.POT_PAY_IN,
            key=f"pot-{pot.pk}-card-{pay_in.pk}",
            memo=f"Paid in by card by {pot.organisation.name}: {pay_in.reference}"[:200],
            legs=[
                ledger.Leg(organisation_account(pot.organisation, pot.currency), -pay_in.amount),
                ledger.Leg(pot_account(pot), pay_in.amount),
            ],
        )
        pot.paid_in += pay_in.amount
        pot.available += pay_in.amount
        pot.save(update_fields=["paid_in", "available"])
        if pot.status == PotStatus.CLOSED:  # closed while the payer's bank was asking: straight back
            _leftover_return(pot, key=f"pot-{pot.pk}-card-{pay_in.pk}-return")
        pay_in.credited_at = timezone.now()
        fields.append("credited_at")
    pay_in.save(update_fields=fields)
    return pay_in
