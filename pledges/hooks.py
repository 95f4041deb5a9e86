"""Extension points of pledges (core.hooks), filled by upper layers in their AppConfig.ready().

- `pledge_counting(pledge)`: a pledge starts to count towards its campaign (paid from a wallet or a
  card, or its card secured), inside the transaction that makes it count, also on the wallet fast
  path (right after `pledge_wallet_commit`, the pledge in memory, its campaign the object
  `wallet_fast_path_refused` saw). Match funding books the pledge's match here (pot → campaign
  escrow), so the two commit or roll back together.
- `pledges_not_counting(campaign_id, pledge_ids)`: pledges stop counting (cancelled, refunded, released,
  dropped), in the same transaction: a match goes back to its pot.
- `wallet_fast_path_refused(campaign)`: any function returning True sends a wallet pledge through the
  Python path (campaign row lock, then the hooks above) instead of the one-round-trip SQL function
  `pledge_wallet_commit` (e.g. a campaign with a milestone pot).
- `wallet_pledge_in_transaction(campaign)`: True when a `pledge_counting` function has database work for
  this campaign's wallet pledge (a linear match pot): the fast path then runs its statement in a
  transaction with the hooks. Otherwise (no function says so) the statement commits alone, and
  `pledge_counting` runs right after it, outside any transaction: a function that writes there must say
  so here.
- A function of `wallet_fast_path_refused` or `wallet_pledge_in_transaction` may carry `sql_guard`: a
  function of (campaign) returning an SQL boolean expression and its parameters that is true whenever
  the function may say True (e.g. "a match pot is open on the platform"). The fast path then evaluates
  the guard in the pledge's own statement instead of calling the function, which spares a round trip
  while it is false; when it is true the statement writes nothing and the functions are asked. After a
  statement that wrote the pledge, the campaign's `sql_guards_false` holds the guards it found false
  (for `pledge_counting`, which then need not ask again).
- `wallet_pledge_sql(campaign, backer_id, amount, at)`: data-modifying CTEs [(name, sql, params)] that
  run in the fast path's own statement after `pledge_wallet_commit`, reading its result from the CTE
  `pledged(outcome, pledge_id)` (act only where outcome = 'ok'). Each function names in `.replaces` the
  `ledger.hooks.recorded` function whose work its SQL does for the pledge's wallet spend (e.g. the
  statistics' tally): the statement then runs alone only when every `recorded` function is replaced so;
  else the spend is announced to `recorded` in a transaction as usual.
- `update_mail(update)`: a function may send a campaign update's e-mail itself (to the backers and
  whoever else it mails, e.g. the campaign's followers with an unsubscribe link) and return how many it
  sent; then the backers' default update e-mail is not sent, so no one gets the update twice.
- `collection_progressed(campaign_id)`: a retrying pledge of a charge-on-success campaign was paid or
  dropped: the collection may be complete (funding settles the campaign).
"""

from core.hooks import Hook

pledge_counting = Hook("pledge_counting", "A pledge starts to count (inside its transaction).")
pledges_not_counting = Hook("pledges_not_counting", "Pledges stop counting (inside the transaction).")
wallet_fast_path_refused = Hook("wallet_fast_path_refused", "True: take the Python path for this campaign.")
wallet_pledge_in_transaction = Hook("wallet_pledge_in_transaction", "True: pledge_counting writes for this campaign.")
wallet_pledge_sql = Hook("wallet_pledge_sql", "CTEs run in the wallet pledge's own statement.")
collection_progressed = Hook("collection_progressed", "A retrying pledge was paid or dropped.")
update_mail = Hook("update_mail", "Send an update's e-mail instead of the default one to the backers.")
