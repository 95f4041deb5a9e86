"""Reads of the partners app: organisations with their totals, endorsers and sponsors of a page."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.money import exponent
from platforms.models import Platform
from pledges.models import Pledge
from pledges.selectors import FRONT_CARDS, campaigns_public
from projects.models import Campaign

from .models import (
    Call,
    CallStatus,
    Endorsement,
    Match,
    MatchStatus,
    Membership,
    Organisation,
    Pot,
    PotRule,
    Sponsorship,
)
from .services.pots import campaign_cap, match_wanted, matched_on, pots_eligible


def organisations_of(platform: Platform, *, verified_only: bool = False) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(platform=platform)
    if verified_only:
        qs = qs.filter(verified_at__isnull=False)
    return qs.order_by("name", "id")


def organisation_by_slug(platform: Platform, slug: str) -> Organisation | None:
    return (
        Organisation.objects.filter(platform=platform, slug=slug)
        .prefetch_related(Prefetch("members", queryset=Membership.objects.select_related("user")))
        .first()
    )


def organisation_verified_member(user: Any, platform: Platform | None = None) -> bool:
    """True when `user` belongs to a verified organisation (of `platform` if given)."""
    if not getattr(user, "pk", None):
        return False
    qs = Membership.objects.filter(user_id=user.pk, organisation__verified_at__isnull=False)
    if platform is not None:
        qs = qs.filter(organisation__platform=platform)
    return qs.exists()


def organisations_of_user(user: Any) -> QuerySet[Organisation]:
    if not getattr(user, "pk", None):
        return Organisation.objects.none()
    return Organisation.objects.filter(members__user_id=user.pk).select_related("platform")


def endorsements_standing(campaign: Campaign) -> list[Endorsement]:
    return list(
        Endorsement.objects.filter(campaign=campaign, withdrawn_at__isnull=True)
        .select_related("organisation")
        .order_by("created_at", "id")
    )


def endorsements_of(organisation: Organisation) -> QuerySet[Endorsement]:
    return Endorsement.objects.filter(organisation=organisation).select_related("campaign").order_by("-created_at")


def sponsors_of(platform: Platform, campaign: Campaign | None = None) -> list[Organisation]:
    """The organisations shown as sponsors of a platform (campaign None) or of a campaign."""
    qs = Sponsorship.objects.filter(platform=platform, organisation__verified_at__isnull=False)
    qs = qs.filter(campaign__isnull=True) if campaign is None else qs.filter(campaign=campaign)
    return [s.organisation for s in qs.select_related("organisation").order_by("id")]


def organisation_totals(organisation: Organisation) -> dict[str, int]:
    """What the organisation endorsed, matched (committed or paid to projects) and funded (paid to
    projects that succeeded), in minor units of its platform's currency."""
    matches = Match.objects.filter(pot__organisation=organisation).aggregate(
        matched=Sum("amount", filter=Q(status__in=[MatchStatus.COMMITTED, MatchStatus.COLLECTED])),
        funded=Sum("amount", filter=Q(status=MatchStatus.COLLECTED)),
        campaigns=Count("campaign", distinct=True, filter=~Q(status=MatchStatus.RETURNED)),
    )
    return {
        "endorsed": organisation.endorsements.filter(withdrawn_at__isnull=True).count(),
        "matched": matches["matched"] or 0,
        "funded": matches["funded"] or 0,
        "campaigns_matched": matches["campaigns"] or 0,
    }


def campaigns_endorsed_by(organisation: Organisation) -> QuerySet[Campaign]:
    return Campaign.objects.filter(
        endorsements__organisation=organisation, endorsements__withdrawn_at__isnull=True
    ).distinct()


def campaigns_endorsed_filter(qs: QuerySet[Campaign], organisation_id: int) -> QuerySet[Campaign]:
    """Narrow a campaign list to those the organisation endorses (standing endorsements)."""
    return qs.filter(
        pk__in=Endorsement.objects.filter(organisation_id=organisation_id, withdrawn_at__isnull=True).values(
            "campaign_id"
        )
    )


def pots_of_organisation(organisation: Organisation) -> QuerySet[Pot]:
    return Pot.objects.filter(organisation=organisation).order_by("-opens_at", "-id")


def calls_of_organisation(organisation: Organisation) -> QuerySet[Call]:
    return (
        Call.objects.filter(organisation=organisation)
        .exclude(status=CallStatus.DRAFT)
        .order_by("-applications_open_at")
    )


def campaign_partners(campaign: Campaign, user: Any = None) -> dict[str, Any]:
    """What a campaign page shows of partners: its endorsers, its sponsors, and which of the visitor's
    organisations may endorse it (verified ones of its platform)."""
    mine: list[Organisation] = []
    if getattr(user, "pk", None):
        mine = list(
            Organisation.objects.filter(
                platform_id=campaign.platform_id, members__user_id=user.pk, verified_at__isnull=False
            ).order_by("name")
        )
    endorsements = endorsements_standing(campaign)
    return {
        "endorsements": endorsements,
        "sponsors": sponsors_of(campaign.platform, campaign),
        "my_organisations": mine,
        "my_endorsements": [e for e in endorsements if e.organisation in mine],
    }


def match_offers(campaign: Campaign, *, now: Any = None) -> list[dict[str, Any]]:
    """What a campaign page says of each pot matching its pledges now: the organisation, the ratio as
    "every 1 you give becomes 1 + ratio", the cap per project, and what is left in the pot."""
    offers = []
    for pot in pots_eligible(campaign, now=now or timezone.now(), rules=(PotRule.LINEAR, PotRule.MILESTONE)):
        organisation = Organisation.objects.get(pk=pot.organisation_id)
        offer: dict[str, Any] = {"pot": pot, "organisation": organisation, "left": pot.available, "rule": pot.rule}
        if pot.rule == PotRule.LINEAR:
            assert pot.ratio is not None
            unit = 10 ** exponent(pot.currency)
            offer["unit"] = unit
            offer["becomes"] = unit + int(unit * pot.ratio)
            offer["cap"] = campaign_cap(pot, campaign)
            offer["per_pledge"] = pot.cap_per_pledge
        else:
            offer["milestone_percent"] = pot.milestone_percent
            offer["milestone_backers"] = pot.milestone_backers
            offer["grant"] = (
                pot.grant_amount if pot.grant_amount is not None else campaign.goal * (pot.grant_percent or 0) // 100
            )
        offers.append(offer)
    return offers


def match_preview(campaign: Campaign, *, backer: Any, amount: int, now: Any = None) -> int:
    """The match a pledge of `amount` by `backer` would get if it counted now (the linear rule, read
    without locks: the pledge's own transaction decides, so it is a promise only while the pot lasts)."""
    total = 0
    for pot in pots_eligible(campaign, now=now or timezone.now(), rules=(PotRule.LINEAR,)):
        if pot.matched_pledges_per_backer is not None and getattr(backer, "pk", None):
            had = Match.objects.filter(
                pot=pot, campaign_id=campaign.pk, backer_id=backer.pk, status=MatchStatus.COMMITTED
            ).count()
            if had >= pot.matched_pledges_per_backer:
                continue
        share = min(match_wanted(pot, amount), pot.available)
        cap = campaign_cap(pot, campaign)
        if cap is not None:
            share = min(share, cap - matched_on(pot, campaign.pk))
        total += max(share, 0)
    return total


def campaign_matched(campaign: Campaign) -> int:
    """Match money with the campaign now (committed, or collected by a funded campaign)."""
    return (
        Match.objects.filter(campaign=campaign, status__in=[MatchStatus.COMMITTED, MatchStatus.COLLECTED]).aggregate(
            t=Sum("amount")
        )["t"]
        or 0
    )


def campaigns_matched_live(*, platform: Platform | None = None, now: Any, limit: int = FRONT_CARDS) -> list[Campaign]:
    """The front pages' matched campaigns: those taking pledges at `now` that an organisation's pot is
    matching (match money committed to them), the most matched first, each with `raised`, `backers`
    and `matched` (the committed match). One query, whatever their number."""
    committed = Match.objects.filter(campaign=OuterRef("pk"), status=MatchStatus.COMMITTED)
    total = committed.order_by().values("campaign").annotate(t=Sum("amount")).values("t")
    return list(
        campaigns_public(platform)
        .filter(Campaign.accepting_pledges_q(now), Exists(committed))
        .annotate(matched=Subquery(total, output_field=IntegerField()))
        .order_by("-matched", "deadline", "id")[:limit]
    )


def pledges_matched(pledge_ids: list[int]) -> dict[int, int]:
    """Pledge id → its match (not returned), one query: for receipts, the backer's dashboard and every
    pledge the API answers with (a retried pledge's answer among them). Plain SQL: the ORM's building
    of this query cost three times its round trip, on every pledge answered."""
    if not pledge_ids:
        return {}
    marks = ", ".join(["%s"] * len(pledge_ids))
    sql = (
        f"SELECT pledge_id, SUM(amount) FROM {Match._meta.db_table} "
        f"WHERE pledge_id IN ({marks}) AND status <> %s GROUP BY pledge_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pledge_ids, MatchStatus.RETURNED])
        return {pledge_id: int(total) for pledge_id, total in cursor.fetchall()}


def pots_with_totals(qs: QuerySet[Pot]) -> QuerySet[Pot]:
    """Pots with `committed` (to live campaigns), `collected` (paid to campaigns that succeeded) and
    `balance` (what the pot holds or has promised: available + committed), in one query."""
    return qs.annotate(
        committed=Coalesce(Sum("matches__amount", filter=Q(matches__status=MatchStatus.COMMITTED)), 0),
        collected=Coalesce(Sum("matches__amount", filter=Q(matches__status=MatchStatus.COLLECTED)), 0),
    ).annotate(balance=F("available") + F("committed"))


def pledge_matched(pledge: Any) -> int:
    """The pledge's match (not returned), in minor units. No query when its request knows already: the
    match hook (`pots.pledge_counting`) or a list's one query (`pledges_matched_set`) wrote it on the
    pledge, or the campaign was seen to draw on no pot (the wallet fast path asked)."""
    known = getattr(pledge, "matched_amount", None)
    if known is not None:
        return known
    if Pledge.campaign.is_cached(pledge) and getattr(pledge.campaign, "match_pots", None) == []:
        return 0
    return pledges_matched([pledge.pk]).get(pledge.pk, 0)


def pledges_matched_set(pledges: list[Any]) -> list[Any]:
    """Write each pledge's match on it (`matched_amount`), one query for the lot."""
    matched = pledges_matched([p.pk for p in pledges])
    for pledge in pledges:
        pledge.matched_amount = matched.get(pledge.pk, 0)
    return pledges
