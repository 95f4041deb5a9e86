"""Pledging on a hosted card page (Stripe Checkout in setup mode, or any gateway with
`capabilities.hosted_card_page`): opening the page, and ending a pledge whose page was left."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.errors import PermissionDenied, PledgeRefused
from payments import services as payments
from payments.gateways import GatewayResult, ProviderObjectMissing, gateway_for, gateway_get
from payments.models import AttemptKind, AttemptStatus, PaymentAttempt

from ..models import Pledge, PledgeStatus
from .intake import WithPledge, pledge_open
from .moves import pledge_move
from .settlement import pledge_card_saved

log = logging.getLogger(__name__)

# Stripe's shortest Checkout Session (30 minutes), plus a minute for our clock and Stripe's to differ.
CHECKOUT_EXPIRES = dt.timedelta(minutes=31)


def pledge_checkout_start(
    *,
    campaign_id: int,
    backer: Any,
    amount: int,
    success_url: str,
    cancel_url: str,
    tier_id: int | None = None,
    request_key: str | None = None,
    now: dt.datetime | None = None,
    with_pledge: WithPledge | None = None,
) -> tuple[Pledge, str]:
    """Pledge by saving the card on Stripe Checkout's own page (setup mode): the pledge is opened
    (pending) and the backer is sent to the returned URL; `checkout.session.completed` then secures
    or charges it, `checkout.session.expired` declines it. The session expires CHECKOUT_EXPIRES after
    it was first asked for (Stripe's minimum, not its default 24 hours), so an abandoned page holds
    a reward for half an hour at most; `{PLEDGE_ID}` in `cancel_url` is replaced by the pledge's id,
    for `pledge_checkout_cancel`. `with_pledge(pledge)` runs in the transaction that opens the pledge
    (as in `pledge_get_or_create`). Raises PledgeRefused."""
    pledge = None
    if request_key:
        pledge = Pledge.objects.filter(backer=backer, request_key=request_key).first()
    if pledge is None:
        pledge = pledge_open(
            campaign_id=campaign_id,
            backer=backer,
            amount=amount,
            tier_id=tier_id,
            currency=None,
            request_key=request_key,
            now=now,
            with_pledge=with_pledge,
        )
    gateway = gateway_for(pledge.campaign.platform)
    if not gateway.capabilities.hosted_card_page:
        raise PledgeRefused("This platform takes cards on its own page.", code="no_checkout")
    urls: dict[str, str] = {}

    def start(idempotency_key: str) -> GatewayResult:
        # From the attempt's first try, so a retry with the same key sends the same parameters.
        asked = (
            PaymentAttempt.objects.filter(idempotency_key=idempotency_key).values_list("created_at", flat=True).first()
            or timezone.now()
        )
        session_id, urls["url"] = gateway.card_page_start(
            customer=f"user-{pledge.backer_id}",
            success_url=success_url,
            cancel_url=cancel_url.replace("{PLEDGE_ID}", str(pledge.pk)),
            idempotency_key=idempotency_key,
            currency=pledge.currency,
            expires_at=int((asked + CHECKOUT_EXPIRES).timestamp()),
        )
        return GatewayResult(status="pending", reference=session_id)

    attempt = payments.attempt_run(
        kind=AttemptKind.SAVE_CARD, pledge=pledge, amount=0, key=f"pledge-{pledge.pk}-card", call=start, gateway=gateway
    )
    url = urls.get("url") or gateway.card_page_get(attempt.reference).url
    return pledge, url


def pledge_checkout_cancel(*, pledge_id: int, backer: Any = None, status: str = PledgeStatus.CANCELLED) -> Pledge:
    """A pending pledge's Stripe Checkout page was left without saving a card: the backer came back
    through its cancel URL (`status` cancelled), or the pending-payments job gives up on it
    (declined). The session is expired at Stripe at once, so its page cannot save a card any more,
    and the pledge ends with its reward back on sale. If Stripe says the card was saved meanwhile (in
    another tab), that is applied instead, as on the backer's return. A session Stripe no longer has
    (404) saves no card either: the pledge ends as for an expired one. Idempotent, and so is the
    `checkout.session.expired` event that follows (its attempt is already answered).
    Raises PermissionDenied (not the backer's pledge), GatewayUnavailable."""
    pledge = Pledge.objects.filter(pk=pledge_id).first()
    if pledge is None or (backer is not None and pledge.backer_id != backer.pk):
        raise PermissionDenied("No such pledge of yours.", code="not_found")
    attempt = payments.card_page_of(list(pledge.attempts.filter(kind=AttemptKind.SAVE_CARD)))
    if pledge.status != PledgeStatus.PENDING or pledge.payment_method or attempt is None:
        return pledge
    if attempt.status in (AttemptStatus.STARTED, AttemptStatus.PENDING):
        gateway = gateway_get(attempt.gateway)
        try:
            page_status = gateway.card_page_expire(attempt.reference).status
        except ProviderObjectMissing:  # the provider no longer has the page (test data deleted): it saves no card
            log.error("The provider no longer has card page %s of pledge %s", attempt.reference, pledge.pk)
            page_status = "expired"
        if page_status == "complete":
            gateway.card_page_refresh(attempt.reference)
            attempt.refresh_from_db()
    if attempt.status == AttemptStatus.SUCCEEDED:  # the card was saved: secure or charge the pledge
        return pledge_card_saved(pledge_id=pledge.pk, reference=attempt.reference)
    with transaction.atomic():
        payments.attempt_abandon(attempt, code="checkout_canceled", message="Stripe Checkout left without a card")
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status == PledgeStatus.PENDING and not pledge.payment_method:
            pledge_move(pledge, status, note="The card page was left without a card.")
    return pledge
