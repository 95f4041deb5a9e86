"""A backer cancels a pledge while its campaign is live: the reward goes back on sale and the money comes
back in full (to the wallet at once, or to the card by a refund task)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from core import jobs
from core.errors import PermissionDenied, PledgeRefused
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptKind, AttemptStatus
from projects.models import Campaign
from projects.selectors import campaign_lock

from ..models import Pledge, PledgeStatus
from .moves import pledge_move, tier_release
from .refunds import refund_to_wallet_record, refunds_to_wallet
from .settlement import pledge_charge_settle

# Why a pledge cannot be cancelled, by its status: whole sentences, so the site can translate them.
NOT_CANCELLABLE = gettext_noop("This pledge cannot be cancelled any more.")
CANCEL_REFUSED: dict[str, str] = {
    PledgeStatus.CANCELLED: gettext_noop("This pledge has already been cancelled."),
    PledgeStatus.REFUNDING: gettext_noop("This pledge is already being refunded."),
    PledgeStatus.REFUNDED: gettext_noop("This pledge has already been refunded."),
    PledgeStatus.DECLINED: gettext_noop("This pledge's payment was declined: there is nothing to cancel."),
    PledgeStatus.RELEASED: gettext_noop(
        "This pledge has already ended: the campaign was not funded and the card was never charged."
    ),
    PledgeStatus.DROPPED: gettext_noop(
        "This pledge has already ended: its payment failed after the campaign was funded."
    ),
}


def pledge_cancel(*, pledge_id: int, backer: Any, now: dt.datetime | None = None) -> Pledge:
    """The backer withdraws a pledge while the campaign is live: the reward goes back on sale and the
    money comes back in full (to the wallet at once, or to the card by a refund task).

    A pending pledge whose payment waits for the backer's bank (`_pledge_confirm_wait`) is cancelled
    too, nothing charged: its waiting payments are cancelled at the provider first, outside any
    transaction (`_pledge_confirm_cancel`), then the pledge. If the provider says the backer confirmed
    one meanwhile, the payment is booked instead and PledgeRefused `payment_confirmed` says the pledge
    is paid (cancelling it again then refunds it, as for any paid pledge). If the provider does not
    answer: PledgeRefused `provider_unavailable`, the pledge unchanged. Any other pending pledge:
    PledgeRefused `payment_pending`. Raises PermissionDenied, PledgeRefused."""
    pledge = Pledge.objects.filter(pk=pledge_id).first()
    if pledge is None or pledge.backer_id != backer.pk:
        raise PermissionDenied("No such pledge of yours.", code="not_found")
    awaiting = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    if awaiting:
        _pledge_confirm_cancel(pledge, now=now or timezone.now())
    refund_by_card = False
    with transaction.atomic():
        campaign = campaign_lock(pledge.campaign_id, shared=True)
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if not campaign.accepts_pledges(now or timezone.now()):
            raise PledgeRefused("The campaign has closed; pledges can no longer be cancelled.", code="campaign_closed")
        if pledge.status == PledgeStatus.SECURED:
            pledge_move(pledge, PledgeStatus.CANCELLED, note="Cancelled by the backer.")
        elif pledge.status == PledgeStatus.PAID and awaiting:  # paid (another card) while this ran
            raise _paid_meanwhile()
        elif pledge.status == PledgeStatus.PAID:
            tier_release(pledge.tier_id)
            if refunds_to_wallet(pledge, campaign):
                refund_to_wallet_record(pledge, campaign)
            else:
                pledge_move(pledge, PledgeStatus.REFUNDING, note="Cancelled by the backer.")
                refund_by_card = True
        elif (
            pledge.status == PledgeStatus.PENDING
            and awaiting
            and not pledge.attempts.filter(
                kind=AttemptKind.CHARGE,
                status__in=[AttemptStatus.STARTED, AttemptStatus.PENDING, AttemptStatus.SUCCEEDED],
            ).exists()
        ):
            pledge_move(
                pledge, PledgeStatus.CANCELLED, note="Cancelled by the backer."
            )  # its payments can take no money
        elif pledge.status == PledgeStatus.PENDING:
            raise _payment_pending()
        else:
            raise PledgeRefused(CANCEL_REFUSED.get(pledge.status, NOT_CANCELLABLE), code="not_cancellable")
        if refund_by_card:
            jobs.later("pledges.tasks.refund_pledge", pledge_id)
    return pledge


def _payment_pending() -> PledgeRefused:
    return PledgeRefused("This pledge's payment is still being confirmed; try again shortly.", code="payment_pending")


def _paid_meanwhile() -> PledgeRefused:
    return PledgeRefused(
        "Your bank confirmed this payment before it could be cancelled: your pledge is paid. "
        "While the campaign is live you can still cancel it; the money then comes back to you "
        "in full.",
        code="payment_confirmed",
    )


def _pledge_confirm_cancel(pledge: Pledge, *, now: dt.datetime) -> None:
    """For `pledge_cancel`, before its transaction: cancel at the provider the payments of a pending
    pledge awaiting its backer's confirmation (`payments.pledge_charge_cancel`: idempotent, its key
    `<charge key>-cancel`). Refuses before any provider call when the campaign has closed, or while a
    payment with another card has no answer yet. A payment the backer confirmed first is booked
    (`pledge_charge_settle`) and PledgeRefused `payment_confirmed` raised. The provider down:
    PledgeRefused `provider_unavailable`, each attempt left as it was."""
    campaign = Campaign.objects.get(pk=pledge.campaign_id)
    if not campaign.accepts_pledges(now):
        raise PledgeRefused("The campaign has closed; pledges can no longer be cancelled.", code="campaign_closed")
    charges = pledge.attempts.filter(kind=AttemptKind.CHARGE)
    if charges.filter(status=AttemptStatus.STARTED).exists():
        raise _payment_pending()
    try:
        for attempt in charges.filter(status=AttemptStatus.PENDING):
            payments.pledge_charge_cancel(attempt=attempt)
    except GatewayUnavailable:
        raise PledgeRefused(
            "Stripe did not answer: your pledge is not cancelled yet. Please try again in a moment.",
            code="provider_unavailable",
        ) from None
    if charges.filter(status=AttemptStatus.SUCCEEDED).exists():
        pledge_charge_settle(pledge_id=pledge.pk)
        raise _paid_meanwhile()
