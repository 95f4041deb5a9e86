"""Pictures, the video and the public list of backers in Chromium, in English and Persian: the campaign
page shows the main picture, the gallery in order and a video that loads nothing from its host until the
visitor clicks; a picture survives an error elsewhere on the owner's form; a backer chooses to be named
when pledging and changes it on the receipt. Each page is axe-core clean. Takes the README's screenshots
of a campaign page with pictures (campaign-pictures-en.png, campaign-pictures-fa.png)."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import jdatetime
import pytest
from django.utils import timezone
from PIL import Image

from platforms.models import Category, Platform
from pledges.services import backer_visibility_set
from projects.gallery import campaign_picture_add
from projects.models import Campaign, CampaignPicture
from tests.factories import GOOD_CARD, CampaignFactory, PledgeFactory, TierFactory, UserFactory, area
from tests.web.conftest import verified
from web.demo_media import demo_picture

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

CAMPAIGNS = {
    "en": dict(
        slug="civic",
        category="green-spaces",
        title="Community garden on Mill Lane",
        story="Turn the empty lot on Mill Lane into a community garden, with raised beds, a bench and a tool shed.",
        goal=1_500_000,
        funding_model="all_or_nothing",
        video_url="https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        picture=("community-garden.jpg", "Raised vegetable beds, trees and a bench on Mill Lane"),
        gallery=[("seedlings.jpg", "Seedlings in pots"), ("garden-summer.jpg", "The garden in summer")],
        tier=(2_500, "Seed packet"),
        embed="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        anonymous="Anonymous",
    ),
    "fa": dict(
        slug="arts",
        category="short-film",
        title="فیلم کوتاه: آخرین کاروانسرا",
        story="فیلمی ۱۵ دقیقه‌ای که در کاروانسرایی در دل کویر فیلم‌برداری می‌شود.",
        goal=40_000_000,
        funding_model="threshold",
        video_url="https://vimeo.com/76979871",
        picture=("caravanserai.jpg", "کاروانسرایی آجری در کویر و دوربین فیلم‌برداری"),
        gallery=[("film-set.jpg", "تخته کلاکت زیر نور صحنه"), ("street-theatre.jpg", "صحنه‌ای سرخ در میدان شهر")],
        tier=(15_000, "بلیت سینما"),
        embed="https://player.vimeo.com/video/76979871?dnt=1",
        anonymous="ناشناس",
    ),
}


def log_in(page, site, username):
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))


def in_language(page, site, lang):
    slug = CAMPAIGNS[lang]["slug"]
    page.goto(f"{site.url}/{slug}/")
    if page.evaluate("() => document.documentElement.lang") != lang:
        with page.expect_navigation():
            page.select_option("#language-select", lang)


def campaign_with_pictures(lang, owner=None) -> Campaign:
    spec = CAMPAIGNS[lang]
    owner = owner or UserFactory(first_name="Mina Owner")
    name, alt = spec["picture"]
    campaign = CampaignFactory(
        slug=spec["slug"],
        owner=owner,
        title=spec["title"],
        story=spec["story"],
        goal=spec["goal"],
        funding_model=spec["funding_model"],
        area=area(spec["slug"], "riverside" if lang == "en" else "yazd"),
        category=Category.objects.get(platform__slug=spec["slug"], slug=spec["category"]),
        image=demo_picture(name),
        image_alt=alt,
        video_url=spec["video_url"],
        video_embed=True,
    )
    TierFactory(campaign=campaign, amount=spec["tier"][0], title=spec["tier"][1])
    for picture_name, picture_alt in spec["gallery"]:
        campaign_picture_add(campaign=campaign, user=owner, image=demo_picture(picture_name), alt=picture_alt)
    for first, shown in (("Sara", True), ("Reza", False), ("Tom", True)):
        backer = UserFactory(first_name=f"{first} Backer")
        PledgeFactory(campaign=campaign, backer=backer, amount=spec["tier"][0] * 4)
        backer_visibility_set(campaign_id=campaign.pk, backer=backer, by_name=shown)
    return campaign


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_campaign_page_shows_the_pictures_and_loads_the_video_only_when_asked(page, site, lang):
    spec = CAMPAIGNS[lang]
    campaign = campaign_with_pictures(lang)
    in_language(page, site, lang)
    hosts: list[str] = []
    page.on("request", lambda request: hosts.append(urlsplit(request.url).netloc))
    page.route(re.compile(r"https://(www\.youtube-nocookie\.com|player\.vimeo\.com)/.*"), lambda route: route.abort())
    page.goto(f"{site.url}/{spec['slug']}/campaigns/{campaign.pk}/")
    page.wait_for_load_state("networkidle")
    assert is_rtl(page) == (lang == "fa")
    assert set(hosts) == {urlsplit(site.url).netloc}  # nothing from YouTube or Vimeo on page load
    main = page.locator(f".campaign-image img[alt='{spec['picture'][1]}']").element_handle()
    page.wait_for_function("(el) => el.complete", arg=main)
    assert page.evaluate("(el) => el.naturalWidth", main) == 1200  # served
    alts = page.locator(".gallery-list img").evaluate_all("(els) => els.map((e) => e.alt)")
    assert alts == [alt for _, alt in spec["gallery"]]
    backers = page.inner_text(".public-backers")
    assert "Sara Backer" in backers and "Tom Backer" in backers and spec["anonymous"] in backers
    assert "Reza" not in backers
    axe_check(page, f"campaign with pictures {lang}")
    shot(page, f"campaign-pictures-{lang}")
    page.click(".video-load")
    frame = page.locator("iframe.video-frame")
    assert frame.get_attribute("src").startswith(spec["embed"])
    assert frame.get_attribute("title")


def _deadline_text(lang) -> str:
    when = timezone.localtime(timezone.now() + dt.timedelta(days=40)).replace(hour=18, minute=0)
    if lang == "fa":
        tehran = Platform.objects.get(slug="arts").tz
        local = timezone.localtime(timezone.now() + dt.timedelta(days=40), tehran).replace(tzinfo=None)
        return jdatetime.datetime.fromgregorian(datetime=local).strftime("%Y/%m/%d 18:00").translate(FA)
    return when.strftime("%d/%m/%Y %H:%M")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_chosen_picture_survives_an_error_elsewhere_on_the_owners_forms(page, site, lang, tmp_path):
    spec = CAMPAIGNS[lang]
    owner = verified(UserFactory(username=f"maker-{lang}"))
    log_in(page, site, owner.username)
    in_language(page, site, lang)
    page.goto(f"{site.url}/me/campaigns/new/{spec['slug']}/")
    assert is_rtl(page) == (lang == "fa")
    assert "320" in page.inner_text("#id_image_helptext").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    path = tmp_path / "lot.png"
    Image.new("RGB", (640, 360), (40, 120, 60)).save(path, "PNG")
    page.fill("#id_title", spec["title"])
    page.select_option("#id_category", index=1)
    page.select_option("#id_area", index=1)
    page.fill("#id_story", spec["story"])
    page.fill("#id_deadline", _deadline_text(lang))
    page.select_option("#id_funding_model", spec["funding_model"])
    page.set_input_files("#id_image", str(path))
    page.fill("#id_image_alt", spec["picture"][1])
    page.fill("#id_video_url", spec["video_url"])
    page.locator("main form button[type=submit]").last.click()  # no goal: an error elsewhere
    page.locator("#id_goal_error").wait_for(state="visible")
    kept = page.locator("#id_image_kept")
    assert "lot.png" in kept.inner_text()
    thumb = kept.locator("img").element_handle()
    page.wait_for_function("(el) => el.complete", arg=thumb)  # loaded, not only in the page
    assert page.evaluate("(el) => el.naturalWidth", thumb) == 640
    axe_check(page, f"campaign form with a kept picture {lang}")
    page.fill("#id_goal", "2000000" if lang == "fa" else "1500")
    page.locator("main form button[type=submit]").last.click()  # the file is not chosen again
    page.wait_for_url(re.compile(r"/me/campaigns/\d+/$"))
    campaign = Campaign.objects.get(owner=owner)
    assert campaign.image and campaign.image_alt == spec["picture"][1] and campaign.video_url == spec["video_url"]

    # The gallery's form: a picture without its description is kept too.
    page.set_input_files("#id_gallery-image", str(path))
    page.locator("#gallery-h ~ form button[type=submit]").click()
    page.locator("#id_gallery-alt_error").wait_for(state="visible")
    assert "lot.png" in page.inner_text("#id_gallery-image_kept")
    axe_check(page, f"gallery form with a kept picture {lang}")
    page.fill("#id_gallery-alt", spec["gallery"][0][1])
    page.locator("#gallery-h ~ form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/me/campaigns/\d+/$"))
    assert [p.alt for p in CampaignPicture.objects.filter(campaign=campaign)] == [spec["gallery"][0][1]]
    assert page.locator(f".gallery-owner img[alt='{spec['gallery'][0][1]}']").count() == 1
    axe_check(page, f"owner page with a gallery {lang}")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_a_backer_chooses_to_be_named_then_anonymous(page, site, lang):
    spec = CAMPAIGNS[lang]
    campaign = campaign_with_pictures(lang)
    backer = verified(UserFactory(username=f"giver-{lang}", first_name="Leila Ahmadi"))
    log_in(page, site, backer.username)
    in_language(page, site, lang)
    tier = campaign.tiers.get()
    page.goto(f"{site.url}/{spec['slug']}/campaigns/{campaign.pk}/pledge/?tier={tier.pk}")
    page.locator("main form button[type=submit]").last.click()
    page.locator("#id_show_name").wait_for(state="visible")
    assert not page.is_checked("#id_show_name")  # anonymous unless chosen
    axe_check(page, f"confirm with the backers-list choice {lang}")
    page.check("#id_show_name")
    page.fill("#id_card", GOOD_CARD)
    page.locator("form[data-once] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/pledges/\d+/$"))
    assert is_rtl(page) == (lang == "fa")
    box = page.locator(".backer-visibility")
    assert ("shown by your name" in box.inner_text()) if lang == "en" else ("نام شما" in box.inner_text())
    axe_check(page, f"receipt with the backers-list choice {lang}")
    page.goto(f"{site.url}/{spec['slug']}/campaigns/{campaign.pk}/")
    assert "Leila Ahmadi" in page.inner_text(".public-backers")
    page.go_back()
    with page.expect_navigation():
        box.locator("button").click()
    assert spec["anonymous"] in page.inner_text(".backer-visibility")
    page.goto(f"{site.url}/{spec['slug']}/campaigns/{campaign.pk}/")
    assert "Leila" not in page.inner_text(".public-backers")


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_on_a_phone_the_pictures_video_and_backers_fit_the_screen(browser, site, lang):
    spec = CAMPAIGNS[lang]
    campaign = campaign_with_pictures(lang)
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        in_language(page, site, lang)
        page.goto(f"{site.url}/{spec['slug']}/campaigns/{campaign.pk}/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375  # nothing spills sideways
        for selector in (".campaign-image img", ".gallery-list", ".campaign-video", ".public-backers"):
            box = page.locator(selector).first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 375, selector
        axe_check(page, f"campaign with pictures on a phone {lang}")
    finally:
        context.close()
