"""Pledge services by concern (house style: a module becomes a package when it grows):

- `moves`: the only code that changes a pledge's status (one pledge, or many set-based), and reward units;
- `intake`: the rules of a pledge and taking it (wallet, or opening a card pledge);
- `settlement`: a card saved, a charge's answer, 3-D Secure, charge on success's retry window;
- `checkout`: pledging on a hosted card page (Stripe Checkout);
- `cancel`: the backer cancels while the campaign is live;
- `refunds`: single-pledge refunds, their retries, and finishing a refunding campaign;
- `backers`: how a backer appears on a campaign's public list of backers (by name or anonymous);
- `pending`: the job that asks again about unanswered payments.

The public services are importable from `pledges.services` itself.
"""

from .backers import backer_visibility_set
from .cancel import pledge_cancel
from .checkout import CHECKOUT_EXPIRES, pledge_checkout_cancel, pledge_checkout_start
from .intake import pledge_create, pledge_get_or_create, pledge_open, pledge_refusal
from .moves import pledge_move, pledges_move
from .pending import PENDING_GIVE_UP, pending_payments_retry
from .refunds import (
    campaign_refunds_finish,
    failed_refunds_retry,
    pending_refunds_follow_up,
    pledge_refund,
    pledge_refund_failed,
    pledge_refund_retry,
    pledge_refund_retry_plan,
    pledge_refund_single,
    pledge_refunds_paced,
)
from .settlement import (
    pledge_card_saved,
    pledge_charge_settle,
    pledge_confirm_expire,
    pledge_decline,
    pledge_retry_pay,
    pledge_retry_start,
)

__all__ = [
    "backer_visibility_set",
    "CHECKOUT_EXPIRES",
    "PENDING_GIVE_UP",
    "campaign_refunds_finish",
    "failed_refunds_retry",
    "pending_payments_retry",
    "pending_refunds_follow_up",
    "pledge_cancel",
    "pledge_card_saved",
    "pledge_charge_settle",
    "pledge_checkout_cancel",
    "pledge_checkout_start",
    "pledge_confirm_expire",
    "pledge_create",
    "pledge_decline",
    "pledge_get_or_create",
    "pledge_move",
    "pledge_open",
    "pledge_refund",
    "pledge_refund_failed",
    "pledge_refund_retry",
    "pledge_refund_retry_plan",
    "pledge_refund_single",
    "pledge_refunds_paced",
    "pledge_refusal",
    "pledge_retry_pay",
    "pledge_retry_start",
    "pledges_move",
]
