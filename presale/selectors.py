"""Reading pre-sale trust for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum

from projects.models import Campaign

from .models import ACCEPTED_CLAIMS, UNDECIDED_CLAIMS, Claim, Guarantee, GuaranteeStatus


def guarantee_public(campaign: Campaign) -> Guarantee | None:
    """The guarantee the public sees: the latest one staff verified (in force, withdrawn or expired);
    one still waiting for staff is not shown."""
    shown = (GuaranteeStatus.VERIFIED, GuaranteeStatus.WITHDRAWN, GuaranteeStatus.EXPIRED)
    return (
        Guarantee.objects.filter(campaign=campaign, status__in=shown, verified_at__isnull=False)
        .order_by("-verified_at", "-id")
        .first()
    )


def guarantees_of(campaign: Campaign) -> list[Guarantee]:
    return list(Guarantee.objects.filter(campaign=campaign))


def claims_of_campaign(campaign: Campaign) -> list[Claim]:
    """The campaign's claims for its owner's page, undecided first."""
    claims = Claim.objects.filter(campaign=campaign).select_related("backer", "pledge__tier")
    return sorted(claims, key=lambda c: (c.status not in UNDECIDED_CLAIMS, -c.pk))


def claim_visible(claim_id: int, user: Any) -> Claim | None:
    """Claim `claim_id` if `user` may see it: its backer, the campaign's owner, or staff."""
    claim = (
        Claim.objects.select_related("campaign__platform", "campaign__owner", "backer", "pledge__tier")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_staff or user.pk in (claim.backer_id, claim.campaign.owner_id):
        return claim
    return None


def claim_of_pledge(pledge_id: int) -> Claim | None:
    return Claim.objects.filter(pledge_id=pledge_id).first()


@dataclass(frozen=True)
class ClaimsSummary:
    filed: int
    undecided: int
    accepted: int
    accepted_amount: int
    paid_amount: int


def claims_summary(campaign: Campaign) -> ClaimsSummary:
    """What a campaign's claims come to: for its final report and page (accepted and paid)."""
    claims = Claim.objects.filter(campaign=campaign)
    totals = claims.filter(status__in=ACCEPTED_CLAIMS).aggregate(
        n=Count("id"), accepted=Sum("accepted_amount"), held=Sum("paid_from_held"), guarantee=Sum("paid_from_guarantee")
    )
    return ClaimsSummary(
        filed=claims.count(),
        undecided=claims.filter(status__in=UNDECIDED_CLAIMS).count(),
        accepted=totals["n"] or 0,
        accepted_amount=totals["accepted"] or 0,
        paid_amount=(totals["held"] or 0) + (totals["guarantee"] or 0),
    )
