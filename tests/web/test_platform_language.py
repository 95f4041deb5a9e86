"""Pages about one campaign or platform whose address names no platform (the receipt, the owner's
campaign pages, the new-campaign page) speak that platform's language and show its time zone, as the
platform's own pages do, not the language of the last platform visited; a language the visitor chose
still wins. Numbers on Persian pages are in Persian digits; titles do not repeat the platform's name."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from pledges.models import Pledge
from projects.models import Campaign
from tests.factories import CampaignFactory
from web.forms.dates import date_example

pytestmark = pytest.mark.django_db

PERSIAN = 'lang="fa" dir="rtl"'
ENGLISH = 'lang="en" dir="ltr"'
LATE_EVENING_UTC = dt.datetime(2026, 11, 27, 21, 30, tzinfo=dt.UTC)  # already 7 Azar 1405 in Tehran


@pytest.fixture
def owner_client(client, site_owner):
    client.force_login(site_owner)
    return client


@pytest.fixture
def charity_pledge(site_backer, site_owner, pledge):
    campaign = CampaignFactory(slug="charity", owner=site_owner, title="Clean water", goal=900_000_000)
    made = pledge(campaign, site_backer, 5_000_000)
    Pledge.objects.filter(pk=made.pk).update(created_at=LATE_EVENING_UTC)
    return made


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- the receipt -------------------------------------------------------------------------------


def test_receipt_of_a_persian_pledge_is_persian_in_a_fresh_session(backer_client, charity_pledge):
    html = page(backer_client, reverse("pledge-receipt", args=[charity_pledge.pk]))
    assert PERSIAN in html
    assert "۵٬۰۰۰٬۰۰۰ ریال" in html
    assert "۷ آذر ۱۴۰۵" in html  # Jalali, in Tehran time


def test_receipt_of_a_persian_pledge_is_persian_after_visiting_an_english_platform(
    backer_client, charity_pledge, civic_campaign
):
    assert ENGLISH in page(backer_client, reverse("platform", args=["civic"]))
    assert PERSIAN in page(backer_client, reverse("pledge-receipt", args=[charity_pledge.pk]))


def test_receipt_of_an_english_pledge_is_english_after_visiting_a_persian_platform(
    backer_client, site_backer, civic_campaign, pledge
):
    made = pledge(civic_campaign, site_backer, 2_500)
    assert PERSIAN in page(backer_client, reverse("platform", args=["arts"]))
    html = page(backer_client, reverse("pledge-receipt", args=[made.pk]))
    assert ENGLISH in html and "£25.00" in html


def test_a_visitor_who_chose_english_reads_a_persian_receipt_in_english(backer_client, charity_pledge):
    backer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(backer_client, reverse("pledge-receipt", args=[charity_pledge.pk]))
    assert ENGLISH in html and "28 Nov 2026" in html  # still in Tehran time


# --- the owner's pages --------------------------------------------------------------------------


def test_new_campaign_page_of_a_persian_platform_is_persian_with_a_jalali_date_field(owner_client):
    assert ENGLISH in page(owner_client, reverse("platform", args=["civic"]))
    html = page(owner_client, reverse("owner-campaign-new", args=["arts"]))
    assert PERSIAN in html
    assert f'placeholder="{date_example(ZoneInfo("Asia/Tehran"), jalali=True)}"' in html


def test_new_campaign_page_of_an_english_platform_is_english_after_a_persian_one(owner_client):
    assert PERSIAN in page(owner_client, reverse("platform", args=["arts"]))
    html = page(owner_client, reverse("owner-campaign-new", args=["civic"]))
    assert ENGLISH in html and f'placeholder="{date_example(ZoneInfo("Europe/London"), jalali=False)}"' in html


def test_owner_campaign_pages_speak_the_campaigns_platform_language(owner_client, arts_campaign, civic_campaign):
    Campaign.objects.filter(pk=arts_campaign.pk).update(status="draft")
    page(owner_client, reverse("platform", args=["civic"]))
    assert PERSIAN in page(owner_client, reverse("owner-campaign", args=[arts_campaign.pk]))
    assert PERSIAN in page(owner_client, reverse("owner-campaign-edit", args=[arts_campaign.pk]))
    page(owner_client, reverse("platform", args=["arts"]))
    assert ENGLISH in page(owner_client, reverse("owner-campaign", args=[civic_campaign.pk]))


def test_a_refused_owner_form_is_shown_again_in_the_campaigns_language(owner_client, arts_campaign):
    Campaign.objects.filter(pk=arts_campaign.pk).update(status="draft")
    page(owner_client, reverse("platform", args=["civic"]))
    html = owner_client.post(
        reverse("owner-tier-add", args=[arts_campaign.pk]), {"amount": "", "title": ""}
    ).content.decode()
    assert PERSIAN in html


# --- Persian digits -----------------------------------------------------------------------------


def test_campaign_card_counts_backers_in_persian_digits(client, arts_campaign, site_backer, pledge):
    pledge(arts_campaign, site_backer, 15_000, tier=arts_campaign.tiers.get(title="Cinema ticket"))
    html = page(client, reverse("platform", args=["arts"]))
    assert "۱ حامی" in html and "1 حامی" not in html


def test_browse_page_counts_campaigns_in_persian_digits(client, site_owner):
    CampaignFactory.create_batch(2, slug="arts", owner=site_owner)
    html = page(client, reverse("platform-browse", args=["arts"]))
    assert "۲ پروژه" in html and "2 پروژه" not in html


def test_english_counts_keep_their_plural(client, civic_campaign, site_backer, backer2, pledge):
    pledge(civic_campaign, site_backer, 1_000)
    pledge(civic_campaign, backer2, 1_000)
    html = page(client, reverse("platform-browse", args=["civic"]))
    assert "1 campaign" in html and "2 backers" in html


def test_a_bad_spending_line_is_numbered_in_persian_digits(owner_client, arts_campaign):
    Campaign.objects.filter(pk=arts_campaign.pk).update(status="paid")
    html = owner_client.post(
        reverse("owner-report-submit", args=[arts_campaign.pk]),
        {"text": "انجام شد.", "spending": "تجهیزات: ۱۰۰\nدوربین"},
    ).content.decode()
    assert "سطر ۲" in html and "سطر 2" not in html


# --- titles -------------------------------------------------------------------------------------


@pytest.mark.parametrize("slug, name", [("arts", "هنر و بازی"), ("civic", "City Civic Portal")])
def test_a_platform_page_names_its_platform_once_in_the_title(client, slug, name):
    html = page(client, reverse("platform", args=[slug]))
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.count(name) == 1


def test_a_campaign_page_title_names_the_campaign_and_its_platform(client, arts_campaign):
    html = page(client, reverse("campaign", args=["arts", arts_campaign.pk]))
    assert "<title>Short film · هنر و بازی</title>" in html


def test_a_persian_page_leaves_the_thread_speaking_what_it_spoke_before(client, charity_pledge):
    page(client, reverse("platform", args=["charity"]))  # a Persian platform's page, in Persian
    assert translation.get_language() == "en"  # what follows in this thread (the next test) is not Persian
    assert str(translation.gettext("Statistics")) == "Statistics"
