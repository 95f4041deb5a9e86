"""The deadline close: each due campaign in its own transaction under its row lock, and the resume of
refunds and collections a killed worker left unfinished."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core import jobs
from core.money import percent_reached
from core.outbox import notify
from platforms.models import CollectionMode
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import campaign_refunds_pending, campaign_totals
from pledges.services import campaign_refunds_finish, pledges_move
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock
from projects.services import campaign_move

from .. import hooks
from . import settle

S = CampaignStatus


def campaign_close(*, campaign_id: int, now: dt.datetime | None = None) -> str | None:
    """Close one live campaign whose deadline has passed, in one transaction under its row lock
    (FOR UPDATE: pledges hold it FOR SHARE, so each commits before the total is read or sees the
    campaign closed).

    Decides the outcome on what was raised at the close (paid pledges, and secured cards on
    charge-on-success platforms; plus what `hooks.counted_at_close` adds). Success with money
    already collected is split at once; a failure releases saved cards and starts the refunds.
    Returns the new status, or None when there was nothing to do (not live, deadline ahead, or
    already closed by another worker).
    """
    now = now or timezone.now()
    with transaction.atomic():
        campaign = campaign_lock(campaign_id)
        if campaign.status != S.LIVE or campaign.deadline > now:
            return None
        raised, backers = campaign_totals(campaign.pk)
        counted = raised + sum(hooks.counted_at_close.run(campaign=campaign, citizen=raised))
        campaign.closed_at = now
        campaign.raised_at_close, campaign.backers_at_close = raised, backers
        campaign.save(update_fields=["closed_at", "raised_at_close", "backers_at_close"])
        note = f"Raised {campaign.money(raised)} ({percent_reached(raised, campaign.goal)}% of goal)."
        succeeded = campaign.success_reached(counted)
        if succeeded:
            campaign_move(campaign, S.SUCCEEDED, note=note)
            hooks.closed.run(campaign=campaign, succeeded=True, citizen=raised)
            if campaign.platform.collection_mode == CollectionMode.CHARGE_NOW:
                settle.campaign_split(campaign, collected=raised)
            else:
                jobs.later("pledges.tasks.collect_campaign", campaign.pk)
        else:
            campaign_move(campaign, S.FAILED, note=note)
            hooks.closed.run(campaign=campaign, succeeded=False, citizen=raised)
            pledges_move(
                campaign_id=campaign.pk,
                from_status=PledgeStatus.SECURED,
                to_status=PledgeStatus.RELEASED,
                note="The campaign was not funded: the saved card is never charged.",
                now=now,
            )
            campaign_move(campaign, S.REFUNDING)
            jobs.later("pledges.tasks.refund_campaign", campaign.pk)
        notify("campaign_closed", campaign_id=campaign.pk)
        return campaign.status


def close_due_campaigns(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Close every live campaign past its deadline, each in its own transaction, and restart the
    unfinished work of earlier closes (refunds, collections) that a killed worker left behind.
    `resumed` counts the campaigns whose work was restarted, or finished here."""
    now = now or timezone.now()
    counts = {"closed": 0, "resumed": 0}
    due = list(Campaign.objects.filter(status=S.LIVE, deadline__lte=now).values_list("pk", flat=True))
    if due:
        hooks.before_close.run(campaign_ids=due, now=now)
    for campaign_id in due:
        if campaign_close(campaign_id=campaign_id, now=now):
            counts["closed"] += 1
    for campaign_id in Campaign.objects.filter(status=S.REFUNDING).values_list("pk", flat=True):
        # Refunds that failed are left to their retries or an admin: they are not a stalled chain.
        if campaign_refunds_pending(campaign_id):
            if _stalled(campaign_id, now):
                jobs.later("pledges.tasks.refund_campaign", campaign_id)
                counts["resumed"] += 1
        # Nothing left for a chunk to take: its chain refunded the last pledges, but a worker killed
        # before the next (empty) chunk never marked the campaign refunded. Finish it here (under its
        # lock, and only if no pledge still holds money: a failed refund awaiting its retry does).
        elif campaign_refunds_finish(campaign_id=campaign_id):
            counts["resumed"] += 1
    unsettled = Campaign.objects.filter(status=S.SUCCEEDED, collected__isnull=True)
    for campaign_id in unsettled.values_list("pk", flat=True):
        if _stalled(campaign_id, now):
            jobs.later("pledges.tasks.collect_campaign", campaign_id)
            counts["resumed"] += 1
    return counts


def _stalled(campaign_id: int, now: dt.datetime) -> bool:
    """No pledge of the campaign has moved (refunded, charged) lately, nor has it just closed: its
    chain of chunk tasks died. Restarting a live chain would be harmless (chunks take their pledges
    with SKIP LOCKED) but would pile up tasks on every beat."""
    since = now - dt.timedelta(seconds=settings.CIVICFUND_RESUME_AFTER_SECONDS)
    last = Pledge.objects.filter(campaign_id=campaign_id).aggregate(ended=Max("ended_at"), paid=Max("paid_at"))
    closed_at = Campaign.objects.filter(pk=campaign_id).values_list("closed_at", flat=True).first()
    moments = [m for m in (last["ended"], last["paid"], closed_at) if m is not None]
    return not moments or max(moments) <= since
