"""A campaign taken through its whole life, for the accountability tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from funding.services import campaign_close, report_approve
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm, release_due_payouts
from projects.models import CampaignStatus
from projects.reports import report_submit

from ..factories import CampaignFactory, UserFactory

S = CampaignStatus
SPENDING = [{"item": "Saplings", "amount": 500_000}, {"item": "Labour", "amount": 300_000}]


def funded(platform_slug: str, owner, pledge, *, goal: int = 1_000_000, amount: int = 1_000_000, **fields):
    """A campaign that raised `amount` and closed (funded) a moment ago."""
    start = timezone.now() - dt.timedelta(days=10)
    campaign = CampaignFactory(
        slug=platform_slug, owner=owner, goal=goal, starts_at=start, deadline=start + dt.timedelta(days=5), **fields
    )
    backer = UserFactory()
    pledge(campaign, backer, amount, now=start + dt.timedelta(days=1))
    assert campaign_close(campaign_id=campaign.pk, now=start + dt.timedelta(days=5)) == S.SUCCEEDED
    campaign.refresh_from_db()
    return campaign


def first_payout_paid(campaign, admin=None):
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    Payout.objects.filter(pk=first.pk).update(due_on=dt.date(2000, 1, 1))
    release_due_payouts()
    payout_confirm(payout_id=first.pk, reference="BANK-1", actor=admin)
    campaign.refresh_from_db()
    return campaign


def completed(campaign, owner, admin, run_on_commit, **report):
    first_payout_paid(campaign, admin)
    filed = report_submit(
        campaign=campaign, user=owner, text=report.pop("text", "Trees planted."), spending=SPENDING, **report
    )
    with run_on_commit():
        report_approve(report=filed, admin=admin)
    held = Payout.objects.get(campaign=campaign, kind=PayoutKind.HELD)
    payout_confirm(payout_id=held.pk, reference="BANK-2", actor=admin)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def civic_funded(civic, owner, pledge):
    return funded("civic", owner, pledge)
