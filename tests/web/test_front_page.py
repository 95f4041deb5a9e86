"""The front page (every platform) and a platform's page: featured and ending-soon campaigns as cards,
campaigns a partner matches, open calls, what was funded lately, totals per platform; succeeded
campaigns when nothing is live; the same number of queries whatever the number of campaigns."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Campaign
from projects.services import campaigns_feature
from tests.factories import CampaignFactory, UserFactory

from .front_helpers import funded_campaign, matching_pot, open_call

pytestmark = pytest.mark.django_db


def section(html: str, css_class: str) -> str:
    """The HTML of the card list `css_class` (up to its section's end)."""
    start = html.index(f'class="cards {css_class}"')
    return html[start : html.index("</section>", start)]


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 dir="auto"><a href="[^"]+">([^<]+)</a></h3>', html)


def test_a_campaign_staff_feature_comes_first_on_the_front_page_and_its_platforms_page(client):
    now = timezone.now()
    CampaignFactory(slug="civic", title="Big bench", goal=10_000, raised_at_close=None)
    quiet = CampaignFactory(slug="civic", title="Quiet library", deadline=now + dt.timedelta(days=20))
    assert campaigns_feature(campaign_ids=[quiet.pk], featured=True) == 1
    for url in ("/", "/civic/"):
        html = client.get(url).content.decode()
        assert titles(section(html, "featured"))[0] == "Quiet library"
        assert "featured-badge" in section(html, "featured")


def test_ending_soon_lists_the_nearest_deadline_first_and_never_one_past_its_deadline(client):
    now = timezone.now()
    CampaignFactory(slug="civic", title="In a week", deadline=now + dt.timedelta(days=7))
    CampaignFactory(slug="civic", title="Tonight", deadline=now + dt.timedelta(hours=5))
    CampaignFactory(slug="civic", title="Past, not yet closed", deadline=now - dt.timedelta(minutes=5))
    html = client.get("/").content.decode()
    ending = section(html, "ending")
    assert titles(ending) == ["Tonight", "In a week"]
    assert "5 hours left" in ending or "4 hours left" in ending
    assert "Past, not yet closed" not in html


def test_a_card_shows_its_picture_or_a_placeholder_its_progress_and_money(client, pledge, backer):
    campaign = CampaignFactory(slug="civic", title="Garden", goal=100_000)
    pledge(campaign, backer, 25_000)
    card = section(client.get("/").content.decode(), "featured")
    assert "card-placeholder" in card  # no picture: a neutral placeholder keeps its place
    assert 'aria-valuenow="25"' in card and "25% funded" in card
    assert "£250.00" in card and "£1,000.00" in card and "1 backer" in card and "days left" in card


def test_matched_campaigns_and_open_calls_are_shown_with_the_match(client, pledge, backer):
    matched = CampaignFactory(slug="civic", title="Riverside playground", goal=500_000)
    CampaignFactory(slug="civic", title="Not matched")
    pot = matching_pot(campaigns=[matched])
    pledge(matched, backer, 10_000)  # 1:1: £100.00 of match
    open_call(pot.organisation, title="Green corners")
    for url in ("/", "/civic/"):
        html = client.get(url).content.decode()
        cards = section(html, "matched-list")
        assert titles(cards) == ["Riverside playground"]
        assert "Matched: £100.00 from a partner&#x27;s pot" in cards or "Matched: £100.00 from a partner's pot" in cards
        assert "Green corners" in html and "Riverside Council" in html


def test_a_platform_with_nothing_live_shows_what_was_funded(client):
    funded_campaign("charity", title="Winter clothes", days_ago=3, goal=200_000_000)
    funded_campaign("charity", title="School books", days_ago=1, goal=500_000_000)
    client.cookies["django_language"] = "en"
    html = client.get("/charity/").content.decode()
    assert "No campaign is taking pledges right now. Here is what was funded lately." in html
    assert titles(section(html, "funded-lately")) == ["School books", "Winter clothes"]
    assert 'id="featured-h"' not in html
    client.cookies["django_language"] = "fa"
    html = client.get("/charity/").content.decode()
    assert "اکنون هیچ پروژه‌ای حمایت نمی‌پذیرد." in html and "تأمین‌شده‌های اخیر" in html


def test_the_front_page_totals_each_platform(client, pledge, backer, backer2):
    campaign = CampaignFactory(slug="civic", goal=100_000)
    pledge(campaign, backer, 2_500)
    pledge(campaign, backer2, 1_000)
    html = client.get("/").content.decode()
    civic = html[html.index('href="/civic/"', html.index('id="platforms-h"')) :]
    civic = civic[: civic.index("</li>")]
    assert "£35.00" in civic
    assert re.search(r"<dt>Backers</dt><dd>2</dd>", civic)


def test_the_persian_front_page_speaks_persian_digits(client, pledge, backer):
    client.cookies["django_language"] = "fa"
    CampaignFactory(slug="arts", title="فیلم کوتاه", goal=40_000_000, deadline=timezone.now() + dt.timedelta(days=3))
    html = client.get("/arts/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="rtl"' in html
    assert "۰٪" in html or "۰%" in html
    assert re.search(r"[۰-۹]+ روز", html)


def test_staff_feature_a_campaign_with_the_admin_action(client, site_staff):
    campaign = CampaignFactory(slug="civic")
    client.force_login(site_staff)
    response = client.post(
        "/admin/projects/campaign/", {"action": "feature", "_selected_action": [campaign.pk]}, follow=True
    )
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.featured is True


def queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(n: int, pledge, backers, pot) -> None:
    """n live campaigns (a third featured, each pledged by every backer, each matched), n funded."""
    now = timezone.now()
    for i in range(n):
        c = CampaignFactory(
            slug="civic", title=f"Live {i}", deadline=now + dt.timedelta(days=i + 1), featured=i % 3 == 0
        )
        pot.campaigns.add(c)
        for b in backers:
            pledge(c, b, 1_000)
        funded_campaign("civic", title=f"Funded {i}", days_ago=i + 1)
        open_call(pot.organisation, title=f"Call {i}")


@pytest.mark.parametrize("url", ["/", "/civic/"])
def test_the_front_pages_query_count_does_not_grow_with_the_campaigns(client, pledge, url):
    backers = [UserFactory() for _ in range(3)]
    pot = matching_pot(paid_in=10_000_000)
    grow(2, pledge, backers, pot)
    before = queries(client, url)
    grow(4, pledge, backers, pot)  # 6 of each: 3N
    assert Campaign.objects.filter(featured=True).count() >= 2
    after = queries(client, url)
    assert after == before, f"{url}: {before} queries with 2 campaigns of each kind, {after} with 6"
