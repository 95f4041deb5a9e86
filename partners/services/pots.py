"""Match-funding pots: creating one (its rule checked), paying in, matching pledges (linear), granting at
a milestone, returning matches, judging them at a campaign's close, and closing the pot.

DOMAIN.md "Match funding: exact rules". Every amount moves in the ledger in the caller's transaction:
pay-in organisation → pot, match pot → campaign escrow, return escrow → pot, leftover pot →
organisation. `Pot.available` mirrors the pot's ledger balance and is changed only under the pot's row
lock (SELECT ... FOR UPDATE), so concurrent pledges never spend the same unit twice: the lock order is
campaign (the pledge's share lock, the close's update lock), then wallet, pledge, and the pot last."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.money import MAX_AMOUNT
from core.outbox import notify
from decisions.models import ActorRole
from decisions.services import decision_record
from ledger import services as ledger
from ledger.models import Account, AccountKind, TransactionKind
from platforms.models import Area, Category
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
    Organisation,
    Pot,
    PotRule,
    PotStatus,
)
from .organisations import actor_role_of, check_member, check_staff, check_verified

# A pot is "running low" once this share of what was paid in is left (the organisation is told once).
LOW_PERCENT = 10
NAME_MAX = 200
PER_BACKER_MAX = 1_000  # matched pledges per backer and campaign (empty: no limit)
BACKERS_MAX = 1_000_000  # backers a milestone may ask for


# --- accounts ----------------------------------------------------------------------------------


def pot_account(pot: Pot) -> Account:
    return ledger.account_keyed(
        kind=AccountKind.POT, currency=pot.currency, owner_key=f"pot:{pot.pk}", platform=pot.platform
    )


def organisation_account(organisation: Organisation, currency: str) -> Account:
    return ledger.account_keyed(
        kind=AccountKind.ORGANISATION,
        currency=currency,
        owner_key=f"organisation:{organisation.pk}",
        platform=organisation.platform,
    )


def pot_lock(pot_id: int) -> Pot:
    """The pot with its row locked for the rest of the transaction (see the lock order above)."""
    return Pot.objects.select_for_update(of=("self",)).select_related("organisation", "platform").get(pk=pot_id)


# --- creating and paying in ---------------------------------------------------------------------


def _positive_amount(value: Any, *, field: str, allow_none: bool = True) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ApplicationError(_("Give an amount."), field=field)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ApplicationError(_("An amount or cap must be at least one unit of the currency."), field=field)
    if value > MAX_AMOUNT:
        raise ApplicationError(_("This amount is too large."), field=field)
    return value


def _percent(value: Any, *, field: str, allow_none: bool = True) -> int | None:
    if value is None or value == "":
        if allow_none:
            return None
        raise ApplicationError(_("Give a share between 1 and 100 percent."), field=field)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise ApplicationError(_("Give a share between 1 and 100 percent."), field=field)
    return value


def _ratio(value: Any) -> Decimal:
    try:
        ratio = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ApplicationError(_("The ratio must be a number such as 1 or 0.5."), field="ratio") from None
    if not ratio.is_finite() or ratio <= 0:
        raise ApplicationError(
            _("The ratio must be more than 0: every unit given is matched by this much."), field="ratio"
        )
    if ratio > 100 or ratio != ratio.quantize(Decimal("0.01")):
        raise ApplicationError(_("The ratio must be at most 100, with at most two decimals."), field="ratio")
    return ratio


def pot_rule_fields(
    *,
    platform: Any,
    name: str,
    budget: Any,
    opens_at: dt.datetime | None,
    closes_at: dt.datetime | None,
    rule: str,
    ratio: Any = None,
    cap_per_pledge: Any = None,
    cap_per_campaign: Any = None,
    cap_per_campaign_percent: Any = None,
    matched_pledges_per_backer: Any = 1,
    milestone_percent: Any = None,
    milestone_backers: Any = None,
    grant_amount: Any = None,
    grant_percent: Any = None,
    cap_percent: Any = None,
    categories: list[Category] | None = None,
    areas: list[Area] | None = None,
    campaigns: list[Campaign] | None = None,
) -> dict[str, Any]:
    """A pot's terms checked (writes nothing): the model fields to store, or an ApplicationError that
    names the field of a rule that cannot work (ratio 0, a cap below one unit, a window ending before
    it opens, a campaign or category of another platform). The site, the admin and the API all ask it."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the pot a name."), field="name")
    if len(name) > NAME_MAX:
        raise ApplicationError(_("A pot's name takes at most 200 characters."), field="name")
    if rule not in PotRule.values:
        raise ApplicationError(_("Choose a rule: linear, milestone or quadratic."), field="rule")
    budget = _positive_amount(budget, field="budget", allow_none=False)
    if not opens_at or not closes_at or closes_at <= opens_at:
        raise ApplicationError(_("The pot's window must end after it opens."), field="closes_at")
    fields: dict[str, Any] = {
        "name": name,
        "budget": budget,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "rule": rule,
        "matched_pledges_per_backer": None,
        **dict.fromkeys(
            (
                "ratio",
                "cap_per_pledge",
                "cap_per_campaign",
                "cap_per_campaign_percent",
                "milestone_percent",
                "milestone_backers",
                "grant_amount",
                "grant_percent",
                "cap_percent",
            )
        ),
    }
    if rule == PotRule.LINEAR:
        fields["ratio"] = _ratio(ratio)
        fields["cap_per_pledge"] = _positive_amount(cap_per_pledge, field="cap_per_pledge")
        fields["cap_per_campaign"] = _positive_amount(cap_per_campaign, field="cap_per_campaign")
        fields["cap_per_campaign_percent"] = _percent(cap_per_campaign_percent, field="cap_per_campaign_percent")
        if matched_pledges_per_backer not in (None, ""):
            if isinstance(matched_pledges_per_backer, bool) or not isinstance(matched_pledges_per_backer, int):
                raise ApplicationError(
                    _("Give how many pledges of a backer are matched."), field="matched_pledges_per_backer"
                )
            if matched_pledges_per_backer < 1:
                raise ApplicationError(
                    _("At least one pledge of each backer must be matched."), field="matched_pledges_per_backer"
                )
            if matched_pledges_per_backer > PER_BACKER_MAX:
                raise ApplicationError(
                    _("At most 1,000 pledges of a backer can be matched; leave it empty for no limit."),
                    field="matched_pledges_per_backer",
                )
            fields["matched_pledges_per_backer"] = matched_pledges_per_backer
    elif rule == PotRule.MILESTONE:
        fields["milestone_percent"] = _percent(milestone_percent, field="milestone_percent", allow_none=False)
        backers = milestone_backers if milestone_backers not in (None, "") else 1
        if isinstance(backers, bool) or not isinstance(backers, int) or backers < 1:
            raise ApplicationError(_("At least one backer is needed to reach a milestone."), field="milestone_backers")
        if backers > BACKERS_MAX:
            raise ApplicationError(_("A milestone takes at most 1,000,000 backers."), field="milestone_backers")
        fields["milestone_backers"] = backers
        fields["grant_amount"] = _positive_amount(grant_amount, field="grant_amount")
        fields["grant_percent"] = _percent(grant_percent, field="grant_percent")
        if (fields["grant_amount"] is None) == (fields["grant_percent"] is None):
            raise ApplicationError(
                _("Give the grant as an amount or as a share of the goal, not both."), field="grant_amount"
            )
    else:
        fields["cap_percent"] = _percent(cap_percent, field="cap_percent") or 100
    for chosen, label in ((categories, "categories"), (areas, "areas"), (campaigns, "campaigns")):
        if any(item.platform_id != platform.pk for item in chosen or []):
            raise ApplicationError(_("Choose only categories, areas and campaigns of the pot's platform."), field=label)
    return fields


@transaction.atomic
def pot_create(
    *,
    organisation: Organisation,
    user: Any,
    categories: list[Category] | None = None,
    areas: list[Area] | None = None,
    campaigns: list[Campaign] | None = None,
    **terms: Any,
) -> Pot:
    """An organisation's administrator (or staff) creates a pot on the organisation's platform (the
    terms as `pot_rule_fields` takes them). A rule that cannot work is refused with a clear error and
    nothing is written."""
    if not getattr(user, "is_staff", False):
        check_member(organisation, user, MemberRole.ADMIN)
    check_verified(organisation)
    platform = organisation.platform
    fields = pot_rule_fields(platform=platform, categories=categories, areas=areas, campaigns=campaigns, **terms)
    pot = Pot.objects.create(organisation=organisation, platform=platform, currency=platform.currency, **fields)
    pot.categories.set(categories or [])
    pot.areas.set(areas or [])
    pot.campaigns.set(campaigns or [])
    return pot


@transaction.atomic
def pot_update(
    *,
    pot: Pot,
    user: Any,
    categories: list[Category] | None = None,
    areas: list[Area] | None = None,
    campaigns: list[Campaign] | None = None,
    **terms: Any,
) -> Pot:
    """Change an open pot's terms (staff or the organisation's administrator), checked as at creation;
    its rule stays (matches already committed keep theirs), and its budget cannot fall below what was
    paid in. Pledges matched later follow the new terms."""
    locked = pot_lock(pot.pk)  # its organisation read afresh with it
    if not getattr(user, "is_staff", False):
        check_member(locked.organisation, user, MemberRole.ADMIN)
    check_verified(locked.organisation)
    if locked.status != PotStatus.OPEN:
        raise ApplicationError(_("This pot is closed."), code="pot_closed")
    if terms.get("rule", locked.rule) != locked.rule:
        raise ApplicationError(_("A pot's rule cannot change; close it and open another."), field="rule")
    terms["rule"] = locked.rule
    fields = pot_rule_fields(platform=locked.platform, categories=categories, areas=areas, campaigns=campaigns, **terms)
    if fields["budget"] < locked.paid_in:
        raise ApplicationError(_("The budget cannot be less than what was paid in already."), field="budget")
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(fields))
    locked.categories.set(categories or [])
    locked.areas.set(areas or [])
    locked.campaigns.set(campaigns or [])
    return locked


@transaction.atomic
def pot_pay_in(*, pot: Pot, staff: Any, amount: Any, reference: str) -> Pot:
    """Staff record money the organisation paid into the pot (a bank transfer, its `reference`): booked
    organisation → pot. The same reference is never booked twice."""
    check_staff(staff)
    amount = _positive_amount(amount, field="amount", allow_none=False)
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(_("Give the transfer's reference."), field="reference")
    pot = pot_lock(pot.pk)
    if pot.status != PotStatus.OPEN:
        raise ApplicationError(_("This pot is closed."), code="pot_closed")
    try:
        with transaction.atomic():
            ledger.transaction_record(
                kind=TransactionKind.POT_PAY_IN,
                key=f"pot-{pot.pk}-pay-in-{reference}"[:120],
                memo=f"Paid in by {pot.organisation.name}: {reference}"[:200],
                legs=[
                    ledger.Leg(organisation_account(pot.organisation, pot.currency), -amount),
                    ledger.Leg(pot_account(pot), amount),
                ],
            )
    except IntegrityError:
        raise ApplicationError(_("A payment with this reference is recorded already."), field="reference") from None
    pot.paid_in += amount
    pot.available += amount
    pot.save(update_fields=["paid_in", "available"])
    return pot


# --- which pots a campaign draws on -------------------------------------------------------------


def pots_eligible(campaign: Campaign, *, now: dt.datetime, rules: tuple[str, ...]) -> list[Pot]:
    """The open pots, in their window at `now`, whose rule is one of `rules` and for which `campaign`
    qualifies: with a call, only a campaign approved in it; otherwise a campaign the organisation picked,
    or one in the pot's categories and areas (where any is given); a pot without any criterion covers
    the platform. One query."""
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


def pledge_counting(*, pledge: Pledge) -> None:
    """pledges.hooks.pledge_counting: a pledge starts to count (its transaction, the campaign share-locked):
    match it from each linear pot the campaign qualifies for, and grant any milestone reached."""
    campaign = pledge.campaign
    pots = pots_eligible(campaign, now=timezone.now(), rules=(PotRule.LINEAR, PotRule.MILESTONE))
    matched = 0
    for pot in pots:
        if pot.rule == PotRule.LINEAR:
            match = pledge_match(pledge=pledge, campaign=campaign, pot=pot)
            matched += match.amount if match else 0
        else:
            milestone_check(campaign=campaign, pot=pot)
    pledge.matched_amount = matched  # type: ignore[attr-defined]  # its answer says it (selectors.pledge_matched)


def wallet_fast_path_refused(*, campaign: Any) -> bool:
    """pledges.hooks.wallet_fast_path_refused: a campaign drawing on a pot takes the Python path. The
    pots found stay on the campaign (`match_pots`): a pledge of the fast path knows it has no match."""
    campaign.match_pots = pots_eligible(campaign, now=timezone.now(), rules=(PotRule.LINEAR, PotRule.MILESTONE))
    return bool(campaign.match_pots)


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
