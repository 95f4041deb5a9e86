"""A failed campaign's refunds, in chunks: each chunk one task and one transaction."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from core import jobs
from core.outbox import notify
from ledger import services as ledger
from ledger.models import TransactionKind
from payments.gateways import gateway_for
from platforms.models import RefundDestination
from pledges.models import PaymentSource, Pledge, PledgeStatus
from pledges.selectors import pledges_with_failed_refunds
from pledges.services import campaign_refunds_finish, pledge_refund, pledges_move
from projects.models import Campaign, CampaignStatus

WALLET_CHUNK = 2000
CARD_CHUNK = 100


def campaign_refund_chunk(*, campaign_id: int, size: int | None = None, resume: bool = False) -> int:
    """Refund the next chunk of a refunding campaign's paid pledges; return how many were refunded
    (wallet) or handed to refund tasks (card).

    Wallet refunds: one database transaction per chunk, a handful of set-based statements (the
    pledges' moves and their history, `pledges_move`, and the ledger, `ledger.wallets_credit_many`),
    so a killed worker leaves either the whole chunk or none of it. Card refunds through a gateway
    without a rate limit (the sandbox): each pledge through `pledge_refund` (idempotent per pledge),
    here. Card refunds through a paced gateway (Stripe) are fanned out: the chunk's paid card pledges
    become `refunding` and are queued in small batches (`pledges.tasks.refund_pledges`), each refund
    idempotent per pledge and paced globally below the provider's rate limit; the last one booked
    finishes the campaign. `resume` (a first run, or a restart after a stall) queues again the card
    pledges left `refunding` by lost tasks. When nothing is left to refund, the campaign becomes `refunded`.
    """
    campaign = Campaign.objects.select_related("platform").get(pk=campaign_id)
    if campaign.status != CampaignStatus.REFUNDING:
        return 0
    done = 0
    to_wallet = campaign.platform.refund_destination == RefundDestination.WALLET
    with transaction.atomic():
        # On card platforms only wallet-paid pledges go back to the wallet.
        rows = pledges_move(
            campaign_id=campaign_id,
            from_status=PledgeStatus.PAID,
            to_status=PledgeStatus.REFUNDED,
            source=None if to_wallet else PaymentSource.WALLET,
            limit=size or WALLET_CHUNK,
            skip_locked=True,
            note="Refunded to the wallet: the campaign was not funded.",
        )
        if rows:
            _wallet_refunds_record(campaign, rows)
            done += len(rows)
    if not to_wallet and done == 0 and gateway_for(campaign.platform).capabilities.paced_refunds:
        done = _card_refunds_fan_out(campaign_id, size=size or CARD_CHUNK, resume=resume)
    elif not to_wallet and done == 0:  # no server, no rate limit: refunded here
        ids = list(
            Pledge.objects.filter(
                campaign_id=campaign_id,
                status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING],
                source=PaymentSource.CARD,
            )
            .order_by("id")
            .values_list("id", flat=True)[: size or CARD_CHUNK]
        )
        for pledge_id in ids:
            if pledge_refund(pledge_id=pledge_id).status == PledgeStatus.REFUNDED:
                done += 1
    if done == 0:
        campaign_refunds_finish(campaign_id=campaign_id)
    return done


def _wallet_refunds_record(campaign: Campaign, rows: list[tuple[int, int, int]]) -> None:
    """Book a chunk of refunds to wallets as one balanced transaction (the caller moved the pledges to
    refunded in this transaction)."""
    ledger.wallets_credit_many(
        kind=TransactionKind.REFUND,
        key=f"campaign-{campaign.pk}-refunds-from-{rows[0][0]}",
        source=ledger.escrow_account(campaign),
        credits=[(backer_id, amount, pledge_id) for pledge_id, backer_id, amount in rows],
        campaign=campaign,
        memo=f"{len(rows)} refunds to wallets",
    )
    notify("refunds_issued", pledge_ids=[pledge_id for pledge_id, _, _ in rows])


def _card_refunds_fan_out(campaign_id: int, *, size: int, resume: bool) -> int:
    """paid → refunding for the next `size` card pledges (rows locked, SKIP LOCKED), and their
    refunds queued after the commit in batches of STRIPE_REFUND_BATCH."""
    with transaction.atomic():
        moved = pledges_move(
            campaign_id=campaign_id,
            from_status=PledgeStatus.PAID,
            to_status=PledgeStatus.REFUNDING,
            source=PaymentSource.CARD,
            limit=size,
            skip_locked=True,
            note="Card refund queued: the campaign was not funded.",
        )
        ids = [pledge_id for pledge_id, _, _ in moved]
        if resume:  # not those whose refund failed: their retry task or an admin sees to them
            failed = pledges_with_failed_refunds().filter(campaign_id=campaign_id).values("pk")
            ids += list(
                Pledge.objects.filter(campaign_id=campaign_id, status=PledgeStatus.REFUNDING, source=PaymentSource.CARD)
                .exclude(pk__in=ids)
                .exclude(pk__in=failed)
                .order_by("id")
                .values_list("id", flat=True)
            )
        step = max(1, settings.STRIPE_REFUND_BATCH)
        for start in range(0, len(ids), step):
            jobs.later("pledges.tasks.refund_pledges", ids[start : start + step])
    return len(ids)
