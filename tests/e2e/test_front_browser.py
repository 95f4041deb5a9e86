"""The front pages, sharing and the live countdown in Chromium, in English and in Persian (and at 375 px):
featured and ending-soon cards, matched campaigns, open calls, funded lately, totals per platform; a
platform with nothing live shows what was funded; the countdown ticks in the page's digits and, once
the deadline passes, the page offers no pledge and the pledge page says the campaign closed.
Takes the README's screenshots of the front page (CIVICFUND_SCREENSHOTS=1)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from tests.factories import CampaignFactory, TierFactory, UserFactory
from tests.web.conftest import verified
from tests.web.front_helpers import funded_campaign

from .conftest import axe_check, is_rtl, shot
from .test_browser import choose_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LATIN = re.compile(r"[0-9]")
PERSIAN = re.compile(r"[۰-۹]")


def no_sideways_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{width}px wide"


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_front_page_shows_live_matched_and_funded_campaigns(page, site, lang):
    from web.demo import demo_load

    demo_load(soon_minutes=60 * 24 * 3)
    choose_language(page, f"{site.url}/", lang)
    assert is_rtl(page) == (lang == "fa")
    featured = page.locator(".cards.featured").inner_text()
    assert "Riverside playground for all abilities" in featured and "جشنواره تئاتر خیابانی" in featured
    assert ("Staff pick" if lang == "en" else "برگزیده") in featured
    ending = page.locator(".cards.ending h3").first.inner_text()
    assert ending in ("کنسرت موسیقی محلی در باغ ارم", "فیلم کوتاه: آخرین کاروانسرا", "کتاب برای مدرسه‌ای روستایی")
    assert "Riverside playground for all abilities" in page.locator(".cards.matched-list").inner_text()
    assert page.locator(".open-calls li").count() >= 1
    assert page.locator(".platform-card").count() == 4
    totals = page.locator(".platform-card .totals").first.inner_text()
    if lang == "fa":
        assert PERSIAN.search(totals) and not LATIN.search(totals)
        assert PERSIAN.search(page.locator(".cards.featured .days-left").first.inner_text())
    assert page.locator(".card-image").count() >= page.locator(".cards.featured .card").count()
    axe_check(page, f"front page {lang}")
    shot(page, f"front-page-{lang}")

    page.set_viewport_size({"width": 375, "height": 812})
    page.reload()
    no_sideways_scroll(page)
    axe_check(page, f"front page 375px {lang}")
    shot(page, f"front-page-mobile-{lang}")

    page.locator(".cards.featured h3 a", has_text="Riverside playground for all abilities").click()
    assert page.locator(".countdown").count() == 1
    no_sideways_scroll(page)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_platform_with_nothing_live_shows_what_it_funded(page, site, lang):
    funded_campaign("charity", title="کتاب برای مدرسه‌ای روستایی", goal=500_000_000, days_ago=2)
    choose_language(page, f"{site.url}/charity/", lang)
    note = page.locator(".nothing-live").inner_text()
    assert note.startswith("No campaign is taking pledges right now." if lang == "en" else "اکنون هیچ پروژه‌ای")
    assert "کتاب برای مدرسه‌ای روستایی" in page.locator(".cards.funded-lately").inner_text()
    axe_check(page, f"platform with nothing live {lang}")


def log_in(page, site, user) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_countdown_ticks_and_at_the_deadline_no_pledge_is_offered(page, site, lang):
    slug = "civic" if lang == "en" else "arts"
    backer = verified(UserFactory(username=f"watcher-{lang}"))
    choose_language(page, f"{site.url}/{slug}/", lang)
    log_in(page, site, backer)
    now = timezone.now()
    campaign = CampaignFactory(
        slug=slug, title="Bandstand" if lang == "en" else "جایگاه نوازندگان", deadline=now + dt.timedelta(seconds=12)
    )
    TierFactory(campaign=campaign, amount=2_500 if lang == "en" else 15_000, title="Postcard")
    page.goto(f"{site.url}/{slug}/campaigns/{campaign.pk}/")
    countdown = page.locator(".countdown")
    first = countdown.inner_text()
    page.wait_for_function("t => document.querySelector('.countdown').textContent !== t", arg=first, timeout=3_000)
    ticking = countdown.inner_text()
    assert re.search(r"[0-9۰-۹]{2}:[0-9۰-۹]{2}", ticking), ticking
    if lang == "fa":
        assert PERSIAN.search(ticking) and not LATIN.search(ticking)
    assert page.locator(".pledge-action").count() == 2  # "Back this campaign" and the reward's button
    share = page.locator(".share").inner_text()
    assert "WhatsApp" in share and "Telegram" in share
    axe_check(page, f"campaign with countdown {lang}")

    page.wait_for_function("() => document.querySelector('.countdown.ended') !== null", timeout=20_000)
    assert page.locator(".pledge-action").count() == 0
    assert page.locator(".closed-note").is_visible()

    page.goto(f"{site.url}/{slug}/campaigns/{campaign.pk}/pledge/")
    main = page.locator("main")
    assert main.locator("form").count() == 0, main.inner_html()
    closed = main.locator(".closed-note").inner_text()
    assert closed.startswith("This campaign closed on" if lang == "en" else "مهلت این پروژه در")
    axe_check(page, f"pledge page after the deadline {lang}")
    page.reload()  # the page itself, not a script, refuses
    assert page.locator("main form").count() == 0


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_poster_prints_a_qr_code_of_the_campaign(page, site, lang):
    slug = "civic" if lang == "en" else "arts"
    campaign = CampaignFactory(slug=slug, title="Bandstand" if lang == "en" else "جایگاه نوازندگان", goal=500_000)
    choose_language(page, f"{site.url}/{slug}/campaigns/{campaign.pk}/", lang)
    og = page.locator('meta[property="og:url"]').get_attribute("content")
    assert og == f"{site.url}/{slug}/campaigns/{campaign.pk}/"
    page.click(".poster-link")
    page.wait_for_function("() => document.querySelector('.poster img').naturalWidth > 0", timeout=5_000)
    assert f"/{slug}/campaigns/{campaign.pk}/" in page.locator(".poster-url").inner_text()
    assert page.locator("button[data-print]").is_visible()  # shown by the script (hidden without it)
    axe_check(page, f"poster {lang}")
    shot(page, f"poster-{lang}")
