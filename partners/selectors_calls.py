"""Reads of open calls: a platform's calls, one call's public page (its campaigns with progress and the
match each got, the pot's use, its decisions) and its reviewers' list of applications."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, Count, Q, QuerySet, Sum, When

from decisions.models import Decision
from pledges.selectors import campaigns_with_totals
from projects.models import NOT_PUBLIC_STATUSES, Campaign, CampaignStatus

from .models import Application, ApplicationStatus, Call, CallStatus, Match, MatchStatus, MemberRole, Membership

# Calls taking applications (published) before closed ones.
OPEN_FIRST = Case(When(status=CallStatus.PUBLISHED, then=0), default=1).asc()


def calls_of_platform(platform: Any) -> QuerySet[Call]:
    """A platform's published calls (open first, then by their window), with their organisation and pot."""
    return (
        Call.objects.filter(platform=platform)
        .exclude(status=CallStatus.DRAFT)
        .select_related("organisation", "pot")
        .order_by(OPEN_FIRST, "-applications_close_at", "-id")
    )


def calls_open(*, platform: Any = None, now: Any, limit: int = 6) -> list[Call]:
    """Calls taking applications at `now` (published, inside their window), the nearest closing first,
    with their organisation, pot and platform (the front pages' "Open calls"). One query."""
    qs = Call.objects.filter(
        status=CallStatus.PUBLISHED, applications_open_at__lte=now, applications_close_at__gt=now
    ).select_related("organisation", "pot", "platform")
    if platform is not None:
        qs = qs.filter(platform=platform)
    return list(qs.order_by("applications_close_at", "id")[:limit])


def call_of_platform(platform: Any, pk: int) -> Call | None:
    return calls_of_platform(platform).filter(pk=pk).first()


def call_reviewer(call: Call, user: Any) -> bool:
    """May `user` review the call's applications (a reviewer or administrator of its organisation)?"""
    if not getattr(user, "pk", None):
        return False
    return Membership.objects.filter(
        organisation_id=call.organisation_id, user_id=user.pk, role__in=[MemberRole.REVIEWER, MemberRole.ADMIN]
    ).exists()


def call_pot_use(call: Call) -> dict[str, int] | None:
    """What the call's pot holds and where its money went: paid in, committed to live campaigns, paid to
    funded ones, returned, available now."""
    pot = call.pot
    if pot is None:
        return None
    by_status = dict(Match.objects.filter(pot=pot).values_list("status").annotate(t=Sum("amount")).order_by())
    return {
        "budget": pot.budget,
        "paid_in": pot.paid_in,
        "available": pot.available,
        "committed": by_status.get(MatchStatus.COMMITTED, 0),
        "collected": by_status.get(MatchStatus.COLLECTED, 0),
        "returned": by_status.get(MatchStatus.RETURNED, 0),
    }


def call_campaigns(call: Call) -> list[Campaign]:
    """The call's approved campaigns the public may see (live or closed), each with `raised`, `backers`
    and `matched` (what the call's pot gave it and it kept: committed or collected; `match_returned`
    for a match that went back to the pot)."""
    ids = Application.objects.filter(call=call, status=ApplicationStatus.APPROVED).values("campaign_id")
    campaigns = list(
        campaigns_with_totals(Campaign.objects.filter(pk__in=ids).exclude(status__in=NOT_PUBLIC_STATUSES)).order_by(
            "title", "id"
        )
    )
    kept: dict[int, int] = {}
    returned: dict[int, int] = {}
    if call.pot_id is not None:
        for campaign_id, status, total in (
            Match.objects.filter(pot_id=call.pot_id, campaign_id__in=[c.pk for c in campaigns])
            .values_list("campaign_id", "status")
            .annotate(t=Sum("amount"))
            .order_by()
        ):
            target = returned if status == MatchStatus.RETURNED else kept
            target[campaign_id] = target.get(campaign_id, 0) + total
    for c in campaigns:
        c.matched = kept.get(c.pk, 0)  # type: ignore[attr-defined]
        c.match_returned = returned.get(c.pk, 0)  # type: ignore[attr-defined]
    return campaigns


def call_counts(call: Call) -> dict[str, int]:
    """How many applications are in each state (a declined draft is not named in public, only counted)."""
    counts = dict.fromkeys(ApplicationStatus.values, 0)
    for status, n in Application.objects.filter(call=call).values_list("status").annotate(n=Count("pk")).order_by():
        counts[status] = n
    counts["awaiting_platform"] = Application.objects.filter(
        call=call,
        status=ApplicationStatus.APPROVED,
        campaign__status__in=[CampaignStatus.DRAFT, CampaignStatus.SUBMITTED],
    ).count()
    return counts


def call_decisions(call: Call) -> QuerySet[Decision]:
    """Every decision of the call, newest first: its publication and round, each application's
    shortlisting, approval or decline, its pot's (closed early), and endorsements of its campaigns
    withdrawn."""
    application_ids = Application.objects.filter(call=call).values("pk")
    campaign_ids = Application.objects.filter(call=call, status=ApplicationStatus.APPROVED).values("campaign_id")
    which = (
        Q(subject_type="call", subject_id=call.pk)
        | Q(subject_type="application", subject_id__in=application_ids)
        | Q(kind="endorsement.withdrawn", campaign_id__in=campaign_ids)
    )
    if call.pot_id is not None:
        which |= Q(subject_type="pot", subject_id=call.pot_id)
    return (
        Decision.objects.filter(platform_id=call.platform_id)
        .filter(which)
        .select_related("platform", "campaign")
        .order_by("-at", "-id")
    )


def call_applications(call: Call) -> QuerySet[Application]:
    """Every application of the call, for its reviewers: the campaign (a draft they may read) and owner."""
    return (
        Application.objects.filter(call=call)
        .select_related("campaign__owner", "campaign__category", "campaign__area", "decided_by")
        .order_by("status", "submitted_at", "id")
    )


def drafts_for_call(call: Call, user: Any) -> list[Campaign]:
    """The user's drafts on the call's platform that have not applied to any call."""
    if not getattr(user, "pk", None):
        return []
    return list(
        Campaign.objects.filter(
            owner_id=user.pk, platform_id=call.platform_id, status=CampaignStatus.DRAFT, call_application__isnull=True
        ).order_by("-created_at")
    )


def application_of_user(call: Call, user: Any) -> list[Application]:
    if not getattr(user, "pk", None):
        return []
    return list(Application.objects.filter(call=call, campaign__owner_id=user.pk).select_related("campaign"))
