"""Extension points of the ledger (core.hooks).

- `recorded(transaction, legs)`: a balanced transaction was written, in the caller's database
  transaction (e.g. statistics totals kept in step with the money). For the set-based wallet refunds
  `legs` is None: read the transaction's entries if needed. Callers that know more may say it, to
  spare the handlers a query: `backers` ({pledge id: backer id} of the legs' pledges) and
  `campaign_locked` (True: the caller's transaction already holds the campaign's row FOR SHARE or
  stronger, as the wallet pledge's SQL function does).
"""

from core.hooks import Hook

recorded = Hook("recorded", "A ledger transaction was recorded (in its database transaction).")
