"""In a real browser: the guaranteed pre-sale campaign's page with its delivery status (delivered, shipped,
not shipped yet, and late), in Persian and English; a backer confirms receipt of a shipped reward; the
owner's delivery page. Screenshots for the README."""

from __future__ import annotations

import re

import pytest

from presale.models import Delivery, DeliveryStatus
from web.demo import _guarantee, demo_users
from web.demo_delivery import demo_delivery_campaign, demo_delivery_load

from .conftest import axe_check, is_rtl, shot
from .test_browser import choose_language, main_submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(site):
    demo_delivery_load(demo_users(), _guarantee)
    return demo_delivery_campaign()


def sign_in(page, site, username):
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", username)  # the demo's passwords are the usernames
    main_submit(page)
    page.wait_for_url(re.compile(r"/me/$"))


def test_the_guaranteed_campaign_shows_its_delivery_status_in_persian_and_english(page, site, campaign):
    url = f"{site.url}/presale/campaigns/{campaign.pk}/"
    page.goto(url)
    assert is_rtl(page)
    assert "ضمانت" in page.locator("p.guarantee").inner_text()
    summary = page.locator("section.delivery-summary").inner_text()
    assert "تحویل‌شده" in summary and "۲" in summary
    assert "تحویل با تأخیر است" in page.locator(".delivery-late").inner_text()
    axe_check(page, "delivery status (fa)")
    shot(page, "guaranteed-campaign-delivery-fa")

    choose_language(page, url, "en")
    page.goto(url)
    assert "Guaranteed by" in page.locator("p.guarantee").inner_text()
    facts = page.locator("section.delivery-summary dl").inner_text()
    assert re.search(r"Delivered\s+2", facts) and re.search(r"Shipped\s+1", facts)
    assert re.search(r"Not shipped yet\s+2", facts)
    assert "1 reward is not delivered past the promised month" in page.locator(".delivery-late").inner_text()
    axe_check(page, "delivery status (en)")
    shot(page, "guaranteed-campaign-delivery-en")


def test_a_backer_confirms_receipt_and_the_owner_sees_the_deliveries(page, site, campaign):
    shipped = Delivery.objects.get(campaign=campaign, status=DeliveryStatus.SHIPPED)
    sign_in(page, site, shipped.pledge.backer.username)
    page.goto(f"{site.url}/pledges/{shipped.pledge_id}/")
    assert "RR100200301IR" in page.locator("section.receipt-delivery").inner_text()
    page.locator("section.receipt-delivery form.inline button").click()
    page.wait_for_selector("section.receipt-delivery")
    assert Delivery.objects.get(pk=shipped.pk).status == DeliveryStatus.DELIVERED

    page.context.clear_cookies()
    sign_in(page, site, "owner")
    page.goto(f"{site.url}/me/campaigns/{campaign.pk}/deliveries/")
    table = page.locator("table.deliveries").inner_text()
    assert "1459913111" in table and "RR100200300IR" in table
    axe_check(page, "owner deliveries")
    shot(page, "owner-deliveries-fa")
