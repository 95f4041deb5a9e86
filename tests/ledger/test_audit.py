"""`audit_ledger` passes on healthy books and fails loudly on corrupted ones."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from funding.audit import ledger_audit
from funding.services import campaign_close, report_approve
from ledger.models import Entry, Transaction
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm, release_due_payouts
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_cancel, pledge_create
from projects.reports import report_submit

from ..factories import CampaignFactory, StaffFactory, TierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(arts, charity, owner, make_backers, pledge, run_on_commit):
    """A mix of flows: an arts campaign paid out in full, a failed charity campaign refunded to wallets
    whose money backs another campaign, a cancelled card pledge and a live campaign."""
    a, b, c = make_backers(3)
    winner = CampaignFactory(slug="arts", owner=owner, goal=100_000)
    tier = TierFactory(campaign=winner, amount=15_000)
    pledge(winner, a, 60_001, tier=tier)
    pledge(winner, b, 40_000, tier=tier)
    cancelled = pledge(winner, c, 15_000, tier=tier)
    with run_on_commit():
        pledge_cancel(pledge_id=cancelled.pk, backer=c)

    loser = CampaignFactory(slug="charity", owner=owner, goal=1_000_000)
    pledge(loser, a, 300_000)
    pledge(loser, c, 200_000)
    live = CampaignFactory(slug="charity", owner=owner, goal=1_000_000)

    with run_on_commit():
        campaign_close(campaign_id=winner.pk, now=winner.deadline)
        campaign_close(campaign_id=loser.pk, now=loser.deadline)
    pledge_create(campaign_id=live.pk, backer=a, amount=250_000, source="wallet")

    release_due_payouts(now=winner.deadline + dt.timedelta(days=40))
    payout_confirm(payout_id=Payout.objects.get(campaign=winner, kind=PayoutKind.FIRST).pk, reference="B-1")
    report = report_submit(campaign=winner, user=owner, text="Done.", spending=[])
    with run_on_commit():
        report_approve(report=report, admin=StaffFactory())
    payout_confirm(payout_id=Payout.objects.get(campaign=winner, kind=PayoutKind.HELD).pk, reference="B-2")
    return {"winner": winner, "loser": loser, "live": live}


def test_audit_passes_on_a_healthy_book(book, capsys):
    assert ledger_audit() == []
    call_command("audit_ledger")
    out = capsys.readouterr().out
    assert "ledger OK" in out
    assert f"{Transaction.objects.count()} transactions" in out


def _fails(*expected):
    problems = ledger_audit()
    for text in expected:
        assert any(text in p for p in problems), problems
    with pytest.raises(CommandError):
        call_command("audit_ledger")
    return problems


def test_audit_fails_on_an_unbalanced_transaction(book):
    entry = Entry.objects.filter(transaction__kind="pledge_paid", amount__gt=0).first()
    Entry.objects.filter(pk=entry.pk).update(amount=entry.amount + 1)
    _fails(f"transaction {entry.transaction.key} does not balance")


def test_audit_fails_on_a_pledge_marked_refunded_without_a_ledger_refund(book):
    paid = Pledge.objects.filter(campaign=book["live"], status=PledgeStatus.PAID).get()
    Pledge.objects.filter(pk=paid.pk).update(status=PledgeStatus.REFUNDED)
    _fails("the ledger refunded 0 but refunded pledges total 250000")


def test_audit_fails_when_a_fee_entry_is_changed(book):
    fee = Transaction.objects.get(key=f"campaign-{book['winner'].pk}-fee")
    for entry in fee.entries.all():  # still balanced, but not the fee the campaign took
        Entry.objects.filter(pk=entry.pk).update(amount=entry.amount + (1 if entry.amount > 0 else -1))
    _fails("fee booked 5001 ≠ fee 5000")


def test_audit_fails_on_a_refund_recorded_twice(book):
    refund = Transaction.objects.filter(kind="refund", entries__pledge__isnull=False).first()
    copy = Transaction.objects.create(kind="refund", key="copied-refund", campaign=refund.campaign)
    Entry.objects.bulk_create(
        [Entry(transaction=copy, account=e.account, amount=e.amount, pledge=e.pledge) for e in refund.entries.all()]
    )
    _fails("refunded 2 times")


def test_audit_fails_on_a_negative_wallet(book, backer):
    from ledger import services as ledger
    from ledger.models import AccountKind
    from platforms.models import Platform

    with transaction.atomic():
        ledger.transaction_record(
            kind="wallet_top_up",
            key="bad-top-up",
            legs=[
                ledger.Leg(ledger.wallet_account(backer, "IRR"), -1),
                ledger.Leg(ledger.platform_account(AccountKind.CARD_NETWORK, Platform.objects.get(slug="charity")), 1),
            ],
        )
    _fails("wallet of backer is negative (-1)")


def test_audit_reports_a_campaign_left_refunding_with_nothing_to_refund(
    charity, owner, make_backers, pledge, monkeypatch, settings
):
    from funding import tasks
    from funding.services import campaign_refund_chunk

    campaign = CampaignFactory(slug="charity", owner=owner, goal=10_000_000)
    for backer in make_backers(2):
        pledge(campaign, backer, 100_000)
    with monkeypatch.context() as m:  # the refund chain's worker is killed after its last chunk
        m.setattr(tasks.refund_campaign, "delay", lambda *args: None)
        campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    campaign.refresh_from_db()
    assert campaign_refund_chunk(campaign_id=campaign.pk) == 2
    assert ledger_audit() == []  # the chain may still be finishing
    # The close ran at the deadline (a week ahead in this test); the refunds just now.
    later = max(timezone.now(), campaign.closed_at) + dt.timedelta(seconds=3 * settings.CLOSE_INTERVAL_SECONDS + 1)
    assert ledger_audit(now=later - dt.timedelta(seconds=2)) == []
    assert ledger_audit(now=later) == [
        f"campaign {campaign.pk} ({campaign.title}): refunding, but no pledge is left to refund: it should be "
        "refunded (is the close job running?)"
    ]


def test_audit_reports_a_campaign_still_live_a_few_close_intervals_after_its_deadline(book, settings):
    live = book["live"]
    assert ledger_audit(now=live.deadline + dt.timedelta(seconds=3 * settings.CLOSE_INTERVAL_SECONDS)) == []
    late = live.deadline + dt.timedelta(seconds=3 * settings.CLOSE_INTERVAL_SECONDS + 1)
    assert ledger_audit(now=late) == [
        f"campaign {live.pk} ({live.title}): still live 0:01:31 after its deadline (is the close job running?)"
    ]


def test_the_audit_reports_the_problems_a_feature_adds_and_fails(book):
    """A feature's own books (a match pot, a claim) join the audit through funding.hooks.audit."""
    from funding import hooks

    def pot_check(*, now):
        return ["pot 1: paid in 100 ≠ matched 60 + returned 0 + available 30"]

    hooks.audit.register(pot_check)
    try:
        assert ledger_audit() == ["pot 1: paid in 100 ≠ matched 60 + returned 0 + available 30"]
        with pytest.raises(CommandError):
            call_command("audit_ledger")
    finally:
        hooks.audit.unregister(pot_check)
    assert ledger_audit() == []
