"""Quadratic funding rounds of open calls (DOMAIN.md "Quadratic round").

At the round's close (its pot's `closes_at`, before the call's campaigns close) the pot is shared among the
call's live approved campaigns: for each campaign take each backer's total citizen money s (counting
pledges); weight = (Σ√s)² − Σs (one backer weighs 0); share = pot × weight ÷ Σ weights; a share above
the cap (cap percent of the pot) is set to the cap and the rest of the pot is shared again, by weight, among
the uncapped campaigns, until none is over. Each match is rounded down to the unit; what rounding leaves
stays in the pot (and goes back to the organisation when the pot closes).

Each share is a `Match` (no pledge) booked pot → campaign escrow like any other, so the complement rule,
a failed campaign's return and the per-pot audit apply unchanged (`pots.closed`, `audit.pots_audit`).
The whole round is one database transaction that ends by stamping `Call.round_closed_at`: killed halfway it
leaves nothing, and run again it finds the stamp and does nothing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, localcontext

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from decisions.models import ActorRole
from decisions.services import decision_record
from pledges.models import COUNTING, Pledge
from projects.models import Campaign, CampaignStatus

from ..models import Application, ApplicationStatus, Call, CallStatus, Match, PotRule, PotStatus
from .pots import _commit, pot_lock

# DOMAIN.md asks for at least 28 significant digits; 50 leaves room for sums of 100,000 square roots.
PRECISION = 50
# Shares are snapped to this before rounding down, so a share that is exactly a whole number in the rules'
# arithmetic (e.g. half of an even pot) is not taken one unit down by the last digit of a square root.
SNAP = Decimal("1e-20")


def campaign_weight(backer_totals: Iterable[int]) -> Decimal:
    """(Σ√s)² − Σs over each backer's total s; 0 for a campaign with one backer (or none)."""
    totals = [s for s in backer_totals if s > 0]
    if len(totals) < 2:
        return Decimal(0)
    with localcontext() as ctx:
        ctx.prec = PRECISION
        roots = sum((Decimal(s).sqrt() for s in totals), Decimal(0))
        weight = roots * roots - sum(totals)
    return max(weight, Decimal(0))


def quadratic_shares(pot: int, weights: Mapping[int, Decimal], cap_percent: int) -> dict[int, int]:
    """Each campaign's match (campaign id → whole units, 0 included) of a pot of `pot` units, by weight,
    with no campaign above `cap_percent` of the pot and the excess shared again among the rest."""
    shares: dict[int, Decimal] = dict.fromkeys(weights, Decimal(0))
    with localcontext() as ctx:
        ctx.prec = PRECISION
        cap = Decimal(pot) * cap_percent / 100
        remaining = Decimal(pot)
        uncapped = {c for c, w in weights.items() if w > 0}
        while uncapped:
            total = sum((weights[c] for c in uncapped), Decimal(0))
            offered = {c: (remaining * weights[c] / total).quantize(SNAP, ROUND_HALF_EVEN) for c in uncapped}
            over = {c for c, share in offered.items() if share > cap}
            if not over:
                shares.update(offered)
                break
            for c in over:
                shares[c] = cap
                remaining -= cap
            uncapped -= over
    return {c: int(share.to_integral_value(rounding=ROUND_FLOOR)) for c, share in shares.items()}


@dataclass(frozen=True)
class RoundResult:
    call_id: int
    shared: int  # what the round moved to campaigns
    left: int  # what stayed in the pot (rounding, caps, campaigns without weight)
    matches: dict[int, int]  # campaign id → its match (0 when it got none)
    already: bool = False  # the round had closed before this call


def backer_totals(campaign_ids: list[int]) -> dict[int, list[int]]:
    """Campaign id → each backer's total counting (citizen) money: one grouped query over the pledges'
    covering index (campaign, status) including amount and backer."""
    out: defaultdict[int, list[int]] = defaultdict(list)
    rows = (
        Pledge.objects.filter(campaign_id__in=campaign_ids, status__in=COUNTING)
        .values_list("campaign_id", "backer_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for campaign_id, _backer_id, total in rows:
        out[campaign_id].append(total)
    return out


@transaction.atomic
def round_close(*, call: Call, now: dt.datetime | None = None) -> RoundResult:
    """Close a call's quadratic round once its pot's window has ended: share what the pot holds among the
    call's approved campaigns still live (each locked, in id order, then the pot: the lock order of
    `pots`), booking each share pot → campaign escrow. Idempotent: a round already closed is reported
    as it was, and nothing is written."""
    now = now or timezone.now()
    call = Call.objects.select_for_update(of=("self",)).select_related("organisation", "platform").get(pk=call.pk)
    if call.round_closed_at is not None:
        done: dict[int, int] = dict(
            Match.objects.filter(pot_id=call.pot_id or 0, pledge__isnull=True)
            .values_list("campaign_id")
            .annotate(t=Sum("amount"))
            .order_by()
        )
        return RoundResult(call.pk, sum(done.values()), 0, done, already=True)
    if call.pot_id is None or call.pot is None or call.pot.rule != PotRule.QUADRATIC:
        raise ApplicationError(_("This call has no quadratic round."), code="no_round")
    if now < call.pot.closes_at:
        raise ApplicationError(_("This round closes when its pot does."), code="round_not_due")
    campaign_ids = list(
        Application.objects.filter(call=call, status=ApplicationStatus.APPROVED).values_list("campaign_id", flat=True)
    )
    live = list(
        Campaign.objects.select_for_update()
        .filter(pk__in=campaign_ids, status=CampaignStatus.LIVE, closed_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    pot = pot_lock(call.pot_id)
    totals = backer_totals(live)
    weights = {c: campaign_weight(totals.get(c, [])) for c in live}
    available = pot.available if pot.status == PotStatus.OPEN else 0
    shares = quadratic_shares(available, weights, pot.cap_percent or 100)
    campaigns = Campaign.objects.in_bulk([c for c, amount in shares.items() if amount > 0])
    for campaign_id in sorted(campaigns):
        _commit(pot, campaigns[campaign_id], shares[campaign_id], tell=False)
    shared = sum(shares.values())
    call.round_closed_at, call.status = now, CallStatus.CLOSED
    call.save(update_fields=["round_closed_at", "status"])
    decision_record(
        platform=call.platform,
        kind="call.round_closed",
        actor_role=ActorRole.SYSTEM,
        reason=_("%(shared)s shared among %(n)s campaigns; %(left)s left in the pot.")
        % {
            "shared": call.platform.money(shared),
            "n": sum(1 for a in shares.values() if a > 0),
            "left": call.platform.money(available - shared),
        },
        subject_type="call",
        subject_id=call.pk,
        on_behalf_of=call.organisation.name,
        at=now,
    )
    return RoundResult(call.pk, shared, available - shared, shares)


def rounds_close_due(*, now: dt.datetime | None = None, campaign_ids: list[int] | None = None) -> int:
    """Close every quadratic round whose pot's window has ended (each in its own transaction; with
    `campaign_ids`, only the rounds of calls those campaigns were approved in); the number closed. The
    scheduled job runs it before the pots' own close (`pots.pots_close_due` leaves a round's pot open until
    its round has closed)."""
    now = now or timezone.now()
    due = Call.objects.filter(round_closed_at__isnull=True, pot__rule=PotRule.QUADRATIC, pot__closes_at__lte=now)
    if campaign_ids is not None:
        due = due.filter(
            pk__in=Application.objects.filter(campaign_id__in=campaign_ids, status=ApplicationStatus.APPROVED).values(
                "call_id"
            )
        )
    closed = 0
    for call_id in list(due.values_list("pk", flat=True)):
        try:
            round_close(call=Call(pk=call_id), now=now)
            closed += 1
        except ApplicationError:
            continue
    return closed


def before_close(*, campaign_ids: list[int], now: dt.datetime) -> None:
    """funding.hooks.before_close: a round of the campaigns about to close books its shares first (its
    pot closes before the campaigns' deadline, so a late scheduler still closes the round before them)."""
    rounds_close_due(now=now, campaign_ids=campaign_ids)
