"""Browser flows beyond the main three: choosing a reward fills in the amount, editing a draft (picture and
a Jalali deadline), the owner's payout schedule and final report, password reset and log-out, a pledge
made with the keyboard alone, and the Persian demo content for the README's screenshots."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from unittest import mock

import jdatetime
import pytest
from django.core import mail
from django.utils import timezone
from PIL import Image

from tests.factories import GOOD_CARD, CampaignFactory, TierFactory, UserFactory
from tests.web.conftest import verified

from .conftest import JALALI, axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def log_in(page, site, username, password="secret"):
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))


def to_persian(page, site):
    page.goto(f"{site.url}/arts/")
    if page.evaluate("() => document.documentElement.lang") != "fa":
        with page.expect_navigation():
            page.select_option("#language-select", "fa")


def test_choosing_a_reward_fills_in_the_amount(page, site):
    backer = verified(UserFactory(username="filler"))
    campaign = CampaignFactory(slug="civic", title="Bandstand", goal=500_000, funding_model="all_or_nothing")
    tiers = [
        TierFactory(campaign=campaign, amount=2_500, title="Postcard"),
        TierFactory(campaign=campaign, amount=12_000, title="Name on the bandstand"),
    ]
    log_in(page, site, backer.username)
    page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/pledge/")
    assert page.input_value("#id_amount") == ""
    page.click("label[for=id_tier_2]")
    assert page.input_value("#id_amount") == "120.00"
    page.click("label[for=id_tier_1]")
    assert page.input_value("#id_amount") == "25.00"
    page.fill("#id_amount", "30")  # the backer may give more than the reward asks
    page.locator("main form button[type=submit]").last.click()
    assert "£30.00" in page.inner_text(".confirm-amount")
    assert tiers[0].title in page.inner_text("main")


def test_a_form_sent_once_can_be_sent_again_after_coming_back_to_its_page(page, site):
    """data-once stops a second click; a page the browser restores from its back/forward cache
    (the backer went on, then came back) gets its forms working again."""
    backer = verified(UserFactory(username="returner"))
    campaign = CampaignFactory(slug="civic", title="Bandstand", goal=500_000, funding_model="all_or_nothing")
    log_in(page, site, backer.username)
    page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/pledge/")
    page.fill("#id_amount", "30")
    page.locator("main form button[type=submit]").last.click()
    form = page.locator("form[data-once]").first
    form.evaluate("f => { f.addEventListener('submit', e => e.preventDefault()); }")  # stay on the page
    page.locator("form[data-once] button[type=submit]").first.click()
    assert form.evaluate("f => f.dataset.sent") == "1"
    page.evaluate("() => window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    assert form.evaluate("f => f.dataset.sent") is None


def _picture(path):
    Image.new("RGB", (320, 180), (139, 75, 0)).save(path, "PNG")
    return str(path)


def test_owner_edits_a_draft_with_a_picture_and_a_jalali_deadline(page, site, tmp_path):
    owner = verified(UserFactory(username="drafter"))
    draft = CampaignFactory(slug="arts", owner=owner, status="draft", title="پیش‌نویس فیلم", goal=2_000_000)
    log_in(page, site, owner.username)
    to_persian(page, site)
    page.goto(f"{site.url}/me/campaigns/{draft.pk}/")
    page.click(f"a[href$='/me/campaigns/{draft.pk}/edit/']")
    page.wait_for_url(re.compile(rf"/me/campaigns/{draft.pk}/edit/$"))  # not read mid-navigation
    assert is_rtl(page)
    page.fill("#id_title", "فیلم کوتاه: کاروانسرا")
    page.set_input_files("#id_image", _picture(tmp_path / "caravanserai.png"))
    # A bad Jalali date first: the message sits next to the field and the typed text stays.
    page.fill("#id_deadline", "۱۴۰۵/۱۳/۰۱ ۱۰:۰۰")
    page.locator("main form button[type=submit]").last.click()
    page.locator("#id_deadline_error").wait_for(state="visible")  # the page answers slowly under load
    assert page.input_value("#id_deadline") == "۱۴۰۵/۱۳/۰۱ ۱۰:۰۰"
    assert page.locator("#id_image_alt_error").is_visible()  # a picture needs its description
    axe_check(page, "draft edit with errors fa")
    tehran = zoneinfo.ZoneInfo("Asia/Tehran")
    when = jdatetime.datetime.fromgregorian(
        datetime=timezone.localtime(timezone.now() + dt.timedelta(days=45), tehran).replace(tzinfo=None)
    ).replace(hour=18, minute=0, second=0, microsecond=0)
    page.fill("#id_deadline", when.strftime("%Y/%m/%d %H:%M").translate(FA))
    page.set_input_files("#id_image", _picture(tmp_path / "caravanserai.png"))
    page.fill("#id_image_alt", "کاروانسرایی آجری در غروب")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(rf"/me/campaigns/{draft.pk}/$"))
    draft.refresh_from_db()
    assert draft.title == "فیلم کوتاه: کاروانسرا"
    assert draft.deadline == timezone.make_aware(when.togregorian(), tehran)
    img = page.locator("img[alt='کاروانسرایی آجری در غروب']")
    assert img.count() == 1
    assert page.evaluate("(el) => el.naturalWidth", img.element_handle()) == 320  # the file is served
    assert JALALI.search(page.inner_text("main"))
    shot(page, "owner-draft-fa")


def test_owner_sees_the_payout_schedule_and_submits_the_final_report(page, site):
    from funding.services import campaign_close
    from payouts.models import Payout, PayoutKind
    from payouts.services import payout_confirm, release_due_payouts
    from pledges.services import pledge_create

    utc = dt.UTC
    deadline = dt.datetime(2026, 10, 5, 21, 0, tzinfo=utc)  # 14 Mehr 1405, 00:30 in Tehran
    owner = verified(UserFactory(username="filmmaker"))
    campaign = CampaignFactory(
        slug="arts",
        owner=owner,
        title="مستند دریاچه ارومیه",
        goal=2_000_000,
        starts_at=deadline - dt.timedelta(days=30),
        deadline=deadline,
    )
    tier = TierFactory(campaign=campaign, amount=15_000, title="بلیت نمایش")
    before = deadline - dt.timedelta(hours=1)
    for name, amount in (("hami1", 600_000), ("hami2", 400_003)):
        backer = UserFactory(username=name)
        with mock.patch("django.utils.timezone.now", return_value=before):  # pledged and paid an hour before
            pledge_create(
                campaign_id=campaign.pk, backer=backer, amount=amount, tier_id=tier.pk, card=GOOD_CARD, now=before
            )
    campaign_close(campaign_id=campaign.pk, now=deadline)
    release_due_payouts(now=dt.datetime(2026, 10, 24, 6, 0, tzinfo=utc))
    payout_confirm(payout_id=Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST).pk, reference="BANK-1")

    log_in(page, site, owner.username)
    to_persian(page, site)
    page.goto(f"{site.url}/me/campaigns/{campaign.pk}/")
    payouts = page.inner_text("section[aria-labelledby=pay-h]")
    assert "۸۵۵٬۰۰۲ تومان" in payouts and "۹۵٬۰۰۱ تومان" in payouts  # 90% of 950,003 after the 5% fee; the rest
    assert "۲ آبان ۱۴۰۵" in payouts  # due on the 15th working day, Saturday 24 Oct 2026
    page.fill("#id_text", "فیلم ساخته و در سه جشنواره نمایش داده شد.")
    page.fill("#id_spending", "تجهیزات: ۵۰۰٬۰۰۰\nبی‌معنی")
    page.locator("form[action$='/report/'] button").click()
    assert page.locator("#id_spending_error").is_visible()
    assert page.input_value("#id_text") == "فیلم ساخته و در سه جشنواره نمایش داده شد."
    page.fill("#id_spending", "تجهیزات: ۵۰۰٬۰۰۰\nتدوین: ۴۵۰٬۰۰۳")
    page.locator("form[action$='/report/'] button").click()
    page.wait_for_load_state()
    assert re.search(rf"/me/campaigns/{campaign.pk}/$", page.url)
    assert "۱۴ مهر ۱۴۰۵، ساعت ۰۰:۳۰" in page.inner_text("main")  # the deadline in Tehran's time
    assert "در انتظار بررسی" in page.inner_text("section[aria-labelledby=rep-h]")
    report = campaign.final_reports.get()
    assert report.spending == [{"item": "تجهیزات", "amount": 500_000}, {"item": "تدوین", "amount": 450_003}]
    axe_check(page, "owner payouts and report fa")
    shot(page, "owner-payouts-report-fa")


def test_password_reset_then_log_in_and_log_out(page, site):
    user = verified(UserFactory(username="forgetful"))
    page.goto(f"{site.url}/accounts/login/")
    page.click("a[href$='/accounts/password/reset/']")
    page.fill("#id_email", user.email)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/password/reset/done/$"))
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", message.body).group(0)
    page.goto(re.sub(r"^https?://[^/]+", site.url, link))
    page.fill("#id_password1", "a-new-long-phrase-42")
    page.fill("#id_password2", "a-new-long-phrase-42")
    with page.expect_navigation():
        page.press("#id_password2", "Enter")  # the form's last button is "Cancel"
    assert page.locator("#id_password1").count() == 0  # accepted: allauth moves on to logging in
    axe_check(page, "after password reset")
    user.refresh_from_db()
    assert user.check_password("a-new-long-phrase-42")

    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", "a-new-long-phrase-42")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))
    assert page.locator("nav button", has_text="Log out").is_visible()
    page.locator("nav button", has_text="Log out").click()
    page.wait_for_load_state()
    assert page.locator("nav a[href^='/accounts/login/']").is_visible()
    page.goto(f"{site.url}/me/")
    assert "/accounts/login/" in page.url  # logged out for real


def _tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus, and check the focus can be seen."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            visible = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
                return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }""")
            assert visible, f"no visible focus on {selector}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_a_pledge_made_with_the_keyboard_alone(page, site):
    backer = verified(UserFactory(username="keys"))
    campaign = CampaignFactory(slug="civic", title="Play street", goal=500_000, funding_model="all_or_nothing")
    TierFactory(campaign=campaign, amount=2_500, title="Chalk set")
    page.goto(f"{site.url}/accounts/login/?next=/civic/campaigns/{campaign.pk}/")
    _tab_to(page, "#id_login")
    page.keyboard.type(backer.username)
    _tab_to(page, "#id_password")
    page.keyboard.type("secret")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert f"/civic/campaigns/{campaign.pk}/" in page.url

    page.keyboard.press("Tab")  # the first stop is the skip link, shown when focused
    assert page.evaluate("() => document.activeElement.classList.contains('skip')")
    box = page.locator("a.skip").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    _tab_to(page, f"a.button[href$='/campaigns/{campaign.pk}/pledge/']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _tab_to(page, "input[name=tier]:checked")
    page.keyboard.press("ArrowDown")  # the reward: its amount is filled in
    assert page.evaluate("() => document.activeElement.dataset.amount") == "25.00"
    assert page.input_value("#id_amount") == "25.00"
    _tab_to(page, "#id_amount")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "£25.00" in page.inner_text(".confirm-amount")
    _tab_to(page, "#id_card")
    page.keyboard.type(GOOD_CARD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/pledges/\d+/$"))
    assert page.inner_text(".pledge-status") == "Paid"


def test_persian_demo_content_is_shown_and_shot(page, site):
    from web.demo import demo_load

    demo_load(soon_minutes=60 * 24 * 3)
    to_persian(page, site)
    assert is_rtl(page) and "جشنواره تئاتر خیابانی" in page.inner_text("main")
    shot(page, "demo-arts-home-fa")
    page.click("text=فیلم کوتاه: آخرین کاروانسرا")
    page.wait_for_url(re.compile(r"/arts/campaigns/\d+/$"))
    page.wait_for_load_state()  # the whole page, not what had arrived when the click returned
    assert "بازدید از صحنه فیلم‌برداری" in page.inner_text("main")
    assert JALALI.search(page.inner_text(".deadline"))
    axe_check(page, "demo campaign fa")
    shot(page, "demo-campaign-fa")
    page.goto(f"{site.url}/charity/browse/?sort=ending")
    assert "کتاب برای مدرسه‌ای روستایی" in page.inner_text("main")
    shot(page, "demo-charity-browse-fa")
    page.goto(f"{site.url}/civic/")
    assert "Community garden on Mill Lane" in page.inner_text("main")
