"""Settling card pledges: a card saved (secure it, or charge it now), a charge's answer (paid, declined,
or waiting for the backer's bank: 3-D Secure), and charge on success's retry window for a card declined
at collection."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import jobs
from core.errors import PaymentDeclined, PermissionDenied, PledgeRefused
from core.outbox import notify
from ledger import services as ledger
from ledger.models import AccountKind, TransactionKind
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptKind, AttemptStatus
from platforms.models import CollectionMode
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock

from .. import hooks
from ..models import Pledge, PledgeStatus
from .moves import pledge_move
from .refunds import refund_to_wallet_record, refunds_to_wallet

log = logging.getLogger(__name__)


def pledge_card_saved(*, pledge_id: int, reference: str) -> Pledge:
    """The provider saved a pledge's card later (3-D Secure, Checkout): secure or charge the pledge
    as at pledge time. Only a pending pledge moves; replays change nothing."""
    pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
    if pledge.status != PledgeStatus.PENDING or pledge.payment_method:
        return pledge
    try:
        return pledge_card_accepted(pledge, reference)
    except (PledgeRefused, PaymentDeclined):
        return Pledge.objects.get(pk=pledge_id)


def pledge_card_accepted(pledge: Pledge, reference: str) -> Pledge:
    """The provider saved the pending pledge's card (`reference`): on charge on success it secures the
    pledge, else the card is charged now. Raises PaymentDeclined (charge declined), PledgeRefused."""
    Pledge.objects.filter(pk=pledge.pk).update(payment_method=reference)
    pledge.payment_method = reference
    if pledge.campaign.platform.collection_mode == CollectionMode.CHARGE_ON_SUCCESS:
        return pledge_secure(pledge.pk)
    try:
        payments.pledge_charge_call(pledge=pledge)
    except GatewayUnavailable:
        log.warning("Charge of pledge %s not answered; left pending for retry", pledge.pk)
        return pledge
    pledge = pledge_charge_settle(pledge_id=pledge.pk)
    if pledge.status == PledgeStatus.DECLINED:
        attempt = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
        raise PaymentDeclined(
            (attempt and attempt.message) or "The card was declined.",
            field="card",
            reason=attempt.code if attempt else "",
        )
    return pledge


def pledge_secure(pledge_id: int) -> Pledge:
    """Charge on success: the saved card secures the pledge, if the campaign is still open."""
    with transaction.atomic():
        pledge = Pledge.objects.get(pk=pledge_id)
        campaign = campaign_lock(pledge.campaign_id, shared=True)
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.PENDING:
            return pledge
        if campaign.accepts_pledges(timezone.now()):
            pledge_move(pledge, PledgeStatus.SECURED)
            notify("pledge_receipt", pledge_id=pledge.pk)
            return pledge
        pledge_move(pledge, PledgeStatus.CANCELLED, note="The campaign closed before the card was saved.")
    raise PledgeRefused("This campaign has reached its deadline.", code="campaign_closed")


def pledge_decline(*, pledge_id: int) -> Pledge:
    """The provider refused the pledge's card (e.g. its card setup failed): a pending pledge is
    declined and its reward freed; a secured one dropped. Other states are left alone."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status == PledgeStatus.PENDING:
            pledge_move(pledge, PledgeStatus.DECLINED)
        elif pledge.status == PledgeStatus.SECURED:
            pledge_move(pledge, PledgeStatus.DROPPED)
        return pledge


def pledge_charge_settle(*, pledge_id: int) -> Pledge:
    """Apply the answer of a pledge's charge (at once, or later by callback). Idempotent.

    A successful charge marks the pledge paid (`paid_at`: when the provider says it was paid, see
    `PaymentAttempt.succeeded_at`) and books the money into the campaign's escrow, under the
    campaign's share lock (the close holds it exclusively: lock order campaign, then pledge).
    DOMAIN.md "Raised" counts what is paid at the deadline: a charge-now payment made at or after
    the deadline, or one that reaches us after the close judged the campaign without it, never
    counts: in the same transaction it leaves the counted pledges (refunded to the wallet, or
    `refunding` with its card refund queued for after the commit), so no close or total sees it.
    """
    pledge = Pledge.objects.get(pk=pledge_id)
    succeeded = pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED).first()
    attempt = succeeded or pledge.attempts.filter(kind=AttemptKind.CHARGE).last()  # the latest try
    if attempt is None or attempt.status == AttemptStatus.STARTED:
        return pledge
    if attempt.status == AttemptStatus.PENDING:
        if (
            attempt.code == "authentication_required"
            and pledge.status == PledgeStatus.PENDING
            and pledge.retry_until is None
        ):
            return _pledge_confirm_wait(pledge_id)  # the backer must confirm it with their bank
        return pledge
    if attempt.status == AttemptStatus.DECLINED:
        if pledge.status in (PledgeStatus.SECURED, PledgeStatus.RETRYING):
            pledge_retry_start(pledge_id=pledge_id)  # charge on success: the retry window
        elif not _awaiting_backer(pledge):  # else the backer may still pay with another card
            pledge_decline(pledge_id=pledge_id)
        return Pledge.objects.get(pk=pledge_id)
    late = False
    with transaction.atomic():
        campaign = campaign_lock(pledge.campaign_id, shared=True)
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status not in (PledgeStatus.PENDING, PledgeStatus.SECURED, PledgeStatus.RETRYING):
            return pledge
        paid_at = attempt.succeeded_at or attempt.updated_at  # updated_at: an answer from before succeeded_at
        late = pledge.status == PledgeStatus.PENDING and (
            campaign.status != CampaignStatus.LIVE or paid_at >= campaign.deadline
        )
        retried = pledge.status == PledgeStatus.RETRYING
        note = "Paid at or after the deadline: it does not count, refunded at once." if late else ""
        # The money first, then the move (whose hooks book a match under the pot's lock): the same order
        # as a wallet pledge, so the locks the ledger's own hooks take (statistics rows) and a pot's lock
        # are always taken in one order and two pledges never deadlock (tests/concurrency/test_match_race).
        ledger.transaction_record(
            kind=TransactionKind.PLEDGE_PAID,
            key=f"pledge-{pledge.pk}-paid",
            campaign=campaign,
            legs=[
                ledger.Leg(
                    ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform), -pledge.amount, pledge.pk
                ),
                ledger.Leg(ledger.escrow_account(campaign), pledge.amount, pledge.pk),
            ],
        )
        pledge_move(pledge, PledgeStatus.PAID, note=note, paid_at=paid_at)
        if late and refunds_to_wallet(pledge, campaign):
            refund_to_wallet_record(pledge, campaign)
        elif late:
            pledge_move(pledge, PledgeStatus.REFUNDING, note="Paid at or after the deadline: refunded.")
            jobs.later("pledges.tasks.refund_pledge", pledge_id)
        elif not retried:
            notify("pledge_receipt", pledge_id=pledge.pk)
    if retried:  # the last pledge of a retry window may complete the collection
        hooks.collection_progressed.run(campaign_id=pledge.campaign_id)
    return pledge


def _awaiting_backer(pledge: Pledge, now: dt.datetime | None = None) -> bool:
    """A pending card pledge whose payment waits for its backer, within its window."""
    return (
        pledge.status == PledgeStatus.PENDING
        and pledge.retry_until is not None
        and (now or timezone.now()) < pledge.retry_until
    )


def _pledge_confirm_wait(pledge_id: int) -> Pledge:
    """A pending pledge's on-session charge asks the backer to confirm it with their bank (Stripe:
    `requires_action`, e.g. a charge-now payment made right after Checkout saved the card). The
    pledge stays pending, its reward held, until `retry_until`: the earlier of now +
    CIVICFUND_PLEDGE_CONFIRM_MINUTES and the campaign's deadline (a payment after the close would not
    count and be refunded at once). Meanwhile the backer confirms it, or pays with another card, on
    `payments:pledge_retry` (the receipt page and the e-mailed receipt link there); afterwards
    `pledge_confirm_expire` cancels the payment and declines the pledge, freeing its reward.
    Idempotent: the first window stands."""
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.PENDING or pledge.retry_until is not None:
            return pledge
        deadline = Campaign.objects.filter(pk=pledge.campaign_id).values_list("deadline", flat=True).get()
        window = timezone.now() + dt.timedelta(minutes=settings.CIVICFUND_PLEDGE_CONFIRM_MINUTES)
        pledge.retry_until = min(window, deadline)
        pledge.save(update_fields=["retry_until"])
        notify("pledge_receipt", pledge_id=pledge.pk)  # says what to do, with the link
    return pledge


def pledge_confirm_expire(*, pledge_id: int, now: dt.datetime | None = None) -> Pledge:
    """The window of a pending pledge awaiting its backer's confirmation (`_pledge_confirm_wait`)
    has passed: its payments still waiting are cancelled at the provider, so none can take money
    later, and the pledge is declined, its reward back on sale. A payment the backer confirmed in the
    meantime (the cancel finds it succeeded) is booked instead, or refunded at once if the campaign
    has closed. Pledges in any other state, or still within their window, are left alone.
    Raises GatewayUnavailable: the pending-payments job tries again."""
    now = now or timezone.now()
    pledge = Pledge.objects.get(pk=pledge_id)
    if pledge.status != PledgeStatus.PENDING or pledge.retry_until is None or now < pledge.retry_until:
        return pledge
    for attempt in pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.PENDING):
        payments.pledge_charge_cancel(attempt=attempt)
    if pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED).exists():
        return pledge_charge_settle(pledge_id=pledge_id)
    if pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.PENDING).exists():
        return pledge  # still processing at the provider: its answer settles it
    return pledge_decline(pledge_id=pledge_id)


def pledge_retry_start(*, pledge_id: int, now: dt.datetime | None = None) -> Pledge:
    """A secured pledge's off-session charge failed at collection (declined, insufficient funds,
    authentication required): secured → retrying until now + CIVICFUND_PLEDGE_RETRY_DAYS, and the
    backer is e-mailed a link to pay on-session or with another card. A window of 0 days drops the
    pledge at once. Idempotent: a retrying pledge keeps its first deadline."""
    now = now or timezone.now()
    days = settings.CIVICFUND_PLEDGE_RETRY_DAYS
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.SECURED:
            return pledge
        if days <= 0:
            return pledge_move(pledge, PledgeStatus.DROPPED, note="Declined at collection; no retry window.")
        pledge_move(pledge, PledgeStatus.RETRYING, retry_until=now + dt.timedelta(days=days))
        notify("pledge_retry", pledge_id=pledge_id)
    return pledge


def pledge_retry_pay(*, pledge_id: int, backer: Any, card: str) -> Pledge:
    """The backer pays, on-session, with the same or another card within its window: a retrying
    pledge (charge on success, declined at collection), or a pending one whose payment waits for
    their bank's confirmation (`_pledge_confirm_wait`; that payment is cancelled first, so it cannot
    also succeed, unless it already has). A try's keys are derived from the pledge and the card token
    (`pledge-<id>-charge-r<hash>`), so a repeated request never charges twice; a try still
    unanswered blocks another card. Raises PaymentDeclined, PledgeRefused."""
    pledge = Pledge.objects.select_related("campaign__platform").filter(pk=pledge_id).first()
    if pledge is None or pledge.backer_id != backer.pk:
        raise PermissionDenied("No such pledge of yours.", code="not_found")
    if pledge.status == PledgeStatus.PAID:
        return pledge
    token = hashlib.sha256(card.strip().encode()).hexdigest()[:20]
    if _awaiting_backer(pledge):
        for waiting in pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.PENDING).exclude(
            idempotency_key=f"pledge-{pledge.pk}-charge-r{token}"
        ):
            payments.pledge_charge_cancel(attempt=waiting)
        if pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED).exists():
            return pledge_charge_settle(pledge_id=pledge.pk)  # the bank's confirmation came first
    elif pledge.status != PledgeStatus.RETRYING or pledge.retry_until is None or timezone.now() >= pledge.retry_until:
        raise PledgeRefused("This pledge can no longer be paid.", code="not_retrying")
    if (
        pledge.attempts.filter(kind=AttemptKind.CHARGE, status__in=[AttemptStatus.STARTED, AttemptStatus.PENDING])
        .exclude(idempotency_key=f"pledge-{pledge.pk}-charge-r{token}")
        .exists()
    ):
        raise PledgeRefused(
            "A payment for this pledge is still being confirmed; try again shortly.", code="payment_pending"
        )
    saved = payments.card_save(pledge=pledge, card=card, key=f"pledge-{pledge.pk}-card-r{token}")
    if saved.status != AttemptStatus.SUCCEEDED:
        raise PaymentDeclined(saved.message or "The card was declined.", field="card", reason=saved.code)
    attempt = payments.pledge_charge_call(
        pledge=pledge, key=f"pledge-{pledge.pk}-charge-r{token}", payment_method=saved.reference
    )
    pledge = pledge_charge_settle(pledge_id=pledge.pk)
    if attempt.status == AttemptStatus.DECLINED:
        raise PaymentDeclined(attempt.message or "The card was declined.", field="card", reason=attempt.code)
    return pledge
