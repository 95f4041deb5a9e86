"""Taking pledges: the rules a pledge must meet, a wallet pledge (one SQL round trip on PostgreSQL, or
the Python path under the locks), and opening a card pledge (paid or secured in `settlement`).

Lock order, everywhere: campaign, then wallet account, then pledge rows. Pledges take the campaign row
FOR SHARE (many pledges at once), the close takes it FOR UPDATE, so a pledge either commits before the
close reads the total or sees the campaign closed.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.errors import InsufficientFunds, PaymentDeclined, PledgeRefused
from core.money import MAX_AMOUNT
from core.outbox import notify, outbox_kick
from core.sql import execute_prepared
from ledger import hooks as ledger_hooks
from ledger import services as ledger
from ledger.models import Account, AccountKind, Transaction, TransactionKind
from payments import services as payments
from payments.models import AttemptStatus
from platforms.models import RefundDestination
from projects.models import Campaign, CampaignStatus, RewardTier
from projects.selectors import campaign_lock, campaign_read

from .. import hooks
from ..models import PaymentSource, Pledge, PledgeStatus
from .moves import tier_claim
from .settlement import pledge_card_accepted, pledge_decline

log = logging.getLogger(__name__)

# Called with a new pledge inside the transaction that writes it (e.g. the pre-sale app keeps the
# shipping address with the pledge): if it raises, the pledge is not written either.
WithPledge = Callable[[Pledge], None]


def pledge_refusal(
    *, campaign: Campaign, backer: Any, amount: Any, tier: RewardTier | None, currency: str | None, now: dt.datetime
) -> PledgeRefused | None:
    """Why `backer` may not pledge `amount` (with `tier`) to `campaign` at `now`, or None: the rules of
    DOMAIN.md as the site and the API state them, first the campaign's `accepts_pledges`."""
    platform = campaign.platform
    if not campaign.accepts_pledges(now):
        if campaign.status != CampaignStatus.LIVE:
            return PledgeRefused("This campaign is not taking pledges.", code="campaign_not_live")
        if now < campaign.starts_at:
            return PledgeRefused("This campaign has not started yet.", code="campaign_not_started")
        return PledgeRefused("This campaign has reached its deadline.", code="campaign_closed")
    if backer.pk == campaign.owner_id:
        return PledgeRefused("You cannot back your own campaign.", code="own_campaign")
    if currency is not None and currency != campaign.currency:
        return PledgeRefused(
            f"This campaign takes pledges in {campaign.currency}.", code="wrong_currency", field="currency"
        )
    if isinstance(amount, bool) or not isinstance(amount, int):
        return PledgeRefused("The amount must be a whole number of units.", code="invalid_amount", field="amount")
    if amount > MAX_AMOUNT:
        return PledgeRefused("This amount is too large.", code="invalid_amount", field="amount")
    if amount < platform.min_pledge:
        return PledgeRefused(
            f"The smallest pledge here is {platform.money(platform.min_pledge)}.",
            code="amount_too_small",
            field="amount",
        )
    if tier is None:
        if not platform.allow_free_amounts:
            return PledgeRefused(
                "Choose a reward tier: this platform takes no free amounts.", code="tier_required", field="tier"
            )
    else:
        if tier.campaign_id != campaign.pk:
            return PledgeRefused("That reward tier is not part of this campaign.", code="unknown_tier", field="tier")
        if amount < tier.amount:
            return PledgeRefused(
                f"This reward needs a pledge of at least {campaign.money(tier.amount)}.",
                code="amount_below_tier",
                field="amount",
            )
    return None


def _check_pledge(
    *, campaign: Campaign, backer: Any, amount: Any, tier: RewardTier | None, currency: str | None, now: dt.datetime
) -> None:
    if refusal := pledge_refusal(
        campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency, now=now
    ):
        raise refusal


def _tier_claim(tier: RewardTier | None) -> None:
    if not tier_claim(tier):
        raise PledgeRefused("Sorry, this reward has sold out.", code="tier_sold_out", field="tier")


def _tier_get(campaign_id: int, tier_id: Any) -> RewardTier | None:
    if tier_id in (None, ""):
        return None
    tier = RewardTier.objects.filter(pk=tier_id).first() if str(tier_id).isdigit() else None
    if tier is None or tier.campaign_id != campaign_id:
        raise PledgeRefused("That reward tier is not part of this campaign.", code="unknown_tier", field="tier")
    return tier


def pledge_create(
    *,
    campaign_id: int,
    backer: Any,
    amount: int,
    tier_id: int | None = None,
    source: str = PaymentSource.CARD,
    card: str = "",
    currency: str | None = None,
    request_key: str | None = None,
    now: dt.datetime | None = None,
) -> Pledge:
    """Pledge `amount` (minor units) to a live campaign, by card or from the backer's wallet.

    Accepted only while the campaign is live and strictly before its deadline (server clock, checked
    under the campaign's share lock). A `request_key` makes a retried request return the first pledge.
    Card pledges: charge now, or on a charge-on-success platform save the card and count it as
    secured. Raises PledgeRefused, InsufficientFunds or PaymentDeclined with a message for the user.
    """
    return pledge_get_or_create(
        campaign_id=campaign_id,
        backer=backer,
        amount=amount,
        tier_id=tier_id,
        source=source,
        card=card,
        currency=currency,
        request_key=request_key,
        now=now,
    )[0]


def pledge_get_or_create(
    *,
    campaign_id: int,
    backer: Any,
    amount: int,
    tier_id: int | None = None,
    source: str = PaymentSource.CARD,
    card: str = "",
    currency: str | None = None,
    request_key: str | None = None,
    now: dt.datetime | None = None,
    with_pledge: WithPledge | None = None,
) -> tuple[Pledge, bool]:
    """`pledge_create`, also saying whether this call made the pledge: (pledge, False) when
    `request_key` found the backer's pledge of an earlier or concurrent request, returned as it is.
    Of many copies of one request sent at once, exactly one makes the pledge: the unique (backer,
    request_key) index lets one row in, and the others find it. `with_pledge(pledge)` runs inside the
    transaction that writes a new pledge (not for a replay): what it writes commits with the pledge,
    and if it raises, nothing is pledged. Raises as `pledge_create`."""
    try:
        if source == PaymentSource.WALLET and connection.vendor == "postgresql":
            made = _pledge_from_wallet_at_once(
                campaign_id=campaign_id,
                backer=backer,
                amount=amount,
                tier_id=tier_id,
                currency=currency,
                request_key=request_key,
                now=now,
                with_pledge=with_pledge,
            )
            if made is not None:
                return made
        if request_key and (existing := Pledge.objects.filter(backer=backer, request_key=request_key).first()):
            return existing, False
        if source not in PaymentSource.values:
            raise PledgeRefused("Pay by card or from your wallet.", code="invalid_source", field="source")
        if source == PaymentSource.WALLET:
            made_now = _pledge_from_wallet(
                campaign_id=campaign_id,
                backer=backer,
                amount=amount,
                tier_id=tier_id,
                currency=currency,
                request_key=request_key,
                now=now,
                with_pledge=with_pledge,
            )
            return made_now, True
        pledge = pledge_open(
            campaign_id=campaign_id,
            backer=backer,
            amount=amount,
            tier_id=tier_id,
            currency=currency,
            request_key=request_key,
            now=now,
            with_pledge=with_pledge,
        )
    except IntegrityError:
        if request_key and (existing := Pledge.objects.filter(backer=backer, request_key=request_key).first()):
            return existing, False  # the same request, sent twice at once
        raise
    return _pledge_pay_by_card(pledge, card=card), True


def _pledge_from_wallet_at_once(
    *,
    campaign_id: int,
    backer: Any,
    amount: Any,
    tier_id: Any,
    currency: str | None,
    request_key: str | None,
    now: dt.datetime | None,
    with_pledge: WithPledge | None = None,
) -> tuple[Pledge, bool] | None:
    """A wallet pledge in one round trip to PostgreSQL when the process knows the campaign (the hot path
    of a popular campaign).

    The rules are checked here on the campaign as this process last read it (`_campaign_kept`); the SQL
    function `pledge_wallet_commit` (pledges.wallet_sql, installed by migration) then checks them all
    again on the locked rows, with the wallet's balance and the tier's units, and writes the pledge,
    its ledger transaction and its receipt together, or finds the backer's pledge of `request_key`.
    When the campaign or its platform changed since that read, it writes nothing and says so: the
    campaign is read again and the pledge tried once more. None when it wrote nothing, or when a rule
    refuses the pledge: the caller then decides again under the locks (SQLite's only path) and gives
    the precise reason."""
    fresh, guarded = False, True
    for _ in range(3):
        try:
            campaign = _campaign_kept(campaign_id, fresh=fresh)
            tier = _tier_get(campaign.pk, tier_id)
            check_at = now or timezone.now()
            _check_pledge(campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency, now=check_at)
        except (Campaign.DoesNotExist, PledgeRefused):
            return None  # refused, unless it is the retry of an accepted request: the caller knows which
        guards: Guards | None = {} if guarded else None
        if _hook_says(hooks.wallet_fast_path_refused, campaign, guards):
            return None  # e.g. a match pot to book in the same transaction: the Python path runs the hooks
        made = _wallet_pledge_commit(
            campaign=campaign,
            backer=backer,
            amount=amount,
            tier=tier,
            request_key=request_key,
            check_at=check_at,
            with_pledge=with_pledge,
            guards=guards,
        )
        if made == STALE:
            fresh = True  # read the campaign again
        elif made == GUARDED:
            guarded = False  # ask the hooks themselves
        else:
            return made  # type: ignore[return-value]
    return None


# A hook function's SQL stand-in (pledges.hooks, `sql_guard`) → its expression and parameters.
Guards = dict[Callable[..., Any], tuple[str, list]]


def _hook_says(hook: Any, campaign: Campaign, guards: Guards | None) -> bool:
    """Whether a function of `hook` says True for `campaign`. With `guards`, a function that has an
    `sql_guard` is not called: its guard joins `guards`, for the pledge's statement to evaluate."""
    for function in hook.functions:
        guard = getattr(function, "sql_guard", None)
        if guards is not None and guard is not None:
            if guard not in guards:
                guards[guard] = guard(campaign=campaign)
        elif function(campaign=campaign):
            return True
    return False


STALE = "stale"  # pledge_wallet_commit's answer when the campaign was read before a change
GUARDED = "guarded"  # its answer when a guard of `guards` was true


def _wallet_pledge_commit(
    *,
    campaign: Campaign,
    backer: Any,
    amount: int,
    tier: RewardTier | None,
    request_key: str | None,
    check_at: dt.datetime,
    with_pledge: WithPledge | None,
    guards: Guards | None,
) -> tuple[Pledge, bool] | str | None:
    """`pledge_wallet_commit` and what goes with it; STALE when `campaign` was read before a change,
    GUARDED when a guard was true (nothing written)."""
    at = timezone.now()
    args = [
        campaign.pk,
        backer.pk,
        tier.pk if tier else None,
        amount,
        campaign.currency,
        request_key,
        check_at,
        at,
        Account.key_for(user=backer),
        Account.key_for(campaign=campaign),
        campaign.row_version,  # type: ignore[attr-defined]
    ]
    ctes = _in_statement(campaign=campaign, backer_id=backer.pk, amount=amount, at=at)
    in_transaction = (
        ctes is None
        or connection.in_atomic_block
        or with_pledge is not None
        or _hook_says(hooks.wallet_pledge_in_transaction, campaign, guards)
    )
    go = "TRUE"
    if guards:
        go = f"NOT ({' OR '.join(sql for sql, _ in guards.values())})"
        args += [value for _, params in guards.values() for value in params]
    sql = f"SELECT outcome, pledge_id FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, {go})"

    def written(pledge_id: int) -> Pledge:
        pledge = Pledge(
            pk=pledge_id,
            campaign=campaign,
            backer=backer,
            tier=tier,
            amount=amount,
            currency=campaign.currency,
            source=PaymentSource.WALLET,
            status=PledgeStatus.PAID,
            request_key=request_key,
            created_at=at,
            paid_at=at,
        )
        pledge._state.adding = False
        pledge._state.db = connection.alias
        return pledge

    pledge: Pledge | None = None
    with connection.cursor() as cursor:
        if in_transaction or ctes is None:
            # a savepoint, so a duplicate request_key leaves the caller usable; or a transaction, so
            # what watches the ledger (statistics, when not in the statement), what books with a counting
            # pledge (a match) and what the caller keeps with it (a shipping address) commit with the pledge
            with transaction.atomic():
                cursor.execute(sql, args)
                outcome, pledge_id = cursor.fetchone()
                if outcome == "ok":
                    campaign.sql_guards_false = frozenset(guards or ())  # type: ignore[attr-defined]
                    _wallet_spend_announce(campaign=campaign, backer=backer, amount=amount, pledge_id=pledge_id, at=at)
                    pledge = written(pledge_id)
                    hooks.pledge_counting.run(pledge=pledge)
                    if with_pledge is not None:
                        with_pledge(pledge)
        else:
            # autocommit: one statement, its own transaction (no BEGIN/COMMIT round trips), with what
            # watches the ledger done in it as CTEs; the counting hooks said they write nothing
            names = "".join(f", {name} AS ({cte})" for name, cte, _ in ctes)
            execute_prepared(  # parsed and planned once per connection
                cursor,
                f"WITH pledged AS ({sql}){names} SELECT outcome, pledge_id FROM pledged",
                [*args, *(value for _, _, params in ctes for value in params)],
            )
            outcome, pledge_id = cursor.fetchone()
            if outcome == "ok":
                campaign.sql_guards_false = frozenset(guards or ())  # type: ignore[attr-defined]
                pledge = written(pledge_id)
                hooks.pledge_counting.run(pledge=pledge)
    if outcome in (STALE, GUARDED):
        return outcome
    if outcome == "campaign":  # a rule of the campaign refused it on the locked rows: read it afresh next time
        _campaigns.pop(campaign.pk, None)
    if outcome == "exists":
        existing = _pledge_read(pledge_id)
        if existing.campaign_id == campaign.pk:  # the answer names it: as the process read it, as for a new pledge
            existing.campaign = _campaign_kept(campaign.pk)  # a copy without this request's notes (its pots)
        return existing, False
    if outcome != "ok":
        return None
    transaction.on_commit(outbox_kick)  # the function wrote the receipt into the outbox
    return pledge or written(pledge_id), True


# The campaign (with its platform) as a wallet pledge's rules last read it in this process, with the
# versions of the two rows read: a hot campaign's pledges skip a round trip each, and
# pledge_wallet_commit answers STALE when either row changed since (it is then read again).
_campaigns: dict[int, Campaign] = {}


def _campaign_kept(campaign_id: int, *, fresh: bool = False) -> Campaign:
    """The campaign as this process last read it (`fresh`: read now), a copy of its own for each pledge,
    so what one request notes on it (its match pots) is not another's."""
    kept = None if fresh else _campaigns.get(campaign_id)
    if kept is None:
        if len(_campaigns) > 1_000:
            _campaigns.clear()
        kept = _campaigns[campaign_id] = campaign_read(campaign_id)
    return copy.copy(kept)


@functools.cache
def _pledge_read_sql() -> str:
    columns = ", ".join(connection.ops.quote_name(f.column) for f in Pledge._meta.concrete_fields)
    return f"SELECT {columns} FROM {Pledge._meta.db_table} WHERE id = %s"


def _pledge_read(pledge_id: int) -> Pledge:
    """The pledge `pledge_id` (a retried request's) through a statement built once: the ORM's building
    of `get(pk=...)` cost more than its round trip, on every replay."""
    return Pledge.objects.raw(_pledge_read_sql(), [pledge_id])[0]


def _in_statement(*, campaign: Campaign, backer_id: int, amount: int, at: dt.datetime) -> list | None:
    """The CTEs of `hooks.wallet_pledge_sql` for this pledge, or None when some `ledger.hooks.recorded`
    function has no SQL standing in for it (the pledge then runs in a transaction that announces it)."""
    replaced = {getattr(function, "replaces", None) for function in hooks.wallet_pledge_sql.functions}
    if not set(ledger_hooks.recorded.functions) <= replaced:
        return None
    ctes = hooks.wallet_pledge_sql.run(campaign=campaign, backer_id=backer_id, amount=amount, at=at)
    return [cte for some in ctes for cte in some]


def _wallet_spend_announce(*, campaign: Campaign, backer: Any, amount: int, pledge_id: int, at: dt.datetime) -> None:
    """`ledger.hooks.recorded` for the wallet spend `pledge_wallet_commit` just wrote, in its
    transaction: the transaction and its legs as written (the function names their accounts by
    key), without reading them back."""
    txn = Transaction(
        kind=TransactionKind.WALLET_SPEND, key=f"pledge-{pledge_id}-paid", campaign=campaign, created_at=at
    )
    legs = [
        ledger.Leg(
            Account(kind=AccountKind.WALLET, currency=campaign.currency, owner_key=Account.key_for(user=backer)),
            -amount,
            pledge_id,
        ),
        ledger.Leg(
            Account(kind=AccountKind.ESCROW, currency=campaign.currency, owner_key=Account.key_for(campaign=campaign)),
            amount,
            pledge_id,
        ),
    ]
    # The function holds the campaign FOR SHARE (the statistics need not take its key-share lock) and the
    # pledge's backer is known: two round trips fewer.
    ledger_hooks.recorded.run(transaction=txn, legs=legs, backers={pledge_id: backer.pk}, campaign_locked=True)


def _pledge_from_wallet(
    *,
    campaign_id: int,
    backer: Any,
    amount: Any,
    tier_id: Any,
    currency: str | None,
    request_key: str | None,
    now: dt.datetime | None,
    with_pledge: WithPledge | None = None,
) -> Pledge:
    with transaction.atomic():
        campaign = campaign_lock(campaign_id, shared=True)
        wallet = _wallet_lock(backer, campaign.currency)  # one spend of a wallet at a time
        tier = _tier_get(campaign.pk, tier_id)
        _check_pledge(
            campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency, now=now or timezone.now()
        )
        available = ledger.wallet_spendable(wallet)
        if available < amount:
            raise InsufficientFunds(
                f"Your wallet holds {campaign.money(available)}, less than {campaign.money(amount)}.", field="amount"
            )
        _tier_claim(tier)
        pledge = Pledge.objects.create(
            campaign=campaign,
            backer=backer,
            tier=tier,
            amount=amount,
            currency=campaign.currency,
            source=PaymentSource.WALLET,
            status=PledgeStatus.PAID,
            paid_at=timezone.now(),
            request_key=request_key,
        )
        ledger.transaction_record(
            kind=TransactionKind.WALLET_SPEND,
            key=f"pledge-{pledge.pk}-paid",
            campaign=campaign,
            legs=[
                ledger.Leg(wallet, -amount, pledge.pk),
                ledger.Leg(ledger.escrow_account(campaign), amount, pledge.pk),
            ],
        )
        hooks.pledge_counting.run(pledge=pledge)
        if with_pledge is not None:
            with_pledge(pledge)
        notify("pledge_receipt", pledge_id=pledge.pk)
    return pledge


def _wallet_lock(backer: Any, currency: str) -> Account:
    """The backer's wallet, row-locked. FOR NO KEY UPDATE: refunds that credit the wallet (their
    entries take KEY SHARE on it) need not wait for a spend."""
    key = Account.key_for(user=backer)
    wallet = (
        Account.objects.select_for_update(no_key=True)
        .filter(kind=AccountKind.WALLET, currency=currency, owner_key=key)
        .first()
    )
    if wallet is None:
        ledger.wallet_account(backer, currency)
        wallet = Account.objects.select_for_update(no_key=True).get(
            kind=AccountKind.WALLET, currency=currency, owner_key=key
        )
    return wallet


def pledge_open(
    *,
    campaign_id: int,
    backer: Any,
    amount: Any,
    tier_id: Any,
    currency: str | None,
    request_key: str | None,
    now: dt.datetime | None,
    with_pledge: WithPledge | None = None,
) -> Pledge:
    """Open a card pledge (pending) under the campaign's share lock, its reward unit claimed;
    `with_pledge(pledge)` runs in the same transaction. Raises PledgeRefused."""
    with transaction.atomic():
        campaign = campaign_lock(campaign_id, shared=True)
        tier = _tier_get(campaign.pk, tier_id)
        _check_pledge(
            campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency, now=now or timezone.now()
        )
        _tier_claim(tier)
        if campaign.platform.refund_destination == RefundDestination.WALLET:
            # Where refunds go to the wallet, the backer has one from the first pledge: the refunds of
            # a failed campaign then only credit it (see funding.services.refunds).
            ledger.wallet_account(backer, campaign.currency)
        pledge = Pledge.objects.create(
            campaign=campaign,
            backer=backer,
            tier=tier,
            amount=amount,
            currency=campaign.currency,
            source=PaymentSource.CARD,
            status=PledgeStatus.PENDING,
            request_key=request_key,
        )
        if with_pledge is not None:
            with_pledge(pledge)
        return pledge


def _pledge_pay_by_card(pledge: Pledge, *, card: str) -> Pledge:
    saved = payments.card_save(pledge=pledge, card=card)
    if saved.status == AttemptStatus.PENDING:
        return pledge  # the backer is confirming with the bank; the provider's event finishes it
    if saved.status != AttemptStatus.SUCCEEDED:
        pledge_decline(pledge_id=pledge.pk)
        raise PaymentDeclined(saved.message or "The card was declined.", field="card", reason=saved.code)
    return pledge_card_accepted(pledge, saved.reference)
