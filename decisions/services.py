"""Writing the public decision log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.errors import ApplicationError
from platforms.models import Platform
from projects.models import Campaign

from .models import ActorRole, Decision


def decision_record(
    *,
    platform: Platform,
    kind: str,
    actor_role: str,
    reason: str = "",
    campaign: Campaign | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    actor: Any = None,
    on_behalf_of: str = "",
    at: dt.datetime | None = None,
) -> Decision:
    """Record one decision, in the caller's transaction (so a decision rolled back leaves no entry).

    `reason` is public: never pass a private note here. `actor` is kept for staff, never shown."""
    if not kind:
        raise ApplicationError("A decision needs a kind.", code="decision_kind_missing")
    if actor_role not in ActorRole.values:
        raise ApplicationError(f"Unknown decision role {actor_role!r}.", code="decision_role_unknown")
    if campaign is not None and campaign.platform_id != platform.pk:
        raise ApplicationError("The campaign belongs to another platform.", code="decision_platform_mismatch")
    if (subject_type == "") != (subject_id is None):
        raise ApplicationError("A decision's subject needs both its type and its id.", code="decision_subject")
    return Decision.objects.create(
        platform=platform,
        campaign=campaign,
        subject_type=subject_type,
        subject_id=subject_id,
        kind=kind,
        actor_role=actor_role,
        on_behalf_of=on_behalf_of,
        actor=actor if getattr(actor, "pk", None) else None,
        reason=reason.strip(),
        at=at or timezone.now(),
    )
