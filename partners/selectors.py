"""Reads of the partners app: organisations with their totals, endorsers and sponsors of a page."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from platforms.models import Platform
from projects.models import Campaign

from .models import Call, CallStatus, Endorsement, Match, MatchStatus, Membership, Organisation, Pot, Sponsorship


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
