"""The 90/10 escrow: the first payout on the 15th working day, the held part after the final report."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Sum

from core.errors import ApplicationError, InvalidTransition, PermissionDenied
from funding.services import campaign_close, report_approve
from ledger.models import AccountKind, Entry
from ledger.services import balance, escrow_account, held_account
from payouts.models import Payout, PayoutKind, PayoutStatus
from payouts.services import payout_confirm, release_due_payouts
from projects.models import Campaign, CampaignStatus, ReportStatus
from projects.reports import report_reject, report_submit

from ..factories import CampaignFactory, TierFactory

S = CampaignStatus
pytestmark = pytest.mark.django_db
UTC = dt.UTC
# Closed 21:00 UTC Monday 5 Oct 2026 = 00:30 Tuesday 6 Oct in Tehran; 15th working day: Sat 24 Oct.
DEADLINE = dt.datetime(2026, 10, 5, 21, 0, tzinfo=UTC)
DUE = dt.date(2026, 10, 24)


def _tehran(day: dt.date, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=dt.timezone(dt.timedelta(hours=3.5)))


@pytest.fixture
def succeeded(arts, owner, make_backers, pledge):
    """An arts campaign that raised 1,000,003 toman and closed at its deadline."""
    campaign = CampaignFactory(
        slug="arts", owner=owner, goal=2_000_000, starts_at=DEADLINE - dt.timedelta(days=30), deadline=DEADLINE
    )
    tier = TierFactory(campaign=campaign, amount=15_000)
    a, b = make_backers(2)
    before = DEADLINE - dt.timedelta(hours=1)
    pledge(campaign, a, 600_000, tier=tier, now=before)
    pledge(campaign, b, 400_003, tier=tier, now=before)
    assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == S.SUCCEEDED
    campaign.refresh_from_db()
    return campaign


def _payout(campaign, kind):
    return Payout.objects.get(campaign=campaign, kind=kind)


def test_first_payout_is_due_on_the_fifteenth_working_day_in_tehran(succeeded):
    assert succeeded.first_payout_due == DUE
    first = _payout(succeeded, PayoutKind.FIRST)
    assert (first.amount, first.due_on) == (855_002, DUE)


def test_first_payout_is_not_sent_before_its_day(succeeded):
    day_before_late = _tehran(DUE - dt.timedelta(days=1), 23, 59)
    assert release_due_payouts(now=day_before_late) == 0
    assert _payout(succeeded, PayoutKind.FIRST).status == PayoutStatus.SCHEDULED


def test_first_payout_is_sent_on_its_day_in_the_platform_time_zone(succeeded):
    # 20:31 UTC on Friday 23 Oct is already 00:01 on Saturday 24 Oct in Tehran.
    assert release_due_payouts(now=dt.datetime(2026, 10, 23, 20, 31, tzinfo=UTC)) == 1
    first = _payout(succeeded, PayoutKind.FIRST)
    assert first.status == PayoutStatus.PROCESSING
    assert _payout(succeeded, PayoutKind.HELD).status == PayoutStatus.WAITING
    assert release_due_payouts(now=dt.datetime(2026, 10, 30, tzinfo=UTC)) == 0  # not sent twice


def test_a_manual_bank_transfer_waits_for_its_reference(succeeded, admin_user):
    release_due_payouts(now=_tehran(DUE, 9, 0))
    first = _payout(succeeded, PayoutKind.FIRST)
    succeeded.refresh_from_db()
    assert succeeded.status == S.SUCCEEDED
    assert balance(escrow_account(succeeded)) == 855_002
    with pytest.raises(ApplicationError) as err:
        payout_confirm(payout_id=first.pk, reference="  ")
    assert err.value.field == "reference"
    payout_confirm(payout_id=first.pk, reference="BANK-123", actor=admin_user)
    first.refresh_from_db()
    assert (first.status, first.reference, first.recorded_by) == (PayoutStatus.PAID, "BANK-123", admin_user)
    succeeded.refresh_from_db()
    assert succeeded.status == S.PAID
    assert balance(escrow_account(succeeded)) == 0
    # Confirming again changes nothing.
    entries = Entry.objects.count()
    payout_confirm(payout_id=first.pk, reference="BANK-123")
    assert Entry.objects.count() == entries


def test_a_payout_that_was_not_sent_cannot_be_confirmed(succeeded):
    with pytest.raises(ApplicationError) as err:
        payout_confirm(payout_id=_payout(succeeded, PayoutKind.FIRST).pk, reference="EARLY")
    assert err.value.code == "payout_not_due"
    with pytest.raises(ApplicationError):
        payout_confirm(payout_id=_payout(succeeded, PayoutKind.HELD).pk, reference="EARLY")


def test_held_part_is_released_only_after_the_final_report_is_approved(succeeded, owner, admin_user, run_on_commit):
    release_due_payouts(now=_tehran(DUE, 9, 0))
    payout_confirm(payout_id=_payout(succeeded, PayoutKind.FIRST).pk, reference="BANK-1")

    spending = [{"item": "Stage", "amount": 600_000}, {"item": "Actors", "amount": 255_002}]
    report = report_submit(campaign=succeeded, user=owner, text="The play ran for a week.", spending=spending)
    assert report.spending_total == 855_002
    with pytest.raises(ApplicationError) as err:
        report_reject(report=report, admin=admin_user, reason=" ")
    assert err.value.field == "reason"
    report_reject(report=report, admin=admin_user, reason="Receipts missing")
    report.refresh_from_db()
    succeeded.refresh_from_db()
    assert (report.status, report.reason, succeeded.status) == (
        ReportStatus.REJECTED,
        "Receipts missing",
        S.REPORT_REJECTED,
    )
    assert release_due_payouts(now=_tehran(DUE + dt.timedelta(days=60), 9, 0)) == 0
    assert _payout(succeeded, PayoutKind.HELD).status == PayoutStatus.WAITING

    revised = report_submit(campaign=succeeded, user=owner, text="With receipts.", spending=spending)
    with pytest.raises(PermissionDenied):
        report_approve(report=revised, admin=owner)
    with run_on_commit():  # approval queues the payout run, which sends the held part
        report_approve(report=revised, admin=admin_user)
    held = _payout(succeeded, PayoutKind.HELD)
    assert (held.amount, held.status) == (95_001, PayoutStatus.PROCESSING)
    assert balance(held_account(succeeded)) == 95_001
    payout_confirm(payout_id=held.pk, reference="BANK-2", actor=admin_user)

    succeeded.refresh_from_db()
    assert succeeded.status == S.COMPLETED
    assert balance(held_account(succeeded)) == 0
    paid = Payout.objects.filter(campaign=succeeded, status=PayoutStatus.PAID).aggregate(t=Sum("amount"))["t"]
    assert paid == succeeded.collected - succeeded.fee_amount == 950_003
    out = Entry.objects.filter(account__kind=AccountKind.PAYOUTS, account__campaign=succeeded)
    assert out.aggregate(t=Sum("amount"))["t"] == 950_003
    fees = Entry.objects.filter(account__kind=AccountKind.FEES, transaction__campaign=succeeded)
    assert fees.aggregate(t=Sum("amount"))["t"] == 50_000


def test_a_reviewed_report_cannot_be_reviewed_again(succeeded, owner, admin_user):
    release_due_payouts(now=_tehran(DUE, 9, 0))
    payout_confirm(payout_id=_payout(succeeded, PayoutKind.FIRST).pk, reference="BANK-1")
    report = report_submit(campaign=succeeded, user=owner, text="Done.", spending=[])
    report_reject(report=report, admin=admin_user, reason="No receipts")
    with pytest.raises(ApplicationError) as err:
        report_approve(report=report, admin=admin_user)
    assert err.value.code == "already_reviewed"


def test_a_final_report_is_filed_only_after_the_first_payout(succeeded, owner):
    with pytest.raises(InvalidTransition):
        report_submit(campaign=succeeded, user=owner, text="Too early", spending=[])


def test_only_the_owner_files_the_final_report(succeeded, backer):
    release_due_payouts(now=_tehran(DUE, 9, 0))
    payout_confirm(payout_id=_payout(succeeded, PayoutKind.FIRST).pk, reference="BANK-1")
    with pytest.raises(PermissionDenied):
        report_submit(campaign=succeeded, user=backer, text="Not mine", spending=[])


@pytest.mark.parametrize(
    "spending",
    [
        [{"item": "", "amount": 1}],
        [{"item": "Stage", "amount": -1}],
        [{"item": "Stage", "amount": 1.5}],
        [{"item": "Stage"}],
        "Stage: 100",
    ],
)
def test_spending_lines_need_an_item_and_a_whole_amount(succeeded, owner, spending):
    with pytest.raises(ApplicationError) as err:
        report_submit(campaign=succeeded, user=owner, text="Done", spending=spending)
    assert err.value.field == "spending"


def test_the_civic_portal_counts_uk_working_days(civic, owner, backer, pledge):
    # Closed 17:00 UTC Friday 11 Dec 2026 in London: 15th working day is Wednesday 6 Jan 2027.
    deadline = dt.datetime(2026, 12, 11, 17, 0, tzinfo=UTC)
    campaign = CampaignFactory(
        slug="civic",
        owner=owner,
        goal=100_000,
        funding_model="all_or_nothing",
        starts_at=deadline - dt.timedelta(days=10),
        deadline=deadline,
    )
    pledge(campaign, backer, 100_000, now=deadline - dt.timedelta(minutes=1))
    campaign_close(campaign_id=campaign.pk, now=deadline)
    assert _payout(campaign, PayoutKind.FIRST).due_on == dt.date(2027, 1, 6)
    assert release_due_payouts(now=dt.datetime(2027, 1, 5, 23, 59, tzinfo=UTC)) == 0
    assert release_due_payouts(now=dt.datetime(2027, 1, 6, 0, 0, tzinfo=UTC)) == 1


def test_a_platform_that_holds_nothing_back_pays_everything_after_the_fee_first(
    arts, owner, backer, pledge, admin_user, run_on_commit
):
    arts.first_payout_percent = 100
    arts.save()
    campaign = CampaignFactory(
        slug="arts", owner=owner, goal=100_000, starts_at=DEADLINE - dt.timedelta(days=30), deadline=DEADLINE
    )
    pledge(campaign, backer, 100_019, tier=TierFactory(campaign=campaign), now=DEADLINE - dt.timedelta(hours=1))
    campaign_close(campaign_id=campaign.pk, now=DEADLINE)
    campaign.refresh_from_db()
    assert (campaign.fee_amount, campaign.first_payout_amount, campaign.held_amount) == (5_000, 95_019, 0)
    release_due_payouts(now=_tehran(DUE, 9, 0))
    payout_confirm(payout_id=_payout(campaign, PayoutKind.FIRST).pk, reference="BANK-1")
    report = report_submit(campaign=campaign, user=owner, text="Done.", spending=[])
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    held = _payout(campaign, PayoutKind.HELD)
    assert (held.amount, held.status) == (0, PayoutStatus.PAID)
    campaign.refresh_from_db()
    assert campaign.status == S.COMPLETED
    from funding.audit import ledger_audit

    assert ledger_audit() == []


@pytest.mark.parametrize(
    "close_runs_after",
    [dt.timedelta(seconds=30), dt.timedelta(days=3)],
    ids=["30-seconds-later", "worker-down-for-days"],
)
def test_the_first_payout_is_counted_from_the_deadlines_day_not_the_day_the_close_ran(
    arts, owner, backer, pledge, close_runs_after
):
    # Deadline Wednesday 6 Jan 2027, 23:59:50 in Tehran; the close job runs on the 7th or later.
    # 15 Iranian working days from Thursday 7 Jan (Fridays skipped): Monday 25 Jan 2027.
    deadline = dt.datetime(2027, 1, 6, 23, 59, 50, tzinfo=ZoneInfo("Asia/Tehran"))
    campaign = CampaignFactory(
        slug="arts", owner=owner, goal=100_000, starts_at=deadline - dt.timedelta(days=30), deadline=deadline
    )
    tier = TierFactory(campaign=campaign, amount=50_000)
    pledge(campaign, backer, 50_000, tier=tier, now=deadline - dt.timedelta(hours=1))
    assert campaign_close(campaign_id=campaign.pk, now=deadline + close_runs_after) == S.SUCCEEDED
    campaign.refresh_from_db()
    assert campaign.closed_at.astimezone(ZoneInfo("Asia/Tehran")).date() > deadline.date()
    assert campaign.first_payout_due == dt.date(2027, 1, 25)
    assert _payout(campaign, PayoutKind.FIRST).due_on == dt.date(2027, 1, 25)


def test_the_migration_recounts_the_due_date_of_a_first_payout_not_yet_sent_from_the_deadline(
    arts, owner, backer, pledge
):
    """Data from before the fix: due dates counted from the close's day are recounted from the
    deadline's, unless the payout has been sent."""
    from importlib import import_module

    from django.apps import apps

    recount = import_module("projects.migrations.0007_first_payout_due_from_deadline").first_payout_due_recount
    deadline = dt.datetime(2027, 1, 6, 23, 59, 50, tzinfo=ZoneInfo("Asia/Tehran"))
    waiting, sent = (
        CampaignFactory(
            slug="arts", owner=owner, goal=100_000, deadline=deadline, starts_at=deadline - dt.timedelta(days=30)
        )
        for _ in range(2)
    )
    for campaign in (waiting, sent):
        pledge(
            campaign,
            backer,
            50_000,
            tier=TierFactory(campaign=campaign, amount=50_000),
            now=deadline - dt.timedelta(hours=1),
        )
        campaign_close(campaign_id=campaign.pk, now=deadline + dt.timedelta(seconds=30))
    # As the close stored them before the fix: from Thursday 7 Jan, the day the close ran.
    Campaign.objects.filter(pk__in=[waiting.pk, sent.pk]).update(first_payout_due=dt.date(2027, 1, 26))
    Payout.objects.filter(campaign__in=[waiting, sent], kind=PayoutKind.FIRST).update(due_on=dt.date(2027, 1, 26))
    Payout.objects.filter(campaign=sent, kind=PayoutKind.FIRST).update(status=PayoutStatus.PROCESSING)

    recount(apps, None)

    waiting.refresh_from_db()
    sent.refresh_from_db()
    assert (waiting.first_payout_due, _payout(waiting, PayoutKind.FIRST).due_on) == (dt.date(2027, 1, 25),) * 2
    assert (sent.first_payout_due, _payout(sent, PayoutKind.FIRST).due_on) == (dt.date(2027, 1, 26),) * 2
