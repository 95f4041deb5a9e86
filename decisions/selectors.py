"""Reading the public decision log."""

from __future__ import annotations

from django.db.models import QuerySet

from platforms.models import Platform
from projects.models import Campaign

from .models import Decision


def decisions_of(
    *,
    platform: Platform | None = None,
    campaign: Campaign | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
) -> QuerySet[Decision]:
    """Decisions, newest first, narrowed to a platform, a campaign or a subject."""
    qs = Decision.objects.select_related("platform", "campaign")
    if platform is not None:
        qs = qs.filter(platform=platform)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if subject_type:
        qs = qs.filter(subject_type=subject_type)
        if subject_id is not None:
            qs = qs.filter(subject_id=subject_id)
    return qs.order_by("-at", "-id")
