"""Payouts to owners by the 90/10 escrow rule, and owners' connected payout accounts."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import jobs
from core.errors import ApplicationError
from core.outbox import notify
from ledger import services as ledger
from ledger.models import TransactionKind
from payments.gateways import PayoutAccountState, gateway_with
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock
from projects.services import campaign_move, check_permission

from . import hooks
from .methods import method_get, method_name_for
from .models import Payout, PayoutKind, PayoutMethodName, PayoutStatus, PayoutStatusChange, StripeConnectAccount

log = logging.getLogger(__name__)


def payout_move(payout: Payout, new_status: str, *, actor: Any = None, note: str = "", **fields: Any) -> Payout:
    """Move a payout along PAYOUT_TRANSITIONS and record it (with `fields` changed alongside, e.g. its
    method or reference). Caller holds the payout's row lock in its transaction. The only code that
    changes a payout's status. Raises InvalidTransition."""
    payout.check_move(new_status)
    old = payout.status
    payout.status = new_status
    for name, value in fields.items():
        setattr(payout, name, value)
    payout.save(update_fields=["status", *fields])
    PayoutStatusChange.objects.create(
        payout=payout, from_status=old, to_status=new_status, actor=actor, note=note[:200]
    )
    hooks.payout_moved.run(payout=payout, from_status=old, to_status=new_status, actor=actor, note=note)
    return payout


def payouts_schedule(campaign: Campaign) -> None:
    """Create the two payouts of a settled campaign (caller holds its lock): the first one due on its
    working day, the held part waiting for the final report."""
    assert campaign.first_payout_amount is not None and campaign.held_amount is not None  # split first
    common = {"campaign": campaign, "currency": campaign.currency}
    Payout.objects.create(
        kind=PayoutKind.FIRST,
        amount=campaign.first_payout_amount,
        due_on=campaign.first_payout_due,
        status=PayoutStatus.SCHEDULED,
        idempotency_key=f"payout-{campaign.pk}-first",
        **common,
    )
    Payout.objects.create(
        kind=PayoutKind.HELD,
        amount=campaign.held_amount,
        status=PayoutStatus.WAITING,
        idempotency_key=f"payout-{campaign.pk}-held",
        **common,
    )


def held_payout_release(campaign: Campaign) -> None:
    """The final report is approved (caller holds the campaign lock): the held part is due today."""
    today = timezone.now().astimezone(campaign.platform.tz).date()
    for payout in Payout.objects.select_for_update().filter(
        campaign=campaign, kind=PayoutKind.HELD, status=PayoutStatus.WAITING
    ):
        payout_move(payout, PayoutStatus.SCHEDULED, note="Final report approved.", due_on=today)
    jobs.later("payouts.tasks.release_due_payouts")


def held_payout_take(*, campaign: Campaign, amount: int) -> int:
    """Take up to `amount` from the campaign's held part while it is not yet released (waiting for the
    final report, or scheduled and not sent): the held payout shrinks by what is taken, so the owner is
    later paid only the rest, and the caller books that money out of the held account (e.g. a pre-sale
    claim paid to a backer). Caller holds the campaign's row lock in its transaction. Returns what was
    taken: 0 when the held part is already sent or paid, or the campaign has none yet."""
    if amount <= 0:
        return 0
    payout = (
        Payout.objects.select_for_update()
        .filter(campaign=campaign, kind=PayoutKind.HELD, status__in=[PayoutStatus.WAITING, PayoutStatus.SCHEDULED])
        .first()
    )
    if payout is None:
        return 0
    taken = min(amount, payout.amount)
    if taken:  # the claim that took it is its record (presale.models.Claim.from_held)
        Payout.objects.filter(pk=payout.pk).update(amount=payout.amount - taken)
    return taken


def release_due_payouts(*, now: dt.datetime | None = None) -> int:
    """Send every scheduled payout whose day has come (in its platform's time zone)."""
    now = now or timezone.now()
    sent = 0
    due = Payout.objects.filter(
        Q(status=PayoutStatus.SCHEDULED)
        # A transfer left unanswered: sent again, with the same key.
        | Q(status=PayoutStatus.PROCESSING, method=PayoutMethodName.CONNECTED_ACCOUNT)
    ).select_related("campaign__platform")
    for payout in due:
        if payout.due_on is not None and payout.due_on <= now.astimezone(payout.campaign.platform.tz).date():
            try:
                payout_send(payout_id=payout.pk)
            except Exception:  # one provider failure must not hold back the other payouts
                log.exception("Payout %s not sent; retried on the next run", payout.pk)
                continue
            sent += 1
    return sent


def payout_send(*, payout_id: int) -> Payout:
    """scheduled → processing, then ask the payout method; a method that pays at once (Stripe
    Connect) confirms it here, the manual bank transfer waits for an admin's reference. The method
    is chosen now (`method_name_for`); an owner still onboarding with Stripe waits. A Stripe
    transfer left unanswered (processing) is sent again with the same idempotency key.
    Raises GatewayUnavailable."""
    with transaction.atomic():
        payout = Payout.objects.select_for_update().select_related("campaign__platform").get(pk=payout_id)
        resend = payout.status == PayoutStatus.PROCESSING and payout.method == PayoutMethodName.CONNECTED_ACCOUNT
        if payout.status != PayoutStatus.SCHEDULED and not resend:
            return payout
        if not resend:
            if reasons := [reason for reason in hooks.release_blocked.run(payout=payout) if reason]:
                log.info("Payout %s held back: %s", payout.pk, "; ".join(reasons))
                return payout
            if (method := method_name_for(payout.campaign)) is None:
                log.info("Payout %s waits for its owner's payout account onboarding", payout.pk)
                return payout
            payout_move(payout, PayoutStatus.PROCESSING, note=f"Sent by {method}.", method=method)
    if payout.amount == 0:
        return payout_confirm(payout_id=payout.pk, reference="nothing to transfer")
    result = method_get(payout.method).send(payout=payout, idempotency_key=payout.idempotency_key)
    if result.status == "paid":
        return payout_confirm(payout_id=payout.pk, reference=result.reference)
    return payout


RECORD_PAYOUT = "payouts.record_payout"


def payout_confirm(*, payout_id: int, reference: str, actor: Any = None) -> Payout:
    """Record that the money reached the owner: the ledger moves it out of escrow (first payout) or
    the held account (held part); the campaign's first payout makes it `paid`. Idempotent. A person
    (`actor`) needs the permission RECORD_PAYOUT (the group "Finance"); the provider's word needs none."""
    if actor is not None:
        check_permission(actor, RECORD_PAYOUT)
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
            source = (
                ledger.escrow_account(campaign) if payout.kind == PayoutKind.FIRST else ledger.held_account(campaign)
            )
            owner_out = ledger.account_get(kind="payouts", currency=campaign.currency, campaign=campaign)
            ledger.transaction_record(
                kind=TransactionKind.PAYOUT if payout.kind == PayoutKind.FIRST else TransactionKind.RELEASE,
                key=payout.idempotency_key,
                campaign=campaign,
                legs=[ledger.Leg(source, -payout.amount), ledger.Leg(owner_out, payout.amount)],
            )
        payout_move(
            payout,
            PayoutStatus.PAID,
            actor=actor,
            note=f"Transfer {reference.strip()}",
            reference=reference.strip(),
            paid_at=timezone.now(),
            recorded_by=actor,
        )
        if payout.kind == PayoutKind.FIRST and campaign.status == CampaignStatus.SUCCEEDED:
            campaign_move(campaign, CampaignStatus.PAID, actor=actor, note=f"First payout: {reference}")
        if payout.amount:  # nothing transferred, nothing to tell
            notify("payout_recorded", payout_id=payout.pk)
    return payout


def _accounts_gateway() -> Any:
    gateway = gateway_with("connected_payouts")
    if gateway is None:
        raise ApplicationError(
            "No payment gateway of this deployment pays owners' accounts.", code="no_payout_accounts"
        )
    return gateway


def owner_stripe_onboarding_start(*, user: Any, refresh_url: str, return_url: str) -> str:
    """The owner connects a payout account with the gateway that offers connected payouts (a Stripe
    Express account): create it once (idempotent per user) and return the provider's onboarding link.
    PAYOUT_ACCOUNT_UPDATED events then keep its readiness up to date."""
    gateway = _accounts_gateway()
    account = StripeConnectAccount.objects.filter(user=user).first()
    if account is None:
        account_id = gateway.payout_account_create(
            user_key=f"user-{user.pk}", email=user.email, country=settings.STRIPE_CONNECT_COUNTRY
        )
        try:
            with transaction.atomic():
                account = StripeConnectAccount.objects.create(user=user, account_id=account_id)
        except IntegrityError:
            account = StripeConnectAccount.objects.get(user=user)
    return str(gateway.payout_account_link(account=account.account_id, refresh_url=refresh_url, return_url=return_url))


def owner_stripe_account_refresh(*, user: Any) -> StripeConnectAccount | None:
    """Re-read the owner's payout account from the provider (on return from onboarding; events do it too)."""
    account = StripeConnectAccount.objects.filter(user=user).first()
    if account is None:
        return None
    state: PayoutAccountState = _accounts_gateway().payout_account_get(account.account_id)
    StripeConnectAccount.objects.filter(pk=account.pk).update(
        charges_enabled=state.charges_enabled,
        payouts_enabled=state.payouts_enabled,
        details_submitted=state.details_submitted,
        updated_at=timezone.now(),
    )
    account.refresh_from_db()
    return account


def payout_reversal_record(*, payout_id: int, reversed_total: int) -> Payout:
    """Stripe reversed (part of) a paid payout's transfer: `reversed_total` is how much of it is now
    back in the platform balance. The difference from what was recorded before is booked back from
    the owner's payouts account to where it came from (escrow for the first payout, the held account
    for the held part), so the campaign's money adds up again. Idempotent; a caller's transaction
    (the webhook's) is joined. Only paid payouts are reversed."""
    with transaction.atomic():
        payout = Payout.objects.get(pk=payout_id)
        campaign = campaign_lock(payout.campaign_id)
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        reversed_total = min(reversed_total, payout.amount)
        delta = reversed_total - payout.reversed_amount
        if payout.status != PayoutStatus.PAID or delta <= 0:
            return payout
        target = ledger.escrow_account(campaign) if payout.kind == PayoutKind.FIRST else ledger.held_account(campaign)
        owner_out = ledger.account_get(kind="payouts", currency=campaign.currency, campaign=campaign)
        ledger.transaction_record(
            kind=TransactionKind.TRANSFER_REVERSAL,
            key=f"{payout.idempotency_key}-reversed-{reversed_total}",
            campaign=campaign,
            memo=f"Transfer {payout.reference} reversed",
            legs=[ledger.Leg(owner_out, -delta), ledger.Leg(target, delta)],
        )
        payout.reversed_amount = reversed_total
        payout.save(update_fields=["reversed_amount"])
    return payout
