"""The pending-payments job: card pledges whose payment has had no answer for a while."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.errors import PledgeRefused
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptKind, AttemptStatus
from platforms.models import CollectionMode

from ..models import Pledge, PledgeStatus
from .checkout import pledge_checkout_cancel
from .moves import pledge_move
from .settlement import pledge_charge_settle, pledge_confirm_expire, pledge_secure

PENDING_GIVE_UP = dt.timedelta(minutes=30)


def pending_payments_retry(*, now: dt.datetime | None = None) -> int:
    """Ask the provider again about card pledges whose payment has had no answer for a while (a
    timeout, or a worker killed mid-call), with the same idempotency key, so the provider returns
    its first answer instead of charging again. A pledge whose card was never saved cannot be
    charged (we keep no card numbers): after PENDING_GIVE_UP it is declined and its reward freed (an
    open Stripe Checkout page of it expired first). A pledge awaiting its backer's confirmation is
    left alone until its window ends, then `pledge_confirm_expire` ends it."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.CIVICFUND_PENDING_RETRY_SECONDS)
    done = 0
    for pledge in Pledge.objects.filter(status=PledgeStatus.PENDING, created_at__lte=stale).select_related(
        "campaign__platform"
    )[:500]:
        if pledge.retry_until is not None:  # awaiting the backer's confirmation
            if now >= pledge.retry_until:
                try:
                    pledge_confirm_expire(pledge_id=pledge.pk, now=now)
                except GatewayUnavailable:
                    continue
                done += 1
            continue
        charge = pledge.attempts.filter(kind=AttemptKind.CHARGE).first()
        if charge is not None and charge.status == AttemptStatus.PENDING:
            if charge.code == "authentication_required":  # its window was never opened (a crash)
                pledge_charge_settle(pledge_id=pledge.pk)
            continue  # the provider will call back
        if not pledge.payment_method:
            if pledge.created_at <= now - PENDING_GIVE_UP:
                try:
                    pledge_checkout_cancel(pledge_id=pledge.pk, status=PledgeStatus.DECLINED)
                except GatewayUnavailable:
                    continue
                with transaction.atomic():  # no Checkout page (or its session was never created)
                    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
                    if pledge.status == PledgeStatus.PENDING and not pledge.payment_method:
                        pledge_move(pledge, PledgeStatus.DECLINED, note="No card was saved in time.")
                done += 1
            continue
        if pledge.campaign.platform.collection_mode == CollectionMode.CHARGE_ON_SUCCESS:
            try:
                pledge_secure(pledge.pk)
            except PledgeRefused:
                pass
            done += 1
            continue
        try:
            payments.pledge_charge_call(pledge=pledge)
        except GatewayUnavailable:
            continue
        pledge_charge_settle(pledge_id=pledge.pk)
        done += 1
    return done
