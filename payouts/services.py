"""Payouts to owners by the 90/10 escrow rule."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from civicfund.errors import ApplicationError
from ledger import services as ledger
from ledger.models import TransactionKind
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock

from .methods import method_get
from .models import Payout, PayoutKind, PayoutStatus

log = logging.getLogger(__name__)


def payouts_schedule(campaign: Campaign) -> None:
    """Create the two payouts of a settled campaign (caller holds its lock): the first one due on its
    working day, the held part waiting for the final report."""
    common = {"campaign": campaign, "currency": campaign.currency}
    Payout.objects.create(kind=PayoutKind.FIRST, amount=campaign.first_payout_amount,
                          due_on=campaign.first_payout_due, status=PayoutStatus.SCHEDULED,
                          idempotency_key=f"payout-{campaign.pk}-first", **common)
    Payout.objects.create(kind=PayoutKind.HELD, amount=campaign.held_amount, status=PayoutStatus.WAITING,
                          idempotency_key=f"payout-{campaign.pk}-held", **common)


def held_payout_release(campaign: Campaign) -> None:
    """The final report is approved (caller holds the campaign lock): the held part is due today."""
    today = timezone.now().astimezone(campaign.platform.tz).date()
    Payout.objects.filter(campaign=campaign, kind=PayoutKind.HELD, status=PayoutStatus.WAITING).update(
        status=PayoutStatus.SCHEDULED, due_on=today)
    from . import tasks

    transaction.on_commit(lambda: tasks.release_due_payouts.delay())


def release_due_payouts(*, now: dt.datetime | None = None) -> int:
    """Send every scheduled payout whose day has come (in its platform's time zone)."""
    now = now or timezone.now()
    sent = 0
    due = Payout.objects.filter(status=PayoutStatus.SCHEDULED).select_related("campaign__platform")
    for payout in due:
        if payout.due_on <= now.astimezone(payout.campaign.platform.tz).date():
            payout_send(payout_id=payout.pk)
            sent += 1
    return sent


def payout_send(*, payout_id: int) -> Payout:
    """scheduled → processing, then ask the payout method; a method that pays at once (Stripe
    Connect) confirms it here, the manual bank transfer waits for an admin's reference."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status != PayoutStatus.SCHEDULED:
            return payout
        payout.status = PayoutStatus.PROCESSING
        payout.save(update_fields=["status"])
    if payout.amount == 0:
        return payout_confirm(payout_id=payout.pk, reference="nothing to transfer")
    result = method_get(payout.method).send(payout=payout, idempotency_key=payout.idempotency_key)
    if result.status == "paid":
        return payout_confirm(payout_id=payout.pk, reference=result.reference)
    return payout


def payout_confirm(*, payout_id: int, reference: str, actor=None) -> Payout:
    """Record that the money reached the owner: the ledger moves it out of escrow (first payout) or
    the held account (held part); the campaign's first payout makes it `paid`. Idempotent."""
    if not reference.strip():
        raise ApplicationError("Give the transfer's reference.", field="reference")
    with transaction.atomic():
        payout = Payout.objects.get(pk=payout_id)
        campaign = campaign_lock(payout.campaign_id)
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.status == PayoutStatus.PAID:
            return payout
        if payout.status != PayoutStatus.PROCESSING:
            raise ApplicationError("This payout is not due yet.", code="payout_not_due")
        if payout.amount:
            source = (ledger.escrow_account(campaign) if payout.kind == PayoutKind.FIRST
                      else ledger.held_account(campaign))
            owner_out = ledger.account_get(kind="payouts", currency=campaign.currency, campaign=campaign)
            ledger.transaction_record(
                kind=TransactionKind.PAYOUT if payout.kind == PayoutKind.FIRST else TransactionKind.RELEASE,
                key=payout.idempotency_key, campaign=campaign,
                legs=[ledger.Leg(source, -payout.amount), ledger.Leg(owner_out, payout.amount)])
        payout.status, payout.reference = PayoutStatus.PAID, reference.strip()
        payout.paid_at, payout.recorded_by = timezone.now(), actor
        payout.save(update_fields=["status", "reference", "paid_at", "recorded_by"])
        if payout.kind == PayoutKind.FIRST and campaign.status == CampaignStatus.SUCCEEDED:
            from projects.services import campaign_move

            campaign_move(campaign, CampaignStatus.PAID, actor=actor, note=f"First payout: {reference}")
    return payout
