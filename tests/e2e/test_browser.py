"""End-to-end flows in a real browser, in English and in Persian."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import GOOD_CARD, CampaignFactory, TierFactory, UserFactory, area
from tests.web.conftest import verified

from .conftest import JALALI, axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FLOWS = {"en": {"slug": "civic", "amount": "25"}, "fa": {"slug": "arts", "amount": "15000"}}
# What people write on each platform: Persian content on the Persian platforms (and in the screenshots).
TEXT = {
    "en": {
        "garden": "Community garden",
        "story": "Plant **trees**.",
        "seed": "Seed packet",
        "mural": "Mural on the library wall",
        "mural_story": "A mural by local artists.",
        "area": ("old-town", "Old Town ward"),
        "postcard": "Postcard",
        "books": "Books for a village school",
        "winter": "Winter clothes",
    },
    "fa": {
        "garden": "باغ محله‌ای",
        "story": "**درخت** می‌کاریم.",
        "seed": "بسته بذر",
        "mural": "نقاشی دیواری کتابخانه",
        "mural_story": "نقاشی دیواری به دست هنرمندان محله.",
        "area": ("kurdistan", "کردستان"),
        "postcard": "کارت‌پستال",
        "books": "کتاب برای مدرسه‌ای روستایی",
        "winter": "لباس زمستانی",
    },
}
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def deadline_text(lang: str, days: int = 20) -> str:
    """A deadline as the owner types it: Jalali with Persian digits in Persian, Gregorian in English."""
    import zoneinfo

    import jdatetime

    tz = zoneinfo.ZoneInfo("Asia/Tehran" if lang == "fa" else "Europe/London")
    local = timezone.localtime(timezone.now() + dt.timedelta(days=days), tz).replace(tzinfo=None)
    if lang == "fa":
        return jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d %H:%M").translate(FA_DIGITS)
    return local.strftime("%d/%m/%Y %H:%M")  # the civic portal writes dates day first


def main_submit(page):
    page.locator("main form button[type=submit]").last.click()


def choose_language(page, url, lang):
    page.goto(url)
    if page.evaluate("() => document.documentElement.lang") != lang:
        with page.expect_navigation():
            page.select_option("#language-select", lang)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_backer_signs_up_pledges_on_a_tier_and_sees_the_receipt(page, site, lang):
    flow = FLOWS[lang]
    owner = UserFactory(username=f"owner-{lang}")
    text = TEXT[lang]
    campaign = CampaignFactory(
        slug=flow["slug"],
        owner=owner,
        title=text["garden"],
        goal=4_000_000 if lang == "fa" else 150_000,
        area=area(flow["slug"], text["area"][0]),
        story=f"{text['story']} <script>window.hacked=1</script>",
    )
    tier = TierFactory(
        campaign=campaign, amount=15_000 if lang == "fa" else 2_500, title=text["seed"], quantity_limit=10
    )
    home = f"{site.url}/{flow['slug']}/"
    choose_language(page, home, lang)
    assert is_rtl(page) == (lang == "fa")
    axe_check(page, f"platform home {lang}")
    shot(page, f"platform-home-{lang}")

    page.goto(f"{site.url}/accounts/signup/")
    page.fill("#id_email", f"ana-{lang}@example.org")
    page.fill("#id_username", f"ana-{lang}")
    page.fill("#id_password1", "a-long-pass-phrase-9")
    page.fill("#id_password2", "a-long-pass-phrase-9")
    main_submit(page)
    page.wait_for_load_state()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", site.url))

    page.goto(f"{site.url}/{flow['slug']}/campaigns/{campaign.pk}/")
    assert page.evaluate("() => window.hacked") is None
    assert is_rtl(page) == (lang == "fa")
    if lang == "fa":
        assert JALALI.search(page.inner_text(".deadline"))
    axe_check(page, f"campaign page {lang}")
    shot(page, f"campaign-{lang}")

    page.click(f"a[href$='?tier={tier.pk}']")
    page.fill("#id_amount", flow["amount"])
    axe_check(page, f"pledge form {lang}")
    main_submit(page)
    page.fill("#id_card", GOOD_CARD)
    shot(page, f"pledge-confirm-{lang}")
    main_submit(page)
    page.wait_for_url(re.compile(r"/pledges/\d+/$"))
    status = page.inner_text(".pledge-status")
    assert status == ("پرداخت‌شده" if lang == "fa" else "Paid")
    if lang == "fa":
        assert is_rtl(page) and JALALI.search(page.inner_text(".receipt-date"))
    axe_check(page, f"receipt {lang}")
    shot(page, f"receipt-{lang}")
    assert any(f"ana-{lang}@example.org" in m.to for m in mail.outbox[1:])


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_owner_creates_a_campaign_and_an_admin_approves_it(page, site, lang):
    flow = FLOWS[lang]
    owner = verified(UserFactory(username=f"maker-{lang}"))
    verified(UserFactory(username=f"admin-{lang}", is_staff=True, is_superuser=True))
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", owner.username)
    page.fill("#id_password", "secret")
    main_submit(page)
    page.wait_for_url(re.compile(r"/me/$"))
    choose_language(page, f"{site.url}/me/campaigns/", lang)
    assert is_rtl(page) == (lang == "fa")
    page.goto(f"{site.url}/me/campaigns/new/{flow['slug']}/")
    text = TEXT[lang]
    page.fill("#id_title", text["mural"])
    page.select_option("#id_category", index=1)
    page.select_option("#id_area", label=text["area"][1])
    page.fill("#id_story", text["mural_story"])
    page.fill("#id_goal", "-5")
    page.fill("#id_deadline", deadline_text(lang))
    main_submit(page)
    page.locator("#id_goal_error").wait_for(state="visible")  # the click does not wait for the answer
    assert page.input_value("#id_title") == text["mural"]
    axe_check(page, f"campaign form with errors {lang}")
    shot(page, f"owner-form-errors-{lang}")
    page.fill("#id_goal", "2000000" if lang == "fa" else "2000")
    main_submit(page)
    page.wait_for_url(re.compile(r"/me/campaigns/\d+/$"))
    page.fill("#id_title", text["postcard"])
    page.fill("#id_amount", "20000" if lang == "fa" else "10")
    page.locator("form[action$='/tiers/'] button").click()
    page.wait_for_load_state()
    page.locator("form[action$='/submit/'] button").click()
    page.wait_for_load_state()
    axe_check(page, f"owner dashboard {lang}")
    shot(page, f"owner-campaign-{lang}")
    campaign_pk = int(re.search(r"/me/campaigns/(\d+)/", page.url).group(1))

    admin = page.context.browser.new_context(locale="en-GB").new_page()
    admin.goto(f"{site.url}/admin/login/?next=/admin/projects/campaign/")
    admin.fill("#id_username", f"admin-{lang}")
    admin.fill("#id_password", "secret")
    admin.click("input[type=submit]")
    admin.check(f"input[name=_selected_action][value='{campaign_pk}']")
    admin.select_option("select[name=action]", "approve")
    admin.click("button[name=index]")
    admin.wait_for_load_state()
    admin.context.close()

    page.reload()
    status = page.inner_text(".owner-status")
    assert status == ("در حال جذب حمایت" if lang == "fa" else "Live")
    page.goto(f"{site.url}/{flow['slug']}/campaigns/{campaign_pk}/")
    assert text["postcard"] in page.inner_text("main")


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_failed_campaign_refunds_to_the_wallet_and_the_wallet_pays_a_new_pledge(page, site, lang):
    from funding.services import close_due_campaigns
    from pledges.services import pledge_create
    from projects.models import Campaign

    owner = UserFactory(username=f"charity-owner-{lang}")
    backer = verified(UserFactory(username=f"giver-{lang}"))
    failed = CampaignFactory(slug="charity", owner=owner, title=TEXT[lang]["books"], goal=500_000_000)
    pledge_create(campaign_id=failed.pk, backer=backer, amount=20_000_000, card=GOOD_CARD)
    Campaign.objects.filter(pk=failed.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1), starts_at=timezone.now() - dt.timedelta(days=2)
    )
    close_due_campaigns()
    assert Campaign.objects.get(pk=failed.pk).status == "refunded"
    winter = CampaignFactory(slug="charity", owner=owner, title=TEXT[lang]["winter"], goal=200_000_000)

    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", backer.username)
    page.fill("#id_password", "secret")
    main_submit(page)
    page.wait_for_url(re.compile(r"/me/$"))
    choose_language(page, f"{site.url}/charity/", lang)
    page.goto(f"{site.url}/me/")
    balance = page.inner_text(".wallet-balance")
    assert ("۲۰٬۰۰۰٬۰۰۰ ریال" if lang == "fa" else "20,000,000 rial") in balance
    assert is_rtl(page) == (lang == "fa")
    axe_check(page, f"backer dashboard {lang}")
    shot(page, f"backer-dashboard-{lang}")

    page.goto(f"{site.url}/charity/campaigns/{winter.pk}/pledge/")
    page.fill("#id_amount", "۱۲٬۵۰۰٬۰۰۰" if lang == "fa" else "12,500,000")
    page.check("input[name=source][value=wallet]")
    main_submit(page)
    main_submit(page)
    page.wait_for_url(re.compile(r"/pledges/\d+/$"))
    assert ("کیف پول من" if lang == "fa" else "My wallet") in page.inner_text(".receipt")
    if lang == "fa":
        assert is_rtl(page) and JALALI.search(page.inner_text(".receipt-date"))
    page.goto(f"{site.url}/me/")
    assert ("۷٬۵۰۰٬۰۰۰ ریال" if lang == "fa" else "7,500,000 rial") in page.inner_text(".wallet-balance")


def test_browse_page_is_accessible_and_shot(page, site):
    owner = UserFactory(username="browse-owner")
    for i, ward in enumerate(["riverside", "old-town", "hillside"]):
        CampaignFactory(
            slug="civic", owner=owner, title=f"Civic project {i}", area=area("civic", ward), goal=100_000 * (i + 1)
        )
    page.goto(f"{site.url}/browse/?platform=civic")
    assert page.locator(".card").count() == 3
    axe_check(page, "browse")
    shot(page, "browse-en")
    page.goto(f"{site.url}/")
    axe_check(page, "front page")
    shot(page, "front-page")
