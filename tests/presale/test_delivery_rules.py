"""Issue 15, delivery: a reward that ships states its month; the rule of lateness (past the promised month's
last day plus the platform's grace days, and not delivered); a campaign's counts in one query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import ApplicationError
from pledges.models import PledgeStatus
from presale.models import Delivery, DeliveryStatus
from presale.selectors import delivery_due, delivery_status, delivery_summary, is_late, late_from
from projects.models import CampaignStatus, RewardTier
from projects.services import tier_add
from tests.factories import CampaignFactory, PledgeFactory, TierFactory

pytestmark = pytest.mark.django_db

MARCH = dt.date(2027, 3, 1)


def shipping_tier(**kwargs):
    kwargs.setdefault("campaign", CampaignFactory(slug="presale", status=CampaignStatus.SUCCEEDED))
    return TierFactory(ships=True, estimated_delivery=MARCH, **kwargs)


def deliver(pledge, status, **fields):
    now = timezone.now()
    fields.setdefault("shipped_at", now if status == DeliveryStatus.SHIPPED else None)
    fields.setdefault("confirmed_at", now if status == DeliveryStatus.DELIVERED else None)
    return Delivery.objects.create(pledge=pledge, campaign=pledge.campaign, status=status, **fields)


def test_a_reward_that_ships_must_state_its_delivery_month_and_nothing_is_written_without_one(owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    with pytest.raises(ApplicationError) as refused:
        tier_add(campaign=campaign, user=owner, amount=500_000, title="Lamp", ships=True)
    assert refused.value.field == "estimated_delivery"
    assert not RewardTier.objects.filter(campaign=campaign).exists()


def test_the_delivery_month_is_kept_as_its_first_day(owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    tier = tier_add(
        campaign=campaign, user=owner, amount=500_000, title="Lamp", ships=True, estimated_delivery=dt.date(2027, 3, 17)
    )
    assert tier.estimated_delivery == MARCH


def test_the_database_refuses_a_shipping_tier_without_a_month():
    campaign = CampaignFactory(slug="presale")
    with pytest.raises(IntegrityError), transaction.atomic():
        RewardTier.objects.create(campaign=campaign, amount=500_000, title="Lamp", ships=True)


def test_a_reward_promised_for_march_is_due_on_march_31_and_late_after_the_grace():
    tier = shipping_tier()
    platform = tier.campaign.platform
    platform.delivery_grace_days = 30
    platform.save()
    pledge = PledgeFactory(campaign=tier.campaign, tier=tier)
    assert delivery_due(tier) == dt.date(2027, 3, 31)
    # 31 March + 30 days of grace = 30 April, the last day it may still arrive; late from 1 May.
    assert late_from(tier, platform) == dt.date(2027, 5, 1)
    assert not is_late(pledge, dt.date(2027, 4, 30))
    assert is_late(pledge, dt.date(2027, 5, 1))


def test_a_shipped_or_problem_reward_is_still_late_but_a_delivered_one_never_is():
    tier = shipping_tier()
    after = late_from(tier, tier.campaign.platform)
    shipped, problem, delivered = (PledgeFactory(campaign=tier.campaign, tier=tier) for _ in range(3))
    deliver(shipped, DeliveryStatus.SHIPPED, tracking_reference="RR123")
    deliver(problem, DeliveryStatus.PROBLEM, problem="Broken")
    deliver(delivered, DeliveryStatus.DELIVERED)
    assert is_late(shipped, after) and is_late(problem, after)
    assert not is_late(delivered, after + dt.timedelta(days=400))


def test_a_reward_that_does_not_ship_has_no_delivery_status_and_is_never_late():
    campaign = CampaignFactory(slug="presale", status=CampaignStatus.SUCCEEDED)
    digital = TierFactory(campaign=campaign, estimated_delivery=MARCH)
    pledge = PledgeFactory(campaign=campaign, tier=digital)
    free = PledgeFactory(campaign=campaign)
    assert delivery_status(pledge) is None and delivery_status(free) is None
    assert not is_late(pledge, dt.date(2030, 1, 1))


def test_a_shipped_reward_without_a_delivery_record_is_outstanding():
    tier = shipping_tier()
    pledge = PledgeFactory(campaign=tier.campaign, tier=tier)
    assert delivery_status(pledge) == DeliveryStatus.OUTSTANDING
    deliver(pledge, DeliveryStatus.SHIPPED)
    pledge.refresh_from_db()
    assert delivery_status(pledge) == DeliveryStatus.SHIPPED


def test_the_campaign_counts_paid_pledges_of_shipping_tiers_in_one_query(django_assert_num_queries):
    tier = shipping_tier()
    campaign = tier.campaign
    later = TierFactory(campaign=campaign, ships=True, estimated_delivery=dt.date(2027, 6, 1))
    pledges = [PledgeFactory(campaign=campaign, tier=tier) for _ in range(5)]
    deliver(pledges[0], DeliveryStatus.DELIVERED)
    deliver(pledges[1], DeliveryStatus.SHIPPED)
    deliver(pledges[2], DeliveryStatus.PROBLEM, problem="Wrong colour")
    PledgeFactory(campaign=campaign, tier=later)
    PledgeFactory(campaign=campaign, tier=tier, status=PledgeStatus.REFUNDED)  # owed nothing
    PledgeFactory(campaign=campaign)  # no reward
    with django_assert_num_queries(1):
        summary = delivery_summary(campaign, today=dt.date(2027, 4, 15))
    assert (summary.delivered, summary.shipped, summary.problem, summary.outstanding) == (1, 1, 1, 3)
    assert summary.total == 6
    # Mid-April: March's four undelivered rewards are past their promise, not yet past the grace.
    assert (summary.overdue, summary.late, summary.behind_promise) == (4, 0, True)
    assert summary.promised_by == dt.date(2027, 6, 30)
    late = delivery_summary(campaign, today=dt.date(2027, 5, 1))
    assert (late.overdue, late.late) == (4, 4)
