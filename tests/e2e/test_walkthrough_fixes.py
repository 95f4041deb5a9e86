"""The walkthrough's fixes as a browser shows them, in English and Persian: on a 375 px phone the
header is one row with a menu button (a disclosure: aria-expanded, Escape closes it), "Back this
campaign" is above the fold and the dashboard's date column is on screen; on Persian pages the back
arrow points right (back, in a right-to-left page) and pre-filled amounts are in Persian digits, which
the form accepts back."""

from __future__ import annotations

import re

import pytest

from tests.factories import CampaignFactory, TierFactory, UserFactory, area

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 667}


def verified(user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.fixture
def phone(browser, site):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, site, user):
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))


def campaign_for(lang):
    if lang == "fa":
        campaign = CampaignFactory(slug="arts", title="فیلم کوتاه: آخرین کاروانسرا", goal=40_000_000)
        TierFactory(campaign=campaign, amount=15_000, title="بلیت سینما")
    else:
        campaign = CampaignFactory(
            slug="civic",
            title="Community garden on Mill Lane",
            goal=1_500_000,
            funding_model="all_or_nothing",
            area=area("civic", "riverside"),
        )
        TierFactory(campaign=campaign, amount=2_500, title="Seed packet")
    return campaign


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_on_a_phone_the_header_is_one_row_with_a_menu_and_back_this_campaign_is_above_the_fold(phone, site, lang):
    campaign = campaign_for(lang)
    phone.goto(f"{site.url}/{campaign.platform.slug}/campaigns/{campaign.pk}/")
    assert is_rtl(phone) == (lang == "fa")
    toggle = phone.locator(".menu-toggle")
    brand = phone.locator(".site-header .brand").bounding_box()
    button = toggle.bounding_box()
    select = phone.locator("#language-select").bounding_box()
    header = phone.locator(".site-header").bounding_box()
    assert header["height"] < 80, f"the header is {header['height']} px high: more than one row"
    for box in (button, select):
        assert abs(box["y"] + box["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 12
    assert toggle.get_attribute("aria-expanded") == "false"
    browse = phone.locator("#site-nav a").first
    assert not browse.is_visible()
    back = phone.locator("a.button", has_text="حمایت از این پروژه" if lang == "fa" else "Back this campaign")
    box = back.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], "Back this campaign is below the fold"
    axe_check(phone, f"campaign on a phone {lang}")
    shot(phone, f"campaign-phone-{lang}")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and browse.is_visible()
    axe_check(phone, f"campaign on a phone, menu open {lang}")
    phone.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not browse.is_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_on_a_phone_the_dashboard_shows_each_pledge_s_date(phone, site, lang):
    from pledges.services import pledge_create
    from tests.factories import GOOD_CARD

    campaign = campaign_for(lang)
    backer = verified(UserFactory(username=f"backer-{lang}"))
    tier = campaign.tiers.get()
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=tier.amount, tier_id=tier.pk, card=GOOD_CARD)
    log_in(phone, site, backer)
    if lang == "fa":
        phone.goto(f"{site.url}/{campaign.platform.slug}/")
    phone.goto(f"{site.url}/me/")
    date = phone.locator("table.pledges td.date").first
    box = date.bounding_box()
    assert date.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert date.inner_text().strip()
    axe_check(phone, f"dashboard on a phone {lang}")
    shot(phone, f"dashboard-phone-{lang}")


def test_persian_back_arrow_points_right_and_amounts_are_persian_digits(page, site):
    campaign = campaign_for("fa")
    backer = verified(UserFactory(username="backer-digits"))
    log_in(page, site, backer)
    page.goto(f"{site.url}/arts/")  # the Persian platform: its pages speak Persian
    tier = campaign.tiers.get()
    page.goto(f"{site.url}/arts/campaigns/{campaign.pk}/pledge/?tier={tier.pk}")
    assert is_rtl(page)
    assert page.locator(".back-arrow").first.inner_text() == "→"
    assert page.input_value("#id_amount") == "۱۵۰۰۰"
    page.locator("main form button[type=submit]").last.click()  # on to the confirm step: accepted back
    assert "۱۵٬۰۰۰ تومان" in page.inner_text("main")
    axe_check(page, "pledge confirm fa")


def test_english_back_arrow_points_left(page, site):
    campaign = campaign_for("en")
    backer = verified(UserFactory(username="backer-en-arrow"))
    log_in(page, site, backer)
    page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/pledge/")
    assert page.locator(".back-arrow").first.inner_text() == "←"
    assert not is_rtl(page)
