"""Extension points of the close (core.hooks), filled by the civic features in their AppConfig.ready().

- `before_close(campaign_ids, now)`: runs before the due campaigns close, outside their transactions
  (e.g. an open call's quadratic round books its matches first).
- `counted_at_close(campaign, citizen)`: amounts (ints) that count toward success on top of the citizen
  money `citizen` (e.g. match money where the platform allows it and the citizen share is met); their
  sum is added to what the close judges. Runs in the close's transaction, the campaign row locked.
- `closed(campaign, succeeded, citizen)`: the campaign has just moved to succeeded or failed, in the
  close's transaction (e.g. a failed campaign's match goes back to its pot).
- `split_extra(campaign)`: amounts (ints) a funded campaign collected besides its citizen money (e.g.
  match money kept at the close): `campaign_split` adds them to what it splits, so the fee and the
  90/10 split apply to the whole amount. Runs under the campaign's row lock.
- `audit(now)`: more checks of the books for `audit_ledger` (e.g. per match-funding pot, per claim);
  each function returns a list of problems, empty when its part of the books is right.
"""

from core.hooks import Hook

before_close = Hook("before_close", "Before the due campaigns close.")
counted_at_close = Hook("counted_at_close", "Extra amounts that count toward success at the close.")
closed = Hook("closed", "A campaign was closed (in the close's transaction).")
split_extra = Hook("split_extra", "Amounts collected besides the citizen money, split with it.")
audit = Hook("audit", "More checks of the books: each returns a list of problems.")
