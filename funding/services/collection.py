"""Charge on success: collecting a succeeded campaign's saved cards, and the end of retry windows."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from payments import services as payments
from payments.models import AttemptKind, AttemptStatus, PaymentAttempt
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_charge_settle, pledge_move

from .refunds import CARD_CHUNK
from .settle import campaign_settle


def campaign_collect_chunk(*, campaign_id: int, size: int = CARD_CHUNK) -> int:
    """Charge the next saved cards of a succeeded charge-on-success campaign, off-session.

    A declined card puts its pledge in the retry window (`pledge_retry_start`); the split is made on
    what was collected once no secured or retrying pledge is left (`settle.campaign_settle`).
    """
    # A charge answered "pending" stays secured until its callback: skip it, or the chain of chunks
    # would take it again forever. The callback pays it; the close's resume then settles.
    awaiting = PaymentAttempt.objects.filter(
        pledge=OuterRef("pk"), kind=AttemptKind.CHARGE, status=AttemptStatus.PENDING
    )
    ids = list(
        Pledge.objects.filter(campaign_id=campaign_id, status=PledgeStatus.SECURED)
        .exclude(Exists(awaiting))
        .order_by("id")
        .values_list("id", flat=True)[:size]
    )
    for pledge_id in ids:
        pledge = Pledge.objects.get(pk=pledge_id)
        payments.pledge_charge_call(pledge=pledge, off_session=True)
        pledge_charge_settle(pledge_id=pledge_id)
    if not ids:
        campaign_settle(campaign_id=campaign_id)
    return len(ids)


def expired_retries_drop(*, now: dt.datetime | None = None) -> int:
    """Drop retrying pledges whose window has passed (their rewards go back on sale), then split
    each campaign touched on what was collected. Returns how many were dropped."""
    now = now or timezone.now()
    campaigns: set[int] = set()
    dropped = 0
    due = Pledge.objects.filter(status=PledgeStatus.RETRYING, retry_until__lte=now).values_list("pk", flat=True)
    for pledge_id in due[:1000]:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
            if pledge.status != PledgeStatus.RETRYING or pledge.retry_until is None or pledge.retry_until > now:
                continue
            pledge_move(pledge, PledgeStatus.DROPPED, note="Its retry window ended unpaid.")
            campaigns.add(pledge.campaign_id)
            dropped += 1
    for campaign_id in campaigns:
        campaign_settle(campaign_id=campaign_id)
    return dropped
