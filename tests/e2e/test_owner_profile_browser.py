"""Issue 16 in the browser, in both languages, axe-core clean: an owner's public profile (display name,
delivery record, organisation), setting the display name on My account, the platform's own pages from
the footer, and a reward's delivery month typed in the page's calendar."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from partners.models import Membership, Organisation
from presale.models import Delivery, DeliveryStatus
from projects.models import CampaignStatus, FinalReport, ReportStatus
from tests.factories import CampaignFactory, PledgeFactory, TierFactory, UserFactory
from tests.web.conftest import verified

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
S = CampaignStatus

CASES = {
    # lang: (platform, display name, campaign titles, organisation)
    "en": (
        "civic",
        "Sara Ahmadi",
        ["Pocket park on Elm Street", "A bench for the bus stop", "Library garden"],
        "Riverside Council",
    ),
    "fa": ("presale", "سارا احمدی", ["چراغ خورشیدی تاشو", "بازی رومیزی شهر", "کیف دوچرخه"], "صندوق توسعه تعاون"),
}


def _speak(page, site, slug, lang):
    """Visit the platform so that pages about no platform speak its language (or switch to `lang`)."""
    page.goto(f"{site.url}/{slug}/")
    if page.evaluate("() => document.documentElement.lang") != lang:
        with page.expect_navigation():
            page.select_option("#language-select", lang)


def _owner_with_a_record(lang):
    slug, name, titles, organisation = CASES[lang]
    owner = verified(UserFactory(username=f"sara-{lang}", first_name=name))
    now = timezone.now()
    done = CampaignFactory(slug=slug, owner=owner, title=titles[0], status=S.COMPLETED, goal=2_000_000)
    done.report_due_on = (now - dt.timedelta(days=20)).date()
    done.save(update_fields=["report_due_on"])
    report = FinalReport.objects.create(campaign=done, text="Done.", status=ReportStatus.APPROVED, reviewed_at=now)
    FinalReport.objects.filter(pk=report.pk).update(submitted_at=now - dt.timedelta(days=25))  # before it was due
    paid = CampaignFactory(slug=slug, owner=owner, title=titles[1], status=S.PAID, goal=1_500_000)
    paid.report_due_on = (now + dt.timedelta(days=40)).date()
    paid.save(update_fields=["report_due_on"])
    CampaignFactory(slug=slug, owner=owner, title=titles[2])
    CampaignFactory(slug=slug, owner=owner, title="draft", status=S.DRAFT)
    if slug == "presale":
        month = (now - dt.timedelta(days=70)).date().replace(day=1)
        tier = TierFactory(campaign=done, amount=400_000, ships=True, estimated_delivery=month)
        for days in (3, 10, 45):
            pledge = PledgeFactory(campaign=done, tier=tier)
            at = dt.datetime.combine(month + dt.timedelta(days=days), dt.time(12), tzinfo=dt.UTC)
            Delivery.objects.create(
                pledge=pledge, campaign=done, status=DeliveryStatus.DELIVERED, shipped_at=at, confirmed_at=at
            )
    org = Organisation.objects.create(
        platform=done.platform, name=organisation, slug=f"org-{lang}", kind="public_body", verified_at=now
    )
    Membership.objects.create(organisation=org, user=owner, role="admin")
    return owner


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_an_owner_s_public_profile_shows_their_name_record_and_organisation(page, site, lang):
    slug, name, titles, organisation = CASES[lang]
    owner = _owner_with_a_record(lang)
    _speak(page, site, slug, lang)
    page.goto(f"{site.url}/{slug}/browse/")
    card = page.locator("article.card", has_text=titles[2])
    assert name in card.inner_text()  # the card names the owner by display name
    card.get_by_role("link", name=titles[2]).click()
    page.get_by_role("link", name=name).click()  # "by Sara Ahmadi" on the campaign page
    page.wait_for_url(re.compile(rf"/u/{owner.username}/$"))
    assert page.locator("h1").inner_text() == name
    assert is_rtl(page) == (lang == "fa")
    record = page.locator("section.track-record").inner_text()
    if lang == "fa":
        assert "سابقهٔ تحویل" in record and "۱ از ۱" in record  # one report, filed on time
        assert "پاداش‌هایی که به‌موقع تحویل شد" in record and "۲ از ۳ تحویل‌شده" in record
    else:
        assert "Delivery record" in record and "1 of 1" in record
    assert organisation in page.locator("p.organisations").inner_text()
    table = page.locator("table.record").inner_text()
    assert all(title in table for title in titles) and "draft" not in table
    axe_check(page, f"owner profile {lang}")
    shot(page, f"owner-profile-{lang}")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_an_owner_sets_a_display_name_and_types_a_delivery_month_in_the_page_s_calendar(page, site, lang):
    slug = "civic" if lang == "en" else "presale"
    owner = verified(UserFactory(username=f"maker-{lang}"))
    draft = CampaignFactory(slug=slug, owner=owner, status=S.DRAFT, goal=30_000_000, title=f"Lamp {lang}")
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", owner.username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))
    _speak(page, site, slug, lang)
    page.goto(f"{site.url}/me/account/")
    page.fill("#id_display_name", "x" * 81)
    page.get_by_role("button", name="Save display name" if lang == "en" else "ذخیرهٔ نام نمایشی").click()
    page.locator("#id_display_name_error").wait_for(state="visible")  # the answer, not the page being left
    axe_check(page, f"display name refused {lang}")
    page.fill("#id_display_name", "Nava Karimi" if lang == "en" else "نوا کریمی")
    page.get_by_role("button", name="Save display name" if lang == "en" else "ذخیرهٔ نام نمایشی").click()
    page.wait_for_load_state()
    assert ("Nava Karimi" if lang == "en" else "نوا کریمی") in page.locator("#name-h + p").inner_text()
    axe_check(page, f"my account {lang}")

    page.goto(f"{site.url}/me/campaigns/{draft.pk}/")
    month = page.locator("#id_estimated_delivery")
    assert month.get_attribute("type") == "text"
    placeholder = month.get_attribute("placeholder")
    if lang == "fa":
        assert re.fullmatch(r"[۰-۹]{4}/[۰-۹]{2}", placeholder)
        typed, stored = "۱۴۰۶/۰۲", dt.date(2027, 5, 1)  # Ordibehesht 1406 ends on 21 May 2027
    else:
        assert placeholder == timezone.localdate().strftime("%m/%Y")
        typed, stored = "05/2027", dt.date(2027, 5, 1)
    page.fill("#id_title", "Lamp")
    page.fill("#id_amount", "1500000" if lang == "fa" else "15")
    page.check("#id_ships")
    month.fill(typed)
    with page.expect_navigation():
        page.locator("#id_estimated_delivery").press("Enter")
    assert draft.tiers.get().estimated_delivery == stored
    axe_check(page, f"reward with a delivery month {lang}")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_platform_s_pages_are_linked_from_its_footer_with_the_api_docs(page, site, lang):
    slug = "civic" if lang == "en" else "arts"
    _speak(page, site, slug, lang)
    footer = page.locator("footer.site-footer")
    assert footer.get_by_role("link", name="API documentation" if lang == "en" else "مستندات API").count() == 1
    footer.get_by_role("link", name="FAQ" if lang == "en" else "پرسش‌های پرتکرار").click()
    page.wait_for_url(re.compile(rf"/{slug}/faq/$"))
    heading = page.locator("h1").inner_text()
    assert heading == ("Frequently asked questions" if lang == "en" else "پرسش‌های پرتکرار")
    assert is_rtl(page) == (lang == "fa")
    axe_check(page, f"faq {lang}")
    page.locator("footer.site-footer").get_by_role("link", name="Privacy" if lang == "en" else "حریم خصوصی").click()
    page.wait_for_url(re.compile(rf"/{slug}/privacy/$"))
    axe_check(page, f"privacy {lang}")
