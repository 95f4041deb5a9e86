"""Extension points of payouts (core.hooks), filled by upper layers at ready().

- `release_blocked(payout)`: return a non-empty reason to hold a due payout back (e.g. open pre-sale
  claims freeze the held part); it is sent on a later run once no function returns one.
- `payout_moved(payout, from_status, to_status, actor, note)`: every payout move, in its transaction.
"""

from core.hooks import Hook

release_blocked = Hook("release_blocked", "A reason to hold a due payout back, or ''.")
payout_moved = Hook("payout_moved", "A payout moved (in its transaction).")
