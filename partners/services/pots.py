"""Match-funding pots: matching pledges (linear), granting at a milestone, returning matches, judging
them at a campaign's close, and closing the pot (setting one up and paying in: `pot_setup`, re-exported here).

DOMAIN.md "Match funding: exact rules". Every amount moves in the ledger in the caller's transaction:
pay-in organisation → pot, match pot → campaign escrow, return escrow → pot, leftover pot →
organisation. `Pot.available` mirrors the pot's ledger balance and is changed only under the pot's row
lock (SELECT ... FOR UPDATE), so concurrent pledges never spend the same unit twice: the lock order is
campaign (the pledge's share lock, the close's update lock), then wallet, pledge, and the pot last."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.outbox import notify, outbox_kick
from decisions.models import ActorRole
from decisions.services import decision_record
from ledger import hooks as ledger_hooks
from ledger import services as ledger
from ledger.models import Account, AccountKind, Transaction, TransactionKind
from pledges.models import Pledge
from pledges.selectors import campaign_totals
from projects.models import Campaign

from ..models import (
    Application,
    ApplicationStatus,
    Call,
    Match,
    MatchStatus,
    MemberRole,
    Pot,
    PotRule,
    PotStatus,
)
from .organisations import actor_role_of, check_member
from .pot_setup import (  # noqa: F401 -- re-exported: callers set pots up through this module
    BACKERS_MAX,
    LOW_PERCENT,
    NAME_MAX,
    PER_BACKER_MAX,
    _percent,
    _positive_amount,
    _ratio,
    organisation_account,
    pot_account,
    pot_create,
    pot_lock,
    pot_pay_in,
    pot_rule_fields,
    pot_update,
)

# --- which pots a campaign draws on -------------------------------------------------------------


def pots_eligible(campaign: Campaign, *, now: dt.datetime, rules: tuple[str, ...]) -> list[Pot]:
    """The open pots, in their window at `now`, whose rule is one of `rules` and for which `campaign`
    qualifies: with a call, only a campaign approved in it; otherwise a campaign the organisation picked,
    or one in the pot's categories and areas (where any is given); a pot without any criterion covers
    the platform. One plain query when the platform has no such pot open (every pledge asks), two
    otherwise."""
    if not _pots_open(campaign, now=now, rules=rules):
        return []
    pot = OuterRef("pk")
    picks, cats, areas = Pot.campaigns.through, Pot.categories.through, Pot.areas.through
    candidates = (
        Pot.objects.filter(
            platform_id=campaign.platform_id,
            currency=campaign.currency,
            status=PotStatus.OPEN,
            rule__in=rules,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .annotate(
            has_call=Exists(Call.objects.filter(pot_id=pot)),
            in_call=Exists(
                Application.objects.filter(call__pot_id=pot, campaign_id=campaign.pk, status=ApplicationStatus.APPROVED)
            ),
            has_picks=Exists(picks.objects.filter(pot_id=pot)),
            picked=Exists(picks.objects.filter(pot_id=pot, campaign_id=campaign.pk)),
            has_cats=Exists(cats.objects.filter(pot_id=pot)),
            cat_ok=Exists(cats.objects.filter(pot_id=pot, category_id=campaign.category_id)),
            has_areas=Exists(areas.objects.filter(pot_id=pot)),
            area_ok=Exists(areas.objects.filter(pot_id=pot, area_id=campaign.area_id or 0)),
        )
        .order_by("id")
    )
    chosen: list[Pot] = []
    for p in candidates:
        if p.has_call:
            ok = p.in_call
        else:
            criteria = p.has_cats or p.has_areas
            fits = (not p.has_cats or p.cat_ok) and (not p.has_areas or p.area_ok)
            ok = p.picked or (criteria and fits) or not (criteria or p.has_picks)
        if ok:
            chosen.append(p)
    return chosen


def _pots_open(campaign: Campaign, *, now: dt.datetime, rules: tuple[str, ...]) -> bool:
    """Whether the campaign's platform has any pot of `rules` open at `now` in its currency: a plain
    query on the pots' index, without the ORM's cost of compiling `pots_eligible`'s (most platforms
    have none open most of the time)."""
    sql, params = _pots_open_sql(campaign, now=now, rules=rules)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", params)
        return bool(cursor.fetchone()[0])


def _pots_open_sql(campaign: Campaign, *, now: dt.datetime, rules: tuple[str, ...]) -> tuple[str, list]:
    """`_pots_open` as an SQL expression and its parameters."""
    sql = (
        f'EXISTS (SELECT 1 FROM "{Pot._meta.db_table}" WHERE platform_id = %s AND status = %s '
        f"AND closes_at > %s AND opens_at <= %s AND currency = %s AND rule IN ({', '.join(['%s'] * len(rules))}))"
    )
    return sql, [campaign.platform_id, PotStatus.OPEN, now, now, campaign.currency, *rules]


def check_pot_covers(pot: Pot, campaign: Campaign) -> None:
    """A pot matches only campaigns of its own platform, in its currency (no query)."""
    if campaign.platform_id != pot.platform_id or campaign.currency != pot.currency:
        raise ApplicationError(
            _("This pot belongs to another platform than the campaign: it cannot match it."), code="platform_mismatch"
        )


def campaign_cap(pot: Pot, campaign: Campaign) -> int | None:
    """The most the pot gives one campaign (the amount and/or the share of its goal), or None."""
    caps = [c for c in (pot.cap_per_campaign,) if c is not None]
    if pot.cap_per_campaign_percent is not None:
        caps.append(campaign.goal * pot.cap_per_campaign_percent // 100)
    return min(caps) if caps else None


def match_wanted(pot: Pot, amount: int) -> int:
    """floor(amount × ratio), within the per-pledge cap (before the campaign's room and the pot's)."""
    assert pot.ratio is not None
    wanted = int((Decimal(amount) * pot.ratio).to_integral_value(rounding=ROUND_FLOOR))
    return min(wanted, pot.cap_per_pledge) if pot.cap_per_pledge is not None else wanted


def matched_on(pot: Pot, campaign_id: int) -> int:
    return (
        Match.objects.filter(pot=pot, campaign_id=campaign_id, status=MatchStatus.COMMITTED).aggregate(t=Sum("amount"))[
            "t"
        ]
        or 0
    )


# --- matching -----------------------------------------------------------------------------------


def _commit(
    pot: Pot,
    campaign: Campaign,
    amount: int,
    *,
    pledge: Pledge | None = None,
    backer_id: int | None = None,
    tell: bool = True,
) -> Match:
    """Book `amount` (≤ pot.available) pot → campaign escrow; caller holds the pot's lock. `tell=False`
    (a quadratic round's many shares at once): no "match committed" e-mail to the organisation."""
    match = Match.objects.create(
        pot=pot, campaign=campaign, pledge=pledge, backer_id=backer_id, amount=amount, currency=pot.currency
    )
    ledger.transaction_record(
        kind=TransactionKind.MATCH,
        key=f"match-{match.pk}",
        campaign=campaign,
        memo=f"Matched by {pot.organisation.name}"[:200],
        legs=[
            ledger.Leg(pot_account(pot), -amount, pledge.pk if pledge else None),
            ledger.Leg(ledger.escrow_account(campaign), amount, pledge.pk if pledge else None),
        ],
    )
    was_low = pot.available * 100 <= pot.paid_in * LOW_PERCENT
    pot.available -= amount
    pot.save(update_fields=["available"])
    if tell:
        notify("match_committed", match_id=match.pk)
    if not was_low and pot.available * 100 <= pot.paid_in * LOW_PERCENT:
        notify("pot_low", pot_id=pot.pk)
    return match


def pledge_match(*, pledge: Pledge, campaign: Campaign, pot: Pot) -> Match | None:
    """DOMAIN.md's linear rule for one counting pledge, in its transaction: match = min(floor(amount ×
    ratio), per-pledge cap, per-campaign cap − already matched on the campaign, pot available), and none
    once the backer has the per-backer number of matched pledges on the campaign. Takes the pot's lock."""
    check_pot_covers(pot, campaign)
    pot = pot_lock(pot.pk)
    if pot.status != PotStatus.OPEN or pot.available <= 0:
        return None
    if pot.matched_pledges_per_backer is not None:
        had = Match.objects.filter(
            pot=pot, campaign_id=campaign.pk, backer_id=pledge.backer_id, status=MatchStatus.COMMITTED
        ).count()
        if had >= pot.matched_pledges_per_backer:
            return None
    amount = min(match_wanted(pot, pledge.amount), pot.available)
    cap = campaign_cap(pot, campaign)
    if cap is not None:
        amount = min(amount, cap - matched_on(pot, campaign.pk))
    if amount <= 0:
        return None
    return _commit(pot, campaign, amount, pledge=pledge, backer_id=pledge.backer_id)


def milestone_check(*, campaign: Campaign, pot: Pot) -> Match | None:
    """DOMAIN.md's milestone rule: once citizen money × 100 ≥ goal × milestone percent from at least N
    distinct backers, commit the grant once (or what the pot has left, if less). Takes the pot's lock."""
    check_pot_covers(pot, campaign)
    pot = pot_lock(pot.pk)
    if pot.status != PotStatus.OPEN or pot.available <= 0:
        return None
    if Match.objects.filter(pot=pot, campaign_id=campaign.pk, pledge__isnull=True).exists():
        return None
    citizen, backers = campaign_totals(campaign.pk)
    assert pot.milestone_percent is not None and pot.milestone_backers is not None
    if citizen * 100 < campaign.goal * pot.milestone_percent or backers < pot.milestone_backers:
        return None
    grant = pot.grant_amount if pot.grant_amount is not None else campaign.goal * (pot.grant_percent or 0) // 100
    amount = min(grant, pot.available)
    if amount <= 0:
        return None
    return _commit(pot, campaign, amount)


def _match_in_sql(pot: Pot, campaign: Campaign, pledge: Pledge) -> int:
    """`pledge_match` in one round trip (partners.match_sql's `pot_match_commit`, PostgreSQL): the
    amount matched, 0 for none, -1 when an account it books on is missing (take the Python path)."""
    check_pot_covers(pot, campaign)
    at = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT match_id, matched FROM pot_match_commit(%s, %s, %s, %s, %s, %s, %s, %s)",
            [pot.pk, campaign.pk, pledge.pk, pledge.backer_id, pledge.amount, campaign.goal, at, escrow_key(campaign)],
        )
        match_id, matched = cursor.fetchone()
    if match_id is None:
        return matched
    transaction.on_commit(outbox_kick)  # the function wrote the e-mails into the outbox
    # ledger.hooks.recorded, for the movement the function wrote (its accounts named by key)
    txn = Transaction(kind=TransactionKind.MATCH, key=f"match-{match_id}", campaign=campaign, created_at=at)
    ledger_hooks.recorded.run(
        transaction=txn,
        legs=[
            ledger.Leg(
                Account(kind=AccountKind.POT, currency=pot.currency, owner_key=f"pot:{pot.pk}"), -matched, pledge.pk
            ),
            ledger.Leg(
                Account(kind=AccountKind.ESCROW, currency=pot.currency, owner_key=escrow_key(campaign)),
                matched,
                pledge.pk,
            ),
        ],
        backers={pledge.pk: pledge.backer_id},
    )
    return matched


def escrow_key(campaign: Campaign) -> str:
    return Account.key_for(campaign=campaign)


def pledge_counting(*, pledge: Pledge) -> None:
    """pledges.hooks.pledge_counting: a pledge starts to count (its transaction, the campaign share-locked):
    match it from each linear pot the campaign qualifies for, and grant any milestone reached. On
    PostgreSQL a linear match is one round trip (`_match_in_sql`); the pots found by
    `wallet_fast_path_refused` in this request are used again (the pot's lock re-checks what counts)."""
    campaign = pledge.campaign
    pots = _match_pots(campaign)
    in_sql = connection.vendor == "postgresql"
    matched = 0
    for pot in pots:
        if pot.rule == PotRule.LINEAR:
            amount = _match_in_sql(pot, campaign, pledge) if in_sql else -1
            if amount < 0:
                match = pledge_match(pledge=pledge, campaign=campaign, pot=pot)
                amount = match.amount if match else 0
            matched += amount
        else:
            milestone_check(campaign=campaign, pot=pot)
    pledge.matched_amount = matched  # type: ignore[attr-defined]  # its answer says it (selectors.pledge_matched)


def wallet_fast_path_refused(*, campaign: Any) -> bool:
    """pledges.hooks.wallet_fast_path_refused: a campaign drawing on a milestone pot takes the Python
    path; linear pots match in the fast path's transaction (`pledge_counting`, one round trip each). The
    pots found stay on the campaign (`match_pots`) for that, and so a pledge of a campaign without any
    knows it has no match."""
    campaign.match_pots = None  # found afresh for this pledge
    return any(pot.rule != PotRule.LINEAR for pot in _match_pots(campaign))


def wallet_pledge_in_transaction(*, campaign: Any) -> bool:
    """pledges.hooks.wallet_pledge_in_transaction: a campaign with a linear pot books each wallet
    pledge's match in the pledge's transaction (`pledge_counting`)."""
    return bool(_match_pots(campaign))


def match_pots_guard(*, campaign: Any) -> tuple[str, list]:
    """The `sql_guard` of the two functions above (pledges.hooks): true when the campaign's platform has
    a pot open that it may draw on, so a wallet pledge of a platform without one asks in its own
    statement, not in a query of its own."""
    return _pots_open_sql(campaign, now=timezone.now(), rules=(PotRule.LINEAR, PotRule.MILESTONE))


wallet_fast_path_refused.sql_guard = match_pots_guard  # type: ignore[attr-defined]
wallet_pledge_in_transaction.sql_guard = match_pots_guard  # type: ignore[attr-defined]


def _match_pots(campaign: Any) -> list[Pot]:
    """The pots this request found the campaign drawing on (`match_pots`), found now if not yet."""
    if getattr(campaign, "match_pots", None) is None:
        if match_pots_guard in getattr(campaign, "sql_guards_false", ()):
            campaign.match_pots = []  # the pledge's own statement found no pot open
        else:
            campaign.match_pots = pots_eligible(campaign, now=timezone.now(), rules=(PotRule.LINEAR, PotRule.MILESTONE))
    return campaign.match_pots


# --- returning ---------------------------------------------------------------------------------


def _return(match: Match, pot: Pot, *, now: dt.datetime) -> None:
    """Book a match back escrow → pot (caller holds the pot's lock); a closed pot passes it straight on
    to its organisation."""
    ledger.transaction_record(
        kind=TransactionKind.MATCH_RETURN,
        key=f"match-{match.pk}-return",
        campaign=match.campaign,
        legs=[
            ledger.Leg(ledger.escrow_account(match.campaign), -match.amount, match.pledge_id),
            ledger.Leg(pot_account(pot), match.amount, match.pledge_id),
        ],
    )
    match.status, match.settled_at = MatchStatus.RETURNED, now
    match.save(update_fields=["status", "settled_at"])
    pot.available += match.amount
    pot.save(update_fields=["available"])
    if pot.status == PotStatus.CLOSED:
        _leftover_return(pot, key=f"match-{match.pk}-return-to-organisation")


def matches_return(matches: list[Match], *, now: dt.datetime | None = None) -> int:
    """Return committed matches to their pots (each pot locked in id order); the total returned."""
    now = now or timezone.now()
    total = 0
    for pot_id in sorted({m.pot_id for m in matches}):
        pot = pot_lock(pot_id)
        for match in (m for m in matches if m.pot_id == pot_id):
            _return(match, pot, now=now)
            total += match.amount
    return total


def pledges_not_counting(*, campaign_id: int, pledge_ids: list[int]) -> None:
    """pledges.hooks.pledges_not_counting: a cancelled (refunded, released, dropped) pledge frees its
    match back to the pot; other pledges are not re-matched. A match already collected by a split
    campaign stays; one of a charge-on-success campaign not yet split goes back too."""
    matches = list(
        Match.objects.filter(pledge_id__in=pledge_ids, status__in=[MatchStatus.COMMITTED, MatchStatus.COLLECTED])
        .filter(campaign__collected__isnull=True)
        .select_related("campaign")
        .order_by("id")
    )
    if matches:
        matches_return(matches)


# --- at the campaign's close --------------------------------------------------------------------


def citizen_share_met(campaign: Campaign, citizen: int) -> bool:
    """DOMAIN.md: citizen money × 100 ≥ goal × the platform's minimum citizen share."""
    return citizen * 100 >= campaign.goal * campaign.platform.match_min_citizen_percent


def committed_to(campaign: Campaign) -> int:
    return Match.objects.filter(campaign=campaign, status=MatchStatus.COMMITTED).aggregate(t=Sum("amount"))["t"] or 0


def counted_at_close(*, campaign: Campaign, citizen: int) -> int:
    """funding.hooks.counted_at_close: the match counts toward success only where the platform allows it
    and the citizen share is met."""
    if not campaign.platform.match_counts_toward_goal or not citizen_share_met(campaign, citizen):
        return 0
    return committed_to(campaign)


def closed(*, campaign: Campaign, succeeded: bool, citizen: int) -> None:
    """funding.hooks.closed (the close's transaction, the campaign locked): a failed campaign's match, or
    one whose citizen share was not met, goes back to its pot (never to a card or wallet); a funded
    campaign's match is collected with it (split with the citizen money)."""
    matches = list(
        Match.objects.filter(campaign=campaign, status=MatchStatus.COMMITTED).select_related("campaign").order_by("id")
    )
    if not matches:
        return
    if succeeded and citizen_share_met(campaign, citizen):
        Match.objects.filter(pk__in=[m.pk for m in matches]).update(
            status=MatchStatus.COLLECTED, settled_at=timezone.now()
        )
    else:
        matches_return(matches)


def split_extra(*, campaign: Campaign) -> int:
    """funding.hooks.split_extra: the match money a funded campaign collected, split with its citizen money."""
    return Match.objects.filter(campaign=campaign, status=MatchStatus.COLLECTED).aggregate(t=Sum("amount"))["t"] or 0


# --- closing the pot ------------------------------------------------------------------------------


def _leftover_return(pot: Pot, *, key: str) -> int:
    """What the pot holds goes back to its organisation (a payout to it); caller holds the pot's lock."""
    left = pot.available
    if left <= 0:
        return 0
    ledger.transaction_record(
        kind=TransactionKind.POT_RETURN,
        key=key,
        memo=f"Returned to {pot.organisation.name}"[:200],
        legs=[
            ledger.Leg(pot_account(pot), -left),
            ledger.Leg(organisation_account(pot.organisation, pot.currency), left),
        ],
    )
    pot.available = 0
    pot.save(update_fields=["available"])
    return left


@transaction.atomic
def pot_close(*, pot: Pot, user: Any = None, reason: str = "", now: dt.datetime | None = None) -> Pot:
    """Close a pot: what is left goes back to the organisation (recorded as a payout to it). Due pots
    are closed by the scheduled job (user None); closing early needs the organisation's administrator
    or staff, and a public reason. Matches committed to live campaigns stay committed; those that come
    back later pass on to the organisation."""
    now = now or timezone.now()
    pot = pot_lock(pot.pk)
    if pot.status == PotStatus.CLOSED:
        raise ApplicationError(_("This pot is closed already."), code="pot_closed")
    early = now < pot.closes_at
    role: str = ActorRole.SYSTEM
    if early:
        if user is None:
            raise ApplicationError(_("This pot's window has not ended."), code="pot_not_due")
        if getattr(user, "is_staff", False):
            role = ActorRole.STAFF
        else:
            role = actor_role_of(check_member(pot.organisation, user, MemberRole.ADMIN))
        if not (reason or "").strip():
            raise ApplicationError(_("Say publicly why the pot closes early."), field="reason")
    pot.status, pot.closed_at = PotStatus.CLOSED, now
    pot.save(update_fields=["status", "closed_at"])
    left = _leftover_return(pot, key=f"pot-{pot.pk}-leftover")
    decision_record(
        platform=pot.platform,
        kind="pot.closed_early" if early else "pot.closed",
        actor_role=role,
        actor=user,
        reason=reason if early else _("%(left)s returned to the organisation.") % {"left": pot.platform.money(left)},
        subject_type="pot",
        subject_id=pot.pk,
        on_behalf_of=pot.organisation.name,
        at=now,
    )
    return pot


def pots_close_due(*, now: dt.datetime | None = None) -> int:
    """Close every open pot past its window (each in its own transaction); the number closed. A round's
    pot closes only after its round (partners.services.rounds)."""
    now = now or timezone.now()
    due = Pot.objects.filter(status=PotStatus.OPEN, closes_at__lte=now).exclude(
        rule=PotRule.QUADRATIC, call__round_closed_at__isnull=True, call__isnull=False
    )
    closed_count = 0
    for pot_id in due.values_list("pk", flat=True):
        try:
            pot_close(pot=Pot(pk=pot_id), now=now)
            closed_count += 1
        except ApplicationError:
            continue
    return closed_count
