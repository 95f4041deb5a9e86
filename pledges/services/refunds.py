"""Refunding single pledges: to the wallet at once, or to the card through the gateway and then booked,
each attempt with its own key; a card refund that fails is tried again a bounded number of times, then
an admin is alerted. A failed campaign's refunds in chunks are funding's (funding.services.refunds);
this module finishes the campaign when its last money is back."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import jobs
from core.alerts import admins_alert
from core.outbox import notify
from ledger import services as ledger
from ledger.models import AccountKind, Transaction, TransactionKind
from payments import events
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptStatus, PaymentAttempt
from payments.pacing import Pacer, paced, refund_pacer
from platforms.models import RefundDestination
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock
from projects.services import campaign_move

from ..models import PaymentSource, Pledge, PledgeStatus
from ..selectors import pledges_with_failed_refunds
from .moves import pledge_move

log = logging.getLogger(__name__)


def refunds_to_wallet(pledge: Pledge, campaign: Campaign) -> bool:
    """Where a pledge's money goes back: its wallet (wallet-paid, or a platform refunding to wallets) or its card."""
    return pledge.source == PaymentSource.WALLET or campaign.platform.refund_destination == RefundDestination.WALLET


def refund_to_wallet_record(pledge: Pledge, campaign: Campaign) -> None:
    """Book a paid pledge's refund to the backer's wallet and mark it refunded (caller holds the
    pledge's row lock in its transaction)."""
    ledger.transaction_record(
        kind=TransactionKind.REFUND,
        key=f"pledge-{pledge.pk}-refund",
        campaign=campaign,
        legs=[
            ledger.Leg(ledger.escrow_account(campaign), -pledge.amount, pledge.pk),
            ledger.Leg(ledger.wallet_account(pledge.backer, pledge.currency), pledge.amount, pledge.pk),
        ],
    )
    pledge_move(pledge, PledgeStatus.REFUNDED, note="Refunded to the wallet.")
    notify("refunds_issued", pledge_ids=[pledge.pk])


def pledge_refund(*, pledge_id: int, number: int | None = None) -> Pledge:
    """Refund one pledge in full: to the wallet in one transaction, or to the card through the
    gateway and then booked, both under the refund attempt's key (`number`, default the latest:
    `pledge-<id>-refund`, after a failure `pledge-<id>-refund-2`, ...). Safe to run again at any
    point: a refund the provider already made is returned, not repeated, and an attempt that failed
    is not tried again here (`pledge_refund_retry` makes the next one). A refund the provider declines
    at once is handed to `pledge_refund_retry_plan`. Raises GatewayUnavailable."""

    with transaction.atomic():
        pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
        campaign = pledge.campaign
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status == PledgeStatus.PAID:
            if refunds_to_wallet(pledge, campaign):
                refund_to_wallet_record(pledge, campaign)
                return pledge
            pledge_move(pledge, PledgeStatus.REFUNDING)
    if pledge.status != PledgeStatus.REFUNDING:
        return pledge
    number = number or payments.pledge_refund_number(pledge_id=pledge.pk)
    answered = (
        PaymentAttempt.objects.filter(idempotency_key=payments.refund_key(pledge.pk, number))
        .exclude(status=AttemptStatus.STARTED)
        .exists()
    )
    attempt = payments.pledge_refund_call(pledge=pledge, number=number)
    if attempt.status != AttemptStatus.SUCCEEDED:
        log.error("Refund of pledge %s not made: %s %s", pledge.pk, attempt.status, attempt.message)
        if attempt.status == AttemptStatus.DECLINED and not answered:  # declined by this very call
            pledge_refund_retry_plan(pledge_id=pledge.pk, failed=attempt)
        return pledge
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.REFUNDING:
            return pledge
        if not PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.SUCCEEDED).exists():
            return pledge  # the provider failed it meanwhile (`refund.failed`): nothing to book
        ledger.transaction_record(
            kind=TransactionKind.REFUND,
            key=attempt.idempotency_key,
            campaign=campaign,
            legs=[
                ledger.Leg(ledger.escrow_account(campaign), -pledge.amount, pledge.pk),
                ledger.Leg(
                    ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform), pledge.amount, pledge.pk
                ),
            ],
        )
        pledge_move(pledge, PledgeStatus.REFUNDED, note=f"Refunded to the card ({attempt.idempotency_key}).")
        notify("refunds_issued", pledge_ids=[pledge.pk])
    return pledge


def pledge_refund_failed(*, pledge_id: int, refund_reference: str, key: str | None = None) -> Pledge:
    """The provider says a card refund we booked has failed (Stripe's `refund.failed`): the booking
    of that attempt (`key`, default `pledge-<id>-refund`) is reversed in the ledger (card network →
    escrow, `<key>-failed`) and the pledge goes back to `refunding`, with the failed attempt recorded;
    the caller then hands it to `pledge_refund_retry_plan`. Joins the caller's transaction; only a
    refunded pledge whose refund was booked under `key` moves; replays change nothing."""
    key = key or payments.refund_key(pledge_id)
    with transaction.atomic():
        pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
        campaign = pledge.campaign
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.REFUNDED or not Transaction.objects.filter(key=key).exists():
            return pledge
        ledger.transaction_record(
            kind=TransactionKind.REFUND,
            key=f"{key}-failed",
            campaign=campaign,
            memo=f"Refund {refund_reference} failed at the provider: booking reversed",
            # The escrow leg carries no pledge: the audit counts a pledge's positive refund legs.
            legs=[
                ledger.Leg(
                    ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform), -pledge.amount, pledge.pk
                ),
                ledger.Leg(ledger.escrow_account(campaign), pledge.amount, None),
            ],
        )
        pledge_move(pledge, PledgeStatus.REFUNDING, note=f"Refund {refund_reference} failed at the provider.")
    return pledge


def pledge_refund_single(*, pledge_id: int, number: int | None = None) -> Pledge:
    """Refund one pledge outside its campaign's refund chunks (a cancellation, a payment that came
    after the close, a retry); if it was the last money of a refunding campaign, the campaign is
    refunded. A chunk that skipped this pledge while it was locked here would otherwise leave the
    campaign `refunding` until the close job's stalled-refund restart."""
    pledge = pledge_refund(pledge_id=pledge_id, number=number)
    if pledge.status == PledgeStatus.REFUNDED:
        campaign_refunds_finish(campaign_id=pledge.campaign_id)
    return pledge


def pledge_refund_retry_plan(*, pledge_id: int, failed: PaymentAttempt) -> str:
    """Refund attempt `failed` (a PaymentAttempt) of a refunding pledge was declined, at once or later
    by the provider (`refund.failed`, its booking already reversed): queue the next attempt in
    CIVICFUND_REFUND_RETRY_SECONDS × the failed attempt's number (`pledges.tasks.refund_retry`, with its own
    keys), or, once CIVICFUND_REFUND_ATTEMPTS attempts have failed or the decline is one another
    attempt cannot mend (`REFUND_NOT_RETRIED`), alert the admins: the pledge stays `refunding`,
    listed as waiting for a manual refund (`selectors.pledges_awaiting_manual_refund`). Joins the
    caller's transaction (the task is queued, the e-mail sent, after its commit); returns a note."""
    number = payments.refund_number(pledge_id, failed.idempotency_key)
    if number is None or not Pledge.objects.filter(pk=pledge_id, status=PledgeStatus.REFUNDING).exists():
        return "no retry (not a refunding pledge's own refund)"
    attempts = settings.CIVICFUND_REFUND_ATTEMPTS
    reason = failed.message or failed.code or "declined"
    if number < attempts and failed.code not in payments.REFUND_NOT_RETRIED:
        after = settings.CIVICFUND_REFUND_RETRY_SECONDS * number
        jobs.later("pledges.tasks.refund_retry", pledge_id, number + 1, countdown=after)
        log.warning(
            "Refund %s of pledge %s failed (%s): attempt %s of %s in %ss",
            failed.idempotency_key,
            pledge_id,
            reason,
            number + 1,
            attempts,
            after,
        )
        return f"refund attempt {number + 1} of {attempts} queued in {after}s"
    why = (
        f"refund attempt {number} of {attempts} failed"
        if failed.code not in payments.REFUND_NOT_RETRIED
        else f"refund attempt {number} refused"
    )
    admins_alert(
        f"Pledge {pledge_id}: {why} ({failed.idempotency_key}, {failed.reference or 'no reference'}: "
        f"{reason}). No more attempts will be made: the pledge stays 'refunding', listed in the "
        f"admin as waiting for a manual refund; pay the backer by other means.",
        subject="A refund needs attention",
    )
    return f"{why}: waiting for a manual refund"


def pledge_refund_retry(*, pledge_id: int, number: int) -> Pledge:
    """Refund attempt `number` (2, 3, ...) of a refunding pledge whose attempt `number - 1` was
    declined, with its own keys (`pledge-<id>-refund-<number>` at the provider and in the ledger),
    paced like a failed campaign's refunds; booked when it succeeds, and the campaign finished if it
    was its last money. Idempotent: a duplicate task resumes the same attempt (same key) or finds
    nothing to do; a pledge refunded, or whose latest attempt is another, is left alone.
    Raises GatewayUnavailable (the task retries with the same key)."""
    pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
    latest = payments.pledge_refund_number(pledge_id=pledge_id)
    previous = PaymentAttempt.objects.filter(idempotency_key=payments.refund_key(pledge_id, number - 1)).first()
    due = latest == number or (
        latest == number - 1
        and previous is not None
        and previous.status == AttemptStatus.DECLINED
        and previous.code not in payments.REFUND_NOT_RETRIED
    )
    if pledge.status != PledgeStatus.REFUNDING or not due or not 2 <= number <= settings.CIVICFUND_REFUND_ATTEMPTS:
        return pledge
    with paced(refund_pacer(pledge.campaign.platform)):
        return pledge_refund_single(pledge_id=pledge_id, number=number)


def failed_refunds_retry(*, now: dt.datetime | None = None) -> int:
    """Queue again the retry of a failed card refund whose queued task was lost (a countdown task
    dies with its worker's memory): a refunding pledge whose refunds have all failed, with attempts
    left, once its retry is CIVICFUND_RESUME_AFTER_SECONDS overdue. A duplicate of a task still
    coming changes nothing (`pledge_refund_retry` is idempotent). Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    rows = (
        pledges_with_failed_refunds()
        .filter(refunds_failed__lt=settings.CIVICFUND_REFUND_ATTEMPTS, refunds_final=0)  # type: ignore[misc]
        .values_list("pk", "refunds_failed", "refund_failed_at")[:500]
    )
    for pledge_id, failed, failed_at in rows:
        due = failed_at + dt.timedelta(
            seconds=settings.CIVICFUND_REFUND_RETRY_SECONDS * failed + settings.CIVICFUND_RESUME_AFTER_SECONDS
        )
        if due <= now:
            jobs.now("pledges.tasks.refund_retry", pledge_id, failed + 1)
            queued += 1
    return queued


def pending_refunds_follow_up(*, now: dt.datetime | None = None) -> int:
    """Ask the provider again about pledges' own card refunds it answered `pending`
    (`pledge-<id>-refund[-n]`) CIVICFUND_PENDING_RETRY_SECONDS ago or more, in case its later word
    (Stripe's `refund.updated`) never reached us: the answer goes where that event's would
    (REFUND_UPDATED: a success is booked once, after the commit, by `pledges.tasks.refund_pledge`; a
    decline goes to the next attempt or an admin). Still pending: asked again on the next run. A
    provider that does not answer is asked on the next run. Returns how many refunds were settled."""
    now = now or timezone.now()
    before = now - dt.timedelta(seconds=settings.CIVICFUND_PENDING_RETRY_SECONDS)
    settled = 0
    for attempt in payments.refunds_pending(answered_before=before)[:500]:
        if payments.refund_number(attempt.pledge_id, attempt.idempotency_key) is None:
            continue  # another refund of ours (a claim's payment): its own job follows it up
        try:
            fresh = payments.refund_fetch(attempt=attempt)
        except GatewayUnavailable:
            continue
        if fresh.status == AttemptStatus.PENDING:
            continue
        with transaction.atomic():
            locked = PaymentAttempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.status != AttemptStatus.PENDING:
                continue  # answered meanwhile (the provider's event came)
            events.event_dispatch(events.REFUND_UPDATED, attempt=locked, fresh=fresh, reference=locked.reference)
        settled += 1
    return settled


def pledge_refunds_paced(*, pledge_ids: list[int]) -> int:
    """Refund card pledges one after another (`pledge_refund_single`: idempotent per pledge with
    `pledge-<id>-refund`; the campaign's last refund finishes it), each request to the provider
    waiting for its slot in the gateway's global pace (`payments.pacing.refund_pacer`): a Stripe
    refund is two requests, so two slots. Pledges already refunded, or whose refund already has an
    answer, send nothing and take no slot. Returns how many were refunded.
    Raises GatewayUnavailable: the task retries the batch, whose done pledges are then skipped."""
    done = 0
    pacers: dict[int, Pacer] = {}
    for pledge in Pledge.objects.filter(pk__in=pledge_ids).select_related("campaign__platform").order_by("id"):
        if pledge.status not in (PledgeStatus.PAID, PledgeStatus.REFUNDING):
            continue
        platform = pledge.campaign.platform
        pacer = pacers.get(platform.pk) or pacers.setdefault(platform.pk, refund_pacer(platform))
        with paced(pacer):
            if pledge_refund_single(pledge_id=pledge.pk).status == PledgeStatus.REFUNDED:
                done += 1
    return done


def campaign_refunds_finish(*, campaign_id: int) -> bool:
    """refunding → refunded once no pledge of the campaign still holds money."""
    with transaction.atomic():
        campaign = campaign_lock(campaign_id)
        if campaign.status != CampaignStatus.REFUNDING:
            return False
        if Pledge.objects.filter(
            campaign_id=campaign_id, status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING]
        ).exists():
            return False
        campaign_move(campaign, CampaignStatus.REFUNDED, note="All backers refunded in full.")
        return True
