"""Extension points of the ledger (core.hooks).

- `recorded(transaction, legs)`: a balanced transaction was written, in the caller's database
  transaction (e.g. statistics totals kept in step with the money). For the set-based wallet refunds
  `legs` is None: read the transaction's entries if needed.
"""

from core.hooks import Hook

recorded = Hook("recorded", "A ledger transaction was recorded (in its database transaction).")
