"""The public statistics page in a real browser, in Persian and in English: charts with their tables,
Jalali months and Persian digits on a Persian platform, accessible (axe), linked to its open data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from funding.services import campaign_close
from stats.services.open_data import open_data_publish
from tests.factories import CampaignFactory, UserFactory, area

from .conftest import JALALI, axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CAMPAIGNS = {
    "charity": [  # (category slug or None for the first, area, goal, pledges, months ago)
        ("کتاب برای مدرسه‌ای روستایی", "tehran", 500_000, [200_000, 150_000, 250_000], 2),
        ("لباس زمستانی", "kurdistan", 5_000_000, [300_000, 100_000], 1),
        ("آب آشامیدنی روستا", "sistan-baluchestan", 400_000, [250_000, 150_000, 90_000], 0),
    ],
    "civic": [
        ("Community garden", "old-town", 50_000, [2_500, 5_000, 10_000], 2),
        ("Benches for the park", "riverside", 200_000, [20_000, 7_500], 1),
        ("Library mural", "hillside", 30_000, [15_000, 20_000], 0),
    ],
}


def _history(slug: str, pledge) -> None:
    """Campaigns of each category in turn, pledged over the last three months; the older ones closed
    (funded or not)."""
    from platforms.models import Platform

    platform = Platform.objects.get(slug=slug)
    categories = list(platform.categories.all())
    owner = UserFactory()
    now = timezone.now()
    for i, (title, where, goal, amounts, months_ago) in enumerate(CAMPAIGNS[slug]):
        start = now - dt.timedelta(days=30 * months_ago + 20)
        campaign = CampaignFactory(
            slug=slug, owner=owner, title=title, goal=goal, area=area(slug, where),
            category=categories[i % len(categories)], starts_at=start, deadline=start + dt.timedelta(days=15)
            if months_ago else now + dt.timedelta(days=10),
        )  # fmt: skip
        for j, amount in enumerate(amounts):
            pledge(campaign, UserFactory(), amount, now=start + dt.timedelta(days=1 + j))
        if months_ago:
            campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    open_data_publish(platform)


@pytest.mark.parametrize("lang,slug", [("fa", "charity"), ("en", "civic")])
def test_the_statistics_page_shows_charts_with_their_tables(page, site, lang, slug, pledge, run_on_commit):
    with run_on_commit():
        _history(slug, pledge)
    page.goto(f"{site.url}/{slug}/?lang={lang}")
    page.get_by_role("link", name="آمار" if lang == "fa" else "Statistics", exact=True).click()
    page.wait_for_url(f"**/{slug}/statistics/**")
    for table in ("#by-category", "#by-area", "#by-month"):
        assert page.locator(f"{table} tbody tr").count() >= 1
    assert page.locator(".bars .bar").count() >= 3
    months = page.inner_text("#by-month")
    if lang == "fa":
        assert is_rtl(page)
        assert JALALI.search(months), months
        assert not any(d in page.inner_text("main dl.totals") for d in "0123456789")
    else:
        assert timezone.now().strftime("%B %Y") in months
    axe_check(page, f"statistics {lang}")
    shot(page, f"statistics-{lang}")
    page.get_by_role("link", name="داده‌های باز" if lang == "fa" else "Open data", exact=False).first.click()
    page.wait_for_url(f"**/{slug}/open-data/**")
    assert page.locator("a[rel=license]").count() == 1
    axe_check(page, f"open data {lang}")
