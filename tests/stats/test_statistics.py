"""Statistics by category, area and month (issue 14): totals kept as the money moves, in the same
transaction, equal to a recount of the ledger; the public page and the API show the same figures."""

import datetime as dt

import jdatetime
import pytest
from django.core.management import call_command
from django.utils import timezone

from funding.services import campaign_close
from pledges.models import PaymentSource
from pledges.services import pledge_cancel, pledge_create
from stats.models import Tally
from stats.periods import period_of
from stats.selectors import platform_figures, platform_statistics
from stats.services.tally import tallies_recount, tallies_stored

from ..factories import CampaignFactory, TierFactory, area, wallet_top_up
from ..queries import statements

pytestmark = pytest.mark.django_db


def _nonzero(cells):
    return {cell: sums for cell, sums in cells.items() if any(sums)}


@pytest.fixture
def history(charity, arts, civic, owner, make_backers, pledge, run_on_commit):
    """A mixed history on three platforms: card and wallet pledges, a backer pledging twice, a
    cancelled wallet pledge, a cancelled card pledge (refunded by card), a failed close refunded to
    wallets in a chunk, a funded close, and a campaign still live."""
    a, b, c, d = make_backers(4)
    tehran, fars = area("charity", "tehran"), area("charity", "fars")
    failing = CampaignFactory(slug="charity", owner=owner, goal=10_000_000, area=tehran)
    live = CampaignFactory(slug="charity", owner=owner, goal=10_000_000, area=fars, category=charity.categories.last())
    funded = CampaignFactory(slug="arts", owner=owner, goal=100_000, area=area("arts", "tehran"))
    civic_live = CampaignFactory(slug="civic", owner=owner, goal=100_000)
    wallet_top_up(d, currency="IRR", amount=500_000)
    with run_on_commit():
        pledge(failing, a, 100_000)
        pledge(failing, a, 50_000)  # the same backer twice: one backer
        pledge(failing, b, 200_000)
        pledge_create(campaign_id=failing.pk, backer=d, amount=70_000, source=PaymentSource.WALLET)
        kept = pledge_create(campaign_id=live.pk, backer=d, amount=30_000, source=PaymentSource.WALLET)
        gone = pledge_create(campaign_id=live.pk, backer=d, amount=20_000, source=PaymentSource.WALLET)
        pledge_cancel(pledge_id=gone.pk, backer=d)
        tier = TierFactory(campaign=funded, amount=50_000)  # arts takes reward tiers only
        pledge(funded, a, 50_000, tier=tier)
        pledge(funded, b, 50_000, tier=tier)
        card_gone = pledge(funded, c, 50_000, tier=tier)
        pledge_cancel(pledge_id=card_gone.pk, backer=c)  # refunded to the card by the task
        pledge(civic_live, c, 2_500)
        assert campaign_close(campaign_id=failing.pk, now=failing.deadline) == "refunding"
        assert campaign_close(campaign_id=funded.pk, now=funded.deadline) == "succeeded"
    return {"failing": failing, "live": live, "funded": funded, "civic": civic_live, "kept": kept}


def test_the_totals_kept_as_money_moves_equal_a_recount_of_the_ledger(history):
    cells, _ = tallies_recount()
    assert tallies_stored() == _nonzero(cells)
    assert len(tallies_stored()) >= 4


def test_statistics_count_money_kept_backers_and_closes_by_platform(history, charity, arts, civic):
    # charity: the failed campaign's 420,000 all went back to wallets; 30,000 stays on the live one
    # (the cancelled 20,000 came back), from one backer.
    assert (platform_figures(charity).raised, platform_figures(charity).backers) == (30_000, 1)
    assert (platform_figures(charity).funded, platform_figures(charity).failed) == (0, 1)
    # arts: 100,000 from two backers (the cancelled card pledge was refunded), one campaign funded.
    arts_figures = platform_figures(arts)
    assert (arts_figures.raised, arts_figures.backers, arts_figures.funded, arts_figures.success_rate) == (
        100_000,
        2,
        1,
        100,
    )
    assert (platform_figures(civic).raised, platform_figures(civic).success_rate) == (2_500, None)


def test_figures_by_category_and_area_add_up_to_the_platform_total(history, charity):
    s = platform_statistics(charity)
    assert sum(f.raised for f in s.by_category) == s.totals.raised == sum(f.raised for f in s.by_area)
    by_area = {f.key: f for f in s.by_area}
    assert (by_area["fars"].raised, by_area["fars"].backers) == (30_000, 1)
    assert (by_area["tehran"].raised, by_area["tehran"].failed, by_area["tehran"].success_rate) == (0, 1, 0)
    assert len(s.by_category) == charity.categories.count()  # every category, even an empty one


def test_a_persian_platform_counts_by_jalali_month(history, charity):
    today = timezone.now().astimezone(charity.tz).date()
    j = jdatetime.date.fromgregorian(date=today)
    assert period_of(charity, timezone.now()) == j.year * 100 + j.month
    assert {t.period for t in Tally.objects.filter(platform=charity)} == {j.year * 100 + j.month}


def test_a_month_is_the_platforms_own_local_month(civic):
    # 23:30 on 31 October in London is still October there, whatever UTC says.
    late = dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)
    assert period_of(civic, late) == 202610
    assert period_of(civic, late + dt.timedelta(hours=1)) == 202611


def test_the_rebuild_command_restores_the_tallies_from_the_ledger(history, capsys):
    before = tallies_stored()
    Tally.objects.all().delete()
    call_command("stats_rebuild")
    assert tallies_stored() == before
    assert "cells" in capsys.readouterr().out


def test_the_statistics_page_in_english_has_each_chart_with_its_table(client, history, civic):
    page = client.get(f"/{civic.slug}/statistics/?lang=en").content.decode()
    for table in ("by-category", "by-area", "by-month"):
        assert f'id="{table}"' in page
    assert "£25.00" in page
    assert "November 2026" in page or timezone.now().strftime("%B %Y") in page


def test_the_statistics_page_in_persian_shows_persian_digits_and_jalali_months(client, history, charity):
    page = client.get(f"/{charity.slug}/statistics/").content.decode()
    j = jdatetime.date.fromgregorian(date=timezone.now().astimezone(charity.tz).date())
    months = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
    assert f"{months[j.month - 1]} {j.year}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page
    assert "آمار" in page


def test_the_api_gives_the_same_figures(client, history, arts):
    data = client.get(f"/api/v1/platforms/{arts.slug}/statistics/").json()
    assert data["totals"]["raised"] == 100_000
    assert data["calendar"] == "jalali"
    assert sum(row["raised"] for row in data["by_category"]) == 100_000
    assert client.get("/api/v1/platforms/nope/statistics/").status_code == 404


def test_the_platform_page_links_its_statistics(client, history, arts):
    page = client.get(f"/{arts.slug}/").content.decode()
    assert f"/{arts.slug}/statistics/" in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_wallet_pledges_committed_in_one_statement_count_as_the_ledger_says(owner, make_backers):
    """Outside a transaction (as a request runs it) a wallet pledge to a campaign without a match pot is
    one statement once the campaign has its escrow account (the first pledge opens it in Python): the
    SQL function and the statistics' upserts together. The totals still equal a recount: a backer
    pledging twice is one backer."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b = make_backers(2)
    campaign = CampaignFactory(slug="charity", owner=owner, goal=10_000_000, area=area("charity", "tehran"))
    for backer in (a, b):
        wallet_top_up(backer, currency="IRR", amount=500_000)
    pledge_create(campaign_id=campaign.pk, backer=b, amount=20_000, source=PaymentSource.WALLET)
    with CaptureQueriesContext(connection) as seen:
        pledge_create(campaign_id=campaign.pk, backer=a, amount=70_000, source=PaymentSource.WALLET)
    money = [sql for sql in statements(seen.captured_queries) if "ledger_" in sql or "stats_" in sql]
    assert len(money) == 1 and "pledge_wallet_commit" in money[0] and "stats_tally" in money[0]
    pledge_create(campaign_id=campaign.pk, backer=a, amount=30_000, source=PaymentSource.WALLET)
    cells, _ = tallies_recount()
    assert tallies_stored() == _nonzero(cells)
    cell = Tally.objects.get(platform__slug="charity", area__slug="tehran")
    assert (cell.raised, cell.backers) == (120_000, 2)
