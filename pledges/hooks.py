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
collection_progressed = Hook("collection_progressed", "A retrying pledge was paid or dropped.")
update_mail = Hook("update_mail", "Send an update's e-mail instead of the default one to the backers.")
