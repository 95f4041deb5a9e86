"""Impact indicators (at most five, from the platform's list or the owner's own; achieved values in the
final report; sums across campaigns per standard indicator) and upkeep (a plan required for an asset;
follow-ups requested 6 and 12 months after completion, each request and reminder sent once)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from impact.indicators import final_report_file, indicator_add
from impact.models import AssetStatus, FollowUp, Indicator, StandardIndicator
from impact.selectors import indicator_sums
from impact.upkeep import add_months, assets_of, follow_up_submit, follow_ups_request, upkeep_plan_set
from projects.models import CampaignStatus
from projects.services import campaign_submit

from ..factories import CampaignFactory
from .conftest import SPENDING, completed, first_payout_paid, funded

S = CampaignStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def trees(civic):
    return StandardIndicator.objects.create(
        platform=civic, category=civic.categories.first(), name="trees planted", name_fa="درخت کاشته‌شده", unit="trees"
    )


def test_a_draft_takes_at_most_five_indicators_from_the_list_or_its_own(civic, owner, trees):
    draft = CampaignFactory(slug="civic", owner=owner, status=S.DRAFT)
    first = indicator_add(campaign=draft, user=owner, standard=trees.pk, target=200)
    assert (first.name, first.unit, first.standard) == ("trees planted", "trees", trees)
    for n in range(4):
        indicator_add(campaign=draft, user=owner, name=f"children reached {n}", unit="children", target=1500)
    with pytest.raises(ApplicationError, match="at most five"):
        indicator_add(campaign=draft, user=owner, name="one more", unit="things", target=1)
    with pytest.raises(ApplicationError, match="name and a unit"):
        indicator_add(campaign=CampaignFactory(slug="civic", owner=owner, status=S.DRAFT), user=owner, target=5)
    assert Indicator.objects.filter(campaign=draft).count() == 5


def test_a_live_campaign_s_indicators_are_fixed(civic, owner):
    live = CampaignFactory(slug="civic", owner=owner)
    with pytest.raises(ApplicationError, match="draft"):
        indicator_add(campaign=live, user=owner, name="benches", unit="benches", target=3)


def test_the_report_gives_each_indicator_s_value_and_the_page_shows_target_vs_achieved(
    client, civic, owner, pledge, admin_user, trees, run_on_commit
):
    campaign = funded("civic", owner, pledge)
    indicator = Indicator.objects.create(
        campaign=campaign, standard=trees, name="trees planted", unit="trees", target=200
    )
    first_payout_paid(campaign, admin_user)
    with pytest.raises(ApplicationError, match="each indicator"):
        final_report_file(campaign=campaign, user=owner, text="Done.", spending=SPENDING, achieved={})
    report = final_report_file(
        campaign=campaign,
        user=owner,
        text="Done.",
        spending=SPENDING,
        achieved={indicator.pk: (180, "Photos of the site")},
    )
    from funding.services import report_approve

    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "200 trees" in page and "180 trees" in page and "Photos of the site" in page


def test_the_platform_sums_a_standard_indicator_across_completed_campaigns(
    client, civic, owner, pledge, admin_user, trees, run_on_commit
):
    for achieved in (1_000, 2_100):
        campaign = funded("civic", owner, pledge)
        Indicator.objects.create(
            campaign=campaign, standard=trees, name="trees planted", unit="trees", target=1, achieved=achieved
        )
        completed(campaign, owner, admin_user, run_on_commit)
    not_done = funded("civic", owner, pledge)  # not completed: not counted
    Indicator.objects.create(
        campaign=not_done, standard=trees, name="trees planted", unit="trees", target=1, achieved=99
    )
    [total] = indicator_sums(civic)
    assert (total.standard, total.campaigns, total.achieved) == (trees, 2, 3_100)
    page = client.get(reverse("platform", args=["civic"])).content.decode()
    assert "across 2 projects: 3,100 trees (trees planted)" in page


def test_a_campaign_that_creates_an_asset_needs_its_upkeep_plan_before_submission(civic, owner):
    category = civic.categories.first()
    category.creates_asset = True
    category.save()
    draft = CampaignFactory(slug="civic", owner=owner, status=S.DRAFT, category=category)
    with pytest.raises(ApplicationError, match="maintain"):
        campaign_submit(campaign=draft, user=owner)
    upkeep_plan_set(
        campaign=draft, user=owner, creates_asset=True, maintainer="Parks team", months=60, funding="Council budget"
    )
    assert campaign_submit(campaign=draft, user=owner).status == S.SUBMITTED


def test_follow_ups_are_requested_at_6_and_12_months_each_once_with_one_reminder(
    civic, owner, pledge, admin_user, run_on_commit
):
    campaign = funded("civic", owner, pledge)
    UpkeepPlanArgs = dict(creates_asset=True, maintainer="Parks team", months=60, funding="Council budget")
    from impact.models import UpkeepPlan

    UpkeepPlan.objects.create(campaign=campaign, **UpkeepPlanArgs)
    completed(campaign, owner, admin_user, run_on_commit)
    today = timezone.now().astimezone(civic.tz).date()
    six, twelve = FollowUp.objects.filter(campaign=campaign).order_by("months")
    assert (six.due_on, twelve.due_on) == (add_months(today, 6), add_months(today, 12))

    def at(day, hour=12):
        return dt.datetime.combine(day, dt.time(hour), tzinfo=civic.tz)

    assert follow_ups_request(now=at(six.due_on - dt.timedelta(days=1))) == 0
    assert follow_ups_request(now=at(six.due_on)) == 1
    assert follow_ups_request(now=at(six.due_on)) == 0  # once
    assert follow_ups_request(now=at(six.due_on + dt.timedelta(days=14))) == 1  # the reminder
    assert follow_ups_request(now=at(six.due_on + dt.timedelta(days=30))) == 0
    six.refresh_from_db()
    follow_up_submit(follow_up=six, user=owner, status=AssetStatus.NEEDS_REPAIR, text="One bench is broken.")
    with pytest.raises(ApplicationError, match="already"):
        follow_up_submit(follow_up=six, user=owner, status=AssetStatus.IN_USE, text="Fixed.")
    assert [(c, f.status) for c, f in assets_of(civic, status=AssetStatus.NEEDS_REPAIR)] == [
        (campaign, AssetStatus.NEEDS_REPAIR)
    ]
    assert assets_of(civic, status=AssetStatus.IN_USE) == []


def test_a_follow_up_is_not_posted_before_it_is_requested(civic, owner, pledge, admin_user, run_on_commit):
    campaign = funded("civic", owner, pledge)
    category = campaign.category
    category.creates_asset = True
    category.save()
    completed(campaign, owner, admin_user, run_on_commit)
    six = FollowUp.objects.get(campaign=campaign, months=6)
    with pytest.raises(ApplicationError, match="not due"):
        follow_up_submit(follow_up=six, user=owner, status=AssetStatus.IN_USE, text="Fine.")


def test_add_months_keeps_the_day_or_takes_the_month_s_last():
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 15), 12) == dt.date(2027, 1, 15)
