"""The split of what a succeeded campaign collected: fee, first payout and held part, and its payouts."""

from __future__ import annotations

from django.db import transaction

from core.money import basis_points_of, percent_of
from ledger import services as ledger
from ledger.models import AccountKind, TransactionKind
from payouts.services import payouts_schedule
from platforms.calendars import payout_due_date
from pledges.models import Pledge, PledgeStatus
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock

from .. import hooks


def campaign_split(campaign: Campaign, *, collected: int) -> None:
    """Split what a succeeded campaign collected (caller holds its row lock): fee, first payout, held
    part, booked in the ledger, and its two payouts scheduled.

    DOMAIN.md: fee = collected × fee% rounded down; first payout = (collected − fee) × 90% rounded
    down; the held part is the rest, so the three add up to `collected` to the unit (a database CHECK
    holds the campaign to it).
    """
    platform = campaign.platform
    collected += sum(hooks.split_extra.run(campaign=campaign))  # e.g. match money, in escrow already
    fee = basis_points_of(collected, platform.fee_basis_points)
    first = percent_of(collected - fee, platform.first_payout_percent)
    held = collected - fee - first
    campaign.collected, campaign.fee_amount = collected, fee
    campaign.first_payout_amount, campaign.held_amount = first, held
    # From the deadline's date, not the close job's: a late close must not move the owner's payday.
    campaign.first_payout_due = payout_due_date(platform, campaign.deadline)
    campaign.save(update_fields=["collected", "fee_amount", "first_payout_amount", "held_amount", "first_payout_due"])
    escrow = ledger.escrow_account(campaign)
    if fee:
        ledger.transaction_record(
            kind=TransactionKind.FEE,
            key=f"campaign-{campaign.pk}-fee",
            campaign=campaign,
            legs=[ledger.Leg(escrow, -fee), ledger.Leg(ledger.platform_account(AccountKind.FEES, platform), fee)],
        )
    if held:
        ledger.transaction_record(
            kind=TransactionKind.HOLD,
            key=f"campaign-{campaign.pk}-hold",
            campaign=campaign,
            legs=[ledger.Leg(escrow, -held), ledger.Leg(ledger.held_account(campaign), held)],
        )
    payouts_schedule(campaign)


def campaign_settle(*, campaign_id: int) -> bool:
    """Charge on success: split once every saved card has been charged or dropped (takes the
    campaign's row lock). False while cards are left to charge or backers are in their retry window,
    or when the campaign is not a succeeded, unsplit one."""
    with transaction.atomic():
        campaign = campaign_lock(campaign_id)
        if campaign.status != CampaignStatus.SUCCEEDED or campaign.collected is not None:
            return False
        if Pledge.objects.filter(campaign=campaign, status__in=[PledgeStatus.SECURED, PledgeStatus.RETRYING]).exists():
            return False  # cards still to charge, or backers still in their retry window
        collected = Pledge.objects.filter(
            campaign=campaign, status=PledgeStatus.PAID, paid_at__isnull=False
        ).values_list("amount", flat=True)
        campaign_split(campaign, collected=sum(collected))
        return True


def collection_progressed(*, campaign_id: int) -> None:
    """pledges.hooks.collection_progressed: a retrying pledge paid or dropped may complete a
    charge-on-success collection."""
    campaign_settle(campaign_id=campaign_id)
