"""Reads of the community app: who hears a campaign's news, a campaign's questions, a person's choice."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Q, QuerySet

from pledges.models import COUNTING, Pledge
from projects.models import Campaign

from .models import MODERATE, Follow, Question

QUESTIONS_SHOWN = 50  # the newest on a campaign's page; the API pages through all


def audience(campaign: Campaign, *, without_statuses: tuple[str, ...] = ()) -> dict[str, int]:
    """E-mail → user id of everyone who hears `campaign`'s news: its followers and its backers (whose
    pledges count: backers follow by default), less whoever opted out, less the owner, less the backers
    whose pledges are in `without_statuses` (they get another e-mail about the same event). Three
    queries whatever the number of followers."""
    rows = Follow.objects.filter(campaign=campaign).values_list("user_id", "user__email", "active")
    left = {user_id for user_id, _email, active in rows if not active}
    people = {user_id: email for user_id, email, active in rows if active}
    backers = Pledge.objects.filter(campaign=campaign, status__in=COUNTING).values_list("backer_id", "backer__email")
    for user_id, email in backers.distinct():
        people.setdefault(user_id, email)
    if without_statuses:
        told = Pledge.objects.filter(campaign=campaign, status__in=without_statuses).values_list("backer_id", flat=True)
        left |= set(told)
    left.add(campaign.owner_id)
    return {email: user_id for user_id, email in people.items() if user_id not in left and email}


def follow_state(user: Any, campaign: Campaign) -> str:
    """ "following" (a row), "backer" (following as a backer, no row), "left" (opted out) or "" (not)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    row = Follow.objects.filter(user=user, campaign=campaign).values_list("active", flat=True).first()
    if row is not None:
        return "following" if row else "left"
    if Pledge.objects.filter(campaign=campaign, backer=user, status__in=COUNTING).exists():
        return "backer"
    return ""


def campaign_questions(campaign_id: int) -> QuerySet[Question]:
    """A campaign's questions, newest first, with their authors (one query however many are shown)."""
    return Question.objects.filter(campaign_id=campaign_id).select_related("author").order_by("-created_at", "-id")


def question_of(question_id: int) -> Question | None:
    return Question.objects.select_related("campaign__platform", "author").filter(pk=question_id).first()


def questions_waiting(campaign_ids: list[int]) -> dict[int, int]:
    """Per campaign, its visible questions and comments its owner has not answered yet (the owner's
    dashboard): one query for all the campaigns; campaigns with none are left out."""
    rows = (
        Question.objects.filter(campaign_id__in=campaign_ids, hidden_at__isnull=True, answered_at__isnull=True)
        .values("campaign_id")
        .annotate(n=Count("id"))
        .values_list("campaign_id", "n")
    )
    return dict(rows)


def moderator_addresses() -> list[str]:
    """The e-mail addresses of active staff who may hide questions (MODERATE: by their group, their own
    permission, or as superusers): who hears of an abuse report."""
    app_label, codename = MODERATE.split(".")
    perm = Permission.objects.filter(codename=codename, content_type__app_label=app_label)
    may = Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
    staff = get_user_model().objects.filter(may, is_active=True, is_staff=True).exclude(email="")
    return sorted(set(staff.values_list("email", flat=True)))
