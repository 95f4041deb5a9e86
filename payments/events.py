"""Provider events, dispatched to the apps that own what they are about.

`payments` receives a provider's word (a verified Stripe webhook, a signed sandbox callback, a page the
customer came back from), finds our attempt row for it and answers it; what that means for a pledge or
a payout is not payments' business: it dispatches a provider-neutral event kind to the handler that
`pledges` or `payouts` registered in its AppConfig.ready() (`PROVIDER_EVENTS.register(kind)`), inside the
same database transaction as the event's record. `payments` imports neither app.

Kinds and their handlers' keyword arguments (each handler returns a short note of what it did):

- CHARGE_UPDATED(attempt, fresh): the provider's current word on a charge attempt (answered by the
  handler, which decides whether it is a stray payment);
- CHARGE_ANSWERED(attempt): a charge attempt already answered (the sandbox's callback);
- CARD_SETUP_ANSWERED(attempt, fresh): a card setup or hosted card page answered (attempt answered);
- REFUND_UPDATED(attempt, fresh, reference): the provider's word on a refund attempt;
- DISPUTE_LOST(dispute, charge): a disputed payment of ours was lost: its money must be booked;
- PAYOUT_ACCOUNT_UPDATED(state): an owner's connected account changed (PayoutAccountState);
- TRANSFER_CREATED(reference, key), TRANSFER_REVERSED(reference, key, reversed_total): transfers to
  owners' accounts.
"""

from __future__ import annotations

from typing import Any

from core.hooks import Registry

PROVIDER_EVENTS = Registry("provider events")

CHARGE_UPDATED = "charge_updated"
CHARGE_ANSWERED = "charge_answered"
CARD_SETUP_ANSWERED = "card_setup_answered"
REFUND_UPDATED = "refund_updated"
DISPUTE_LOST = "dispute_lost"
PAYOUT_ACCOUNT_UPDATED = "payout_account_updated"
TRANSFER_CREATED = "transfer_created"
TRANSFER_REVERSED = "transfer_reversed"
KINDS = (
    CHARGE_UPDATED,
    CHARGE_ANSWERED,
    CARD_SETUP_ANSWERED,
    REFUND_UPDATED,
    DISPUTE_LOST,
    PAYOUT_ACCOUNT_UPDATED,
    TRANSFER_CREATED,
    TRANSFER_REVERSED,
)


def event_dispatch(kind: str, **payload: Any) -> str:
    """Hand a provider event to the handler registered for `kind`; return its note."""
    return str(PROVIDER_EVENTS[kind](**payload))
