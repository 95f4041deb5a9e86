"""When a campaign's followers hear from it: half-way (50% of the goal), funded (100%), 48 hours left,
succeeded or failed at the close, and each update the owner posts.

Each milestone is announced once per campaign: a `MilestoneNotice` row (unique per campaign and
milestone) written in the same transaction as its outbox mail. Two pledges crossing 50% at once both
queue a check; the second to insert waits on the unique index, then finds the row and sends nothing. A
worker killed mid-check rolls back the row and the mail together; the next check (after the next pledge,
or the beat job `community.tasks.check_milestones`) sends it. The check reads committed money only, so
two pledges that cross 50% together (neither alone) are seen by the check queued after the later one.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.jobs import later
from core.outbox import notify
from pledges import hooks as pledge_hooks
from pledges.selectors import campaign_raised, campaigns_with_totals
from projects import hooks as project_hooks
from projects.models import Campaign, CampaignStatus

from .models import Milestone, MilestoneNotice

ENDING_WITHIN = dt.timedelta(hours=48)


def milestones_reached(*, goal: int, raised: int, deadline: dt.datetime, now: dt.datetime) -> list[str]:
    """The milestones a live campaign has reached (money in integer minor units)."""
    reached: list[str] = []
    if raised * 100 >= goal * 50:
        reached.append(Milestone.HALF_WAY)
    if raised >= goal:
        reached.append(Milestone.FUNDED)
    if now < deadline <= now + ENDING_WITHIN:
        reached.append(Milestone.ENDING)
    return reached


def milestone_announce(*, campaign_id: int, milestone: str, mail: bool = True) -> bool:
    """Record `milestone` of the campaign and queue its e-mail, in the caller's transaction; False when
    it was announced already (by this or another worker)."""
    try:
        with transaction.atomic():  # a savepoint: the loser of a race keeps its transaction usable
            MilestoneNotice.objects.create(campaign_id=campaign_id, milestone=milestone)
    except IntegrityError:
        return False
    if mail:
        notify("follow_news", campaign_id=campaign_id, milestone=milestone)
    return True


def _announce_reached(campaign_id: int, reached: list[str]) -> int:
    """Half-way and funded reached in one go say "funded" only (half-way is recorded, not mailed)."""
    sent = 0
    with transaction.atomic():
        for milestone in reached:
            silent = milestone == Milestone.HALF_WAY and Milestone.FUNDED in reached
            sent += milestone_announce(campaign_id=campaign_id, milestone=milestone, mail=not silent) and not silent
    return sent


def campaign_milestones_check(*, campaign_id: int, now: dt.datetime | None = None) -> int:
    """Announce the milestones a live campaign has reached and not announced; return how many mailed.
    Idempotent (see the module's note)."""
    now = now or timezone.now()
    campaign = Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.LIVE).first()
    if campaign is None:
        return 0
    reached = milestones_reached(
        goal=campaign.goal, raised=campaign_raised(campaign_id), deadline=campaign.deadline, now=now
    )
    done = set(MilestoneNotice.objects.filter(campaign_id=campaign_id).values_list("milestone", flat=True))
    todo = [m for m in reached if m not in done]
    return _announce_reached(campaign_id, todo) if todo else 0


def milestones_check_all(*, now: dt.datetime | None = None) -> int:
    """The beat job: every live campaign (one query with their totals, one for what was announced), so a
    lost check or a deadline 48 hours away is announced within the job's interval."""
    now = now or timezone.now()
    live = list(campaigns_with_totals(Campaign.objects.filter(status=CampaignStatus.LIVE)))
    done: dict[int, set[str]] = {}
    for campaign_id, milestone in MilestoneNotice.objects.filter(campaign__in=[c.pk for c in live]).values_list(
        "campaign_id", "milestone"
    ):
        done.setdefault(campaign_id, set()).add(milestone)
    sent = 0
    for campaign in live:
        reached = milestones_reached(goal=campaign.goal, raised=campaign.raised, deadline=campaign.deadline, now=now)  # type: ignore[attr-defined]
        if any(m not in done.get(campaign.pk, set()) for m in reached):
            sent += campaign_milestones_check(campaign_id=campaign.pk, now=now)
    return sent


# --- on the hooks -------------------------------------------------------------------------------------


def _check_soon(campaign_id: int) -> None:
    """After a pledge commits: one check per campaign per CIVICFUND_MILESTONE_SECONDS, run at the end of
    that window, so it reads every pledge committed in it (a busy campaign costs one task, not one per
    pledge). Windows follow the clock (the same in every process), so the shared cache is asked once
    per window per process: the first process to ask queues the window's check."""
    window = settings.CIVICFUND_MILESTONE_SECONDS
    if window <= 0:
        later("community.tasks.campaign_milestones", campaign_id)
        return
    now = time.time()
    ends = (now // window + 1) * window
    if _asked_until.get(campaign_id, 0.0) >= ends:
        return  # this window's check is queued: it runs after this pledge committed
    if cache.add(f"community:milestones:{campaign_id}:{ends:.0f}", 1, timeout=math.ceil(window + CLOCK_MARGIN)):
        # A margin past the window's end for the clocks of other hosts, whose pledges it reads too.
        later("community.tasks.campaign_milestones", campaign_id, countdown=ends - now + CLOCK_MARGIN)
    if len(_asked_until) > 10_000:
        _asked_until.clear()
    _asked_until[campaign_id] = ends


CLOCK_MARGIN = 1.0  # seconds

# Per process: the end of the window whose check is known to be queued, per campaign.
_asked_until: dict[int, float] = {}


@pledge_hooks.pledge_counting.register
def pledge_counted(*, pledge: Any) -> None:
    campaign_id = pledge.campaign_id
    transaction.on_commit(lambda: _check_soon(campaign_id))


@project_hooks.campaign_moved.register
def campaign_closed(*, campaign: Campaign, from_status: str, to_status: str, actor: Any, note: str) -> None:
    """The close's outcome, in the close's transaction."""
    if from_status != CampaignStatus.LIVE:
        return
    if to_status == CampaignStatus.SUCCEEDED:
        milestone_announce(campaign_id=campaign.pk, milestone=Milestone.SUCCEEDED)
    elif to_status == CampaignStatus.FAILED:
        milestone_announce(campaign_id=campaign.pk, milestone=Milestone.FAILED)
