"""Every decision about a campaign or its final report is in the public decision log, dated, by role,
with the public reason and never the staff's private note (issue 14, "Public decision log")."""

import datetime as dt

import pytest
from django.utils import timezone

from decisions.kinds import kind_label
from decisions.models import ActorRole, Decision
from decisions.selectors import decisions_of
from funding.services import campaign_close, report_approve
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm
from projects.models import CampaignStatus
from projects.reports import report_reject, report_submit
from projects.services import (
    campaign_approve,
    campaign_create,
    campaign_send_back,
    campaign_submit,
)

from ..factories import CampaignFactory, UserFactory
from .conftest import SPENDING, first_payout_paid, funded

S = CampaignStatus
R = ActorRole
pytestmark = pytest.mark.django_db


def _log(campaign):
    return [(d.kind, d.actor_role, d.reason) for d in reversed(decisions_of(campaign=campaign))]


def test_a_funded_campaign_s_whole_life_is_logged_by_role_with_public_reasons_only(
    civic, owner, admin_user, pledge, run_on_commit
):
    draft = campaign_create(
        owner=owner,
        platform=civic,
        category=civic.categories.first(),
        area=civic.areas.first(),
        title="Pocket park",
        story="A park.",
        goal=100_000,
        deadline=timezone.now() + dt.timedelta(days=20),
        funding_model=civic.funding_models[0],
    )
    campaign_submit(campaign=draft, user=owner)
    campaign_send_back(campaign=draft, admin=admin_user, reason="Add a map.", private_note="Call me, Sam")
    campaign_submit(campaign=draft, user=owner)
    campaign_approve(campaign=draft, admin=admin_user)
    pledge(draft, UserFactory(), 100_000)
    assert campaign_close(campaign_id=draft.pk, now=draft.deadline) == S.SUCCEEDED
    draft.refresh_from_db()
    first_payout_paid(draft, admin_user)
    report = report_submit(campaign=draft, user=owner, text="Done.", spending=SPENDING)
    report_reject(report=report, admin=admin_user, reason="Receipts missing.", private_note="Between us: hurry")
    again = report_submit(campaign=draft, user=owner, text="Done, with receipts.", spending=SPENDING)
    with run_on_commit():
        report_approve(report=again, admin=admin_user)
    held = Payout.objects.get(campaign=draft, kind=PayoutKind.HELD)
    payout_confirm(payout_id=held.pk, reference="BANK-SECRET-2", actor=admin_user)

    assert _log(draft) == [
        ("campaign.submitted", R.OWNER, ""),
        ("campaign.sent_back", R.PLATFORM_REVIEWER, "Add a map."),
        ("campaign.submitted", R.OWNER, ""),
        ("campaign.approved", R.PLATFORM_REVIEWER, ""),
        ("campaign.went_live", R.SYSTEM, ""),
        ("campaign.succeeded", R.SYSTEM, ""),
        ("campaign.first_payout_paid", R.FINANCE, ""),
        ("report.submitted", R.OWNER, ""),
        ("report.rejected", R.PLATFORM_REVIEWER, "Receipts missing."),
        ("report.submitted", R.OWNER, ""),
        ("report.approved", R.PLATFORM_REVIEWER, ""),
        ("payout.held_released", R.FINANCE, ""),
    ]
    everything = " ".join(Decision.objects.values_list("reason", flat=True))
    assert "Sam" not in everything and "hurry" not in everything and "BANK" not in everything
    draft.refresh_from_db()
    assert draft.review_private_note == "Call me, Sam"  # kept for the owner, not the public
    assert kind_label("report.rejected") == "Final report rejected"


def test_a_failed_campaign_logs_its_failure_and_when_its_refunds_were_done(charity, owner, pledge, run_on_commit):
    start = timezone.now() - dt.timedelta(days=10)
    campaign = CampaignFactory(slug="charity", owner=owner, starts_at=start, deadline=start + dt.timedelta(days=5))
    pledge(campaign, UserFactory(), 10_000, now=start + dt.timedelta(days=1))
    with run_on_commit():
        campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    campaign.refresh_from_db()
    assert campaign.status == S.REFUNDED
    assert _log(campaign) == [
        ("campaign.failed", R.SYSTEM, ""),
        ("campaign.refunds_started", R.SYSTEM, ""),
        ("campaign.refunded", R.SYSTEM, ""),
    ]


def test_a_payout_confirmed_by_the_provider_is_logged_as_the_system_s(civic, owner, pledge):
    campaign = funded("civic", owner, pledge)
    first_payout_paid(campaign, admin=None)
    assert _log(campaign)[-1] == ("campaign.first_payout_paid", R.SYSTEM, "")


def test_a_decision_rolled_back_with_its_move_is_not_in_the_log(civic, owner, pledge, admin_user):
    campaign = funded("civic", owner, pledge)
    first_payout_paid(campaign, admin_user)
    before = Decision.objects.count()
    with pytest.raises(Exception):  # noqa: B017,PT011 (any refusal)
        report_submit(campaign=campaign, user=owner, text="Done.", spending=[{"item": "", "amount": 1}])
    assert Decision.objects.count() == before
