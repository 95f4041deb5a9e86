"""The public pages: language and direction, Jalali dates, money, sanitised stories, browsing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_front_page_lists_the_platforms(client):
    html = client.get(reverse("home")).content.decode()
    for name in ("Arts &amp; Games", "City Civic Portal"):
        assert name in html
    assert 'dir="ltr"' in html


def test_persian_platform_speaks_persian_right_to_left_with_persian_digits(client, arts_campaign):
    html = client.get(reverse("platform", args=["arts"])).content.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "هنر و بازی" in html  # the platform's name from the catalogue
    assert "حامیان" in html
    assert 'dir="ltr"' not in html


def test_english_platform_is_left_to_right(client, civic_campaign):
    html = client.get(reverse("platform", args=["civic"])).content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "Community garden" in html
    assert "Backers" in html


def test_a_visitor_who_chose_english_reads_a_persian_platform_in_english(client, arts_campaign):
    client.post(reverse("set_language"), {"language": "en", "next": "/arts/"})
    html = client.get(reverse("platform", args=["arts"])).content.decode()
    assert 'lang="en" dir="ltr"' in html
    assert "Arts &amp; Games" in html


def test_campaign_page_in_persian_shows_jalali_dates_toman_and_the_threshold_rule(client, arts_campaign):
    arts_campaign.deadline = dt.datetime(2030, 3, 26, 12, 0, tzinfo=dt.UTC)  # 6 Farvardin 1409 in Tehran
    arts_campaign.save()
    html = client.get(reverse("campaign", args=["arts", arts_campaign.pk])).content.decode()
    assert "۶ فروردین ۱۴۰۹" in html
    assert "۴۰٬۰۰۰٬۰۰۰ تومان" in html
    assert "۲۵٪" in html or "۲۵%" in html
    assert "progress-threshold" in html
    assert "همه حامیان" in html  # the funding rule in plain words


def test_campaign_page_in_english_shows_gregorian_dates_and_pounds(client, civic_campaign):
    civic_campaign.deadline = dt.datetime(2030, 6, 1, 11, 0, tzinfo=dt.UTC)
    civic_campaign.save()
    html = client.get(reverse("campaign", args=["civic", civic_campaign.pk])).content.decode()
    assert "1 Jun 2030" in html
    assert "£1,500.00" in html
    assert "everyone is refunded in full" in html
    assert "progress-threshold" not in html  # all or nothing: no threshold mark


def test_a_script_in_a_story_is_shown_as_text_never_run(client, arts_campaign):
    html = client.get(reverse("campaign", args=["arts", arts_campaign.pk])).content.decode()
    assert "<script>alert" not in html
    assert "<strong>bold</strong>" in html


def test_limited_tier_shows_what_is_left(client, arts_campaign, site_backer, pledge):
    tier = arts_campaign.tiers.get(title="Set visit")
    pledge(arts_campaign, site_backer, 5_000_000, tier=tier)
    html = client.get(reverse("campaign", args=["arts", arts_campaign.pk])).content.decode()
    assert "۱ از ۲ باقی مانده" in html


def test_drafts_are_not_public(client, site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    assert client.get(reverse("campaign", args=["civic", draft.pk])).status_code == 404


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"Community garden", "Library"}),
        ("?q=garden", {"Community garden"}),
        ("?state=failed", {"Old bridge"}),
        ("?area=riverside", {"Community garden"}),
        ("?funding_model=threshold", {"Library"}),
        ("?category=heritage", {"Library"}),
    ],
)
def test_browse_filters(client, civic_campaign, site_owner, query, expected):
    from platforms.models import Category

    heritage = Category.objects.get(platform__slug="civic", slug="heritage")
    CampaignFactory(slug="civic", owner=site_owner, title="Library", funding_model="threshold", category=heritage)
    CampaignFactory(slug="civic", owner=site_owner, title="Old bridge", status="refunded")
    html = client.get(reverse("platform-browse", args=["civic"]) + query).content.decode()
    shown = {t for t in ("Community garden", "Library", "Old bridge") if f">{t}</a>" in html}
    if query == "":
        expected = expected | {"Old bridge"}
    assert shown == expected


def test_browse_sorts_ending_soon_and_most_funded(client, site_owner, site_backer, pledge):
    now = timezone.now()
    late = CampaignFactory(slug="civic", owner=site_owner, title="Late", deadline=now + dt.timedelta(days=20))
    soon = CampaignFactory(slug="civic", owner=site_owner, title="Soon", deadline=now + dt.timedelta(days=2))
    pledge(late, site_backer, 900_000)
    html = client.get("/browse/?platform=civic&sort=ending").content.decode()
    assert html.index(">Soon<") < html.index(">Late<")
    html = client.get("/browse/?platform=civic&sort=funded").content.decode()
    assert html.index(">Late<") < html.index(">Soon<")
    assert soon.pk


def test_browse_is_paginated(client, site_owner):
    for i in range(15):
        CampaignFactory(slug="civic", owner=site_owner, title=f"Project {i:02d}")
    first = client.get("/civic/browse/").content.decode()
    second = client.get("/civic/browse/?page=2").content.decode()
    assert first.count('class="card"') == 12
    assert second.count('class="card"') == 3
    assert 'rel="next"' in first


def test_platform_home_totals(client, civic_campaign, site_backer, backer2, pledge):
    pledge(civic_campaign, site_backer, 10_000)
    pledge(civic_campaign, backer2, 5_000)
    pledge(civic_campaign, backer2, 2_500)
    html = client.get("/civic/").content.decode()
    assert "£175.00" in html
    assert "<dd>2</dd>" in html  # distinct backers


def test_platform_on_its_own_domain(client, civic_campaign):
    from platforms.models import Platform

    Platform.objects.filter(slug="civic").update(domain="garden.example.org")
    html = client.get("/", HTTP_HOST="garden.example.org").content.decode()
    assert "Community garden" in html


def test_ending_soon_lists_live_campaigns_soonest_first_then_closed_ones_most_recently_ended_first(client, site_owner):
    now = timezone.now()

    def make(title, days, status="live"):
        CampaignFactory(
            slug="civic",
            owner=site_owner,
            title=title,
            status=status,
            starts_at=now - dt.timedelta(days=60),
            deadline=now + dt.timedelta(days=days),
        )

    make("Live late", 20)
    make("Live soon", 2)
    make("Ended long ago", -30, status="refunded")
    make("Ended yesterday", -1, status="succeeded")
    html = client.get("/civic/browse/?sort=ending").content.decode()
    order = sorted(["Live late", "Live soon", "Ended long ago", "Ended yesterday"], key=lambda t: html.index(f">{t}<"))
    assert order == ["Live soon", "Live late", "Ended yesterday", "Ended long ago"]
    # With a state filter the sort still shows what the filter matches.
    html = client.get("/civic/browse/?sort=ending&state=funded").content.decode()
    assert ">Ended yesterday<" in html and ">Live soon<" not in html


def test_the_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()
