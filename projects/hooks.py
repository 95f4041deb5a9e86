"""Extension points of the campaign lifecycle (core.hooks), filled by upper layers at ready().

- `submission_check(campaign, user)`: raise an ApplicationError to refuse a draft's submission (e.g. a
  pre-sale campaign without a verified guarantee). Runs under the campaign's row lock.
- `campaign_moved(campaign, from_status, to_status, actor, note)`: every lifecycle move, in its
  transaction (e.g. the public decision log).
"""

from core.hooks import Hook

submission_check = Hook("submission_check", "Raise to refuse a submission for review.")
campaign_moved = Hook("campaign_moved", "A campaign moved along its lifecycle.")
