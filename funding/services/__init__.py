"""funding: the one place that drives campaigns, pledges, payouts and the ledger together.

- `close`: the deadline close, its success judgement, and the resume of stalled chains;
- `settle`: the split (fee, first payout, held part) and the payouts' schedule;
- `refunds`: a failed campaign's refunds in chunks (set-based wallet refunds, card refunds fanned out);
- `collection`: charge on success's collection of saved cards, and its retry windows' end;
- `reports`: the final report's approval, which releases the held part.
"""

from .close import campaign_close, close_due_campaigns
from .collection import campaign_collect_chunk, expired_retries_drop
from .refunds import CARD_CHUNK, WALLET_CHUNK, campaign_refund_chunk
from .reports import report_approve
from .settle import campaign_settle, campaign_split

__all__ = [
    "CARD_CHUNK",
    "WALLET_CHUNK",
    "campaign_close",
    "campaign_collect_chunk",
    "campaign_refund_chunk",
    "campaign_settle",
    "campaign_split",
    "close_due_campaigns",
    "expired_retries_drop",
    "report_approve",
]
