"""Reading pre-sale trust for pages and the API."""

from __future__ import annotations

from projects.models import Campaign

from .models import Guarantee, GuaranteeStatus


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
