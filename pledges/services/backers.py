"""A backer's choice of how they appear on a campaign's public backers list (by name or anonymous)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from core.errors import ApplicationError

from ..models import BackerVisibility, Pledge


def backer_visibility_set(*, campaign_id: int, backer: Any, by_name: bool) -> BackerVisibility:
    """Record whether `backer` is shown by name (`by_name`) or as anonymous on the campaign's public
    backers list; the latest choice holds for all their pledges to it. Only someone who has pledged to
    the campaign chooses (ApplicationError otherwise); nothing else changes."""
    if not Pledge.objects.filter(campaign_id=campaign_id, backer_id=getattr(backer, "pk", None)).exists():
        raise ApplicationError(
            gettext_noop("Only the campaign's backers choose how they appear on its list of backers."),
            code="not_a_backer",
            field="show_name",
        )
    row, _created = BackerVisibility.objects.update_or_create(
        campaign_id=campaign_id, backer=backer, defaults={"by_name": bool(by_name)}
    )
    return row
