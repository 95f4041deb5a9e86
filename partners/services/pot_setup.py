"""Setting a match-funding pot up: its ledger accounts and row lock, creating one with its rule checked
(DOMAIN.md "Match funding: exact rules"), editing it, and staff recording money paid in. Matching,
returning and closing are in `partners.services.pots`, which re-exports these names."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.money import MAX_AMOUNT
from ledger import services as ledger
from ledger.models import Account, AccountKind, TransactionKind
from platforms.models import Area, Category
from projects.models import Campaign

from .. import match_sql
from ..models import (
    MemberRole,
    Organisation,
    Pot,
    PotRule,
    PotStatus,
)
from .organisations import check_member, check_staff, check_verified

# A pot is "running low" once this share of what was paid in is left (the organisation is told once).
LOW_PERCENT = 10
assert LOW_PERCENT == match_sql.LOW_PERCENT
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
