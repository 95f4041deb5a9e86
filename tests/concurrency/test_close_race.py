"""Two workers closing the same due campaign at once, and two refund drivers on the same failed one."""

import datetime as dt

import pytest
from django.db.models import Sum

from funding import tasks as funding_tasks
from funding.audit import ledger_audit
from funding.services import campaign_close, campaign_refund_chunk, close_due_campaigns
from ledger import services as ledger
from ledger.models import Entry, Transaction, TransactionKind
from ledger.selectors import wallet_balance
from payouts.models import Payout, PayoutKind, PayoutStatus
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create
from projects.models import Campaign, CampaignStatus, CampaignStatusChange

from .support import GOOD_CARD, backers_make, books_snapshot, campaign_live, threads_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

S = CampaignStatus


def _pledged(campaign, amounts):
    backers = backers_make(len(amounts))
    for backer, amount in zip(backers, amounts, strict=True):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=GOOD_CARD)
    return backers


def test_two_workers_closing_a_due_campaign_close_and_split_it_exactly_once(presets):
    # presale: 5% fee, 90/10 split, charge now.
    campaign = campaign_live("presale", goal=100_000, funding_model="all_or_nothing")
    _pledged(campaign, [40_000, 50_000, 33_457])  # 123,457
    after_deadline = campaign.deadline + dt.timedelta(seconds=1)

    run = threads_run(
        [
            lambda: campaign_close(campaign_id=campaign.pk, now=after_deadline),
            lambda: close_due_campaigns(now=after_deadline),
            lambda: campaign_close(campaign_id=campaign.pk, now=after_deadline),
            lambda: close_due_campaigns(now=after_deadline),
        ]
    )

    assert run.unexpected() == []
    closes = [v for v in run.values if v == S.SUCCEEDED]
    closed_by_batch = sum(v["closed"] for v in run.values if isinstance(v, dict))
    assert len(closes) + closed_by_batch == 1
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.status == S.SUCCEEDED
    assert campaign.raised_at_close == campaign.collected == 123_457
    # fee 5% rounded down; first payout 90% of the rest rounded down; the held part the remainder.
    assert (campaign.fee_amount, campaign.first_payout_amount, campaign.held_amount) == (6_172, 105_556, 11_729)
    assert CampaignStatusChange.objects.filter(campaign=campaign, to_status=S.SUCCEEDED).count() == 1
    txns = Transaction.objects.filter(campaign=campaign)
    assert txns.filter(kind=TransactionKind.FEE).count() == 1
    assert txns.filter(kind=TransactionKind.HOLD).count() == 1
    assert (
        Payout.objects.filter(
            campaign=campaign, kind=PayoutKind.FIRST, status=PayoutStatus.SCHEDULED, amount=105_556
        ).count()
        == 1
    )
    assert (
        Payout.objects.filter(
            campaign=campaign, kind=PayoutKind.HELD, status=PayoutStatus.WAITING, amount=11_729
        ).count()
        == 1
    )
    assert ledger.balance(ledger.escrow_account(campaign)) == 105_556
    assert ledger.balance(ledger.held_account(campaign)) == 11_729
    assert ledger_audit() == []

    before = books_snapshot()
    later = after_deadline + dt.timedelta(minutes=5)
    assert campaign_close(campaign_id=campaign.pk, now=later) is None
    assert close_due_campaigns(now=later) == {"closed": 0, "resumed": 0}
    assert books_snapshot() == before
    assert ledger_audit() == []


def test_two_refund_drivers_refund_each_pledge_of_a_failed_wallet_campaign_exactly_once(presets, monkeypatch):
    # charity: all or nothing, refunds go to the backers' wallets.
    campaign = campaign_live("charity", goal=1_000_000_000)
    amounts = [10_000 + 1_000 * i for i in range(20)]
    backers = _pledged(campaign, amounts)
    # Two more pledges from backers who already gave: a wallet gets two refunds, each once.
    for backer, amount in [(backers[0], 25_000), (backers[-1], 17_000)]:
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=GOOD_CARD)
    expected = {b.pk: 0 for b in backers}
    for p in Pledge.objects.filter(campaign=campaign):
        expected[p.backer_id] += p.amount
    total = sum(expected.values())

    # The close would start the refund task (eager in tests); hold it back so the two drivers race.
    started = []
    monkeypatch.setattr(funding_tasks.refund_campaign, "delay", lambda cid: started.append(cid))
    assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline + dt.timedelta(seconds=1)) == S.REFUNDING
    assert started == [campaign.pk]

    def driver():
        chunks = []
        for _ in range(100):  # bounded: 22 pledges in chunks of 3 need at most 8
            done = campaign_refund_chunk(campaign_id=campaign.pk, size=3)
            if not done:
                break
            chunks.append(done)
        return chunks

    run = threads_run([driver, driver])

    assert run.unexpected() == []
    assert sum(sum(chunks) for chunks in run.values) == len(amounts) + 2
    campaign.refresh_from_db()
    if campaign.status == S.REFUNDING:
        # Both drivers may have seen the last rows locked by the other one; the next one finishes.
        assert campaign_refund_chunk(campaign_id=campaign.pk) == 0
        campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    assert campaign.raised_at_close == total
    assert not Pledge.objects.filter(campaign=campaign).exclude(status=PledgeStatus.REFUNDED).exists()
    refunds = Entry.objects.filter(
        transaction__kind=TransactionKind.REFUND, amount__gt=0, transaction__campaign=campaign
    )
    assert refunds.count() == len(amounts) + 2
    assert refunds.values("pledge_id").distinct().count() == len(amounts) + 2
    assert refunds.aggregate(t=Sum("amount"))["t"] == total
    for backer in backers:
        assert wallet_balance(backer, campaign.currency) == expected[backer.pk]
    assert ledger.balance(ledger.escrow_account(campaign)) == 0
    assert CampaignStatusChange.objects.filter(campaign=campaign, to_status=S.REFUNDED).count() == 1
    assert ledger_audit() == []

    before = books_snapshot()
    monkeypatch.undo()
    assert campaign_refund_chunk(campaign_id=campaign.pk) == 0
    close_due_campaigns()
    assert books_snapshot() == before
