"""What a payment provider's word means for payouts: handlers of payments' provider-neutral events,
registered when the app is ready. They run inside the event's transaction."""

from __future__ import annotations

from core import jobs
from core.alerts import admins_alert
from payments import events
from payments.gateways import PayoutAccountState

from .models import Payout, PayoutStatus, StripeConnectAccount
from .services import payout_confirm, payout_reversal_record


def _payout_for(reference: str, key: str) -> Payout | None:
    qs = Payout.objects.filter(reference=reference)
    if not qs.exists() and key:
        qs = Payout.objects.filter(idempotency_key=key)
    return qs.first()


@events.PROVIDER_EVENTS.register(events.PAYOUT_ACCOUNT_UPDATED)
def payout_account_updated(*, state: PayoutAccountState) -> str:
    account = StripeConnectAccount.objects.select_for_update().filter(account_id=state.reference).first()
    if account is None:
        return "not an owner's account"
    was_ready = account.ready
    account.charges_enabled = state.charges_enabled
    account.payouts_enabled = state.payouts_enabled
    account.details_submitted = state.details_submitted
    account.save(update_fields=["charges_enabled", "payouts_enabled", "details_submitted", "updated_at"])
    if account.ready and not was_ready:
        jobs.later("payouts.tasks.release_due_payouts")  # payouts that waited
    return f"payouts_enabled={account.payouts_enabled}"


@events.PROVIDER_EVENTS.register(events.TRANSFER_CREATED)
def transfer_created(*, reference: str, key: str) -> str:
    payout = _payout_for(reference, key)
    if payout is None:
        return "not a payout of ours"
    if payout.status == PayoutStatus.PROCESSING:
        payout_confirm(payout_id=payout.pk, reference=reference)
        return "payout confirmed"
    return f"no change ({payout.status})"


@events.PROVIDER_EVENTS.register(events.TRANSFER_REVERSED)
def transfer_reversed(*, reference: str, key: str, reversed_total: int) -> str:
    payout = _payout_for(reference, key)
    if payout is None:
        admins_alert(f"Transfer {reference} (not ours) was reversed", subject="A payout needs attention")
        return "not a payout of ours"
    payout = payout_reversal_record(payout_id=payout.pk, reversed_total=reversed_total)
    admins_alert(
        f"Transfer {reference} of payout {payout.pk} was reversed: {payout.reversed_amount} of "
        f"{payout.amount} {payout.currency} back in the platform balance",
        subject="A payout needs attention",
    )
    return f"transfer reversed: {payout.reversed_amount}"
