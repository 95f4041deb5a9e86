"""The owner's draft form: a campaign picture (type, size, alt text) and dates typed in the page's
calendar (Jalali with Persian digits on a Persian page, Gregorian on an English one), converted exactly
to the platform's time zone."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import jdatetime
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from platforms.models import Area, Category
from projects.models import Campaign
from tests.factories import CampaignFactory
from web.forms.campaigns import IMAGE_MAX_BYTES
from web.forms.dates import date_example, local_datetime_parse

pytestmark = pytest.mark.django_db
TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
LONDON = zoneinfo.ZoneInfo("Europe/London")
FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture
def owner_client(client, site_owner):
    client.force_login(site_owner)
    return client


def png(name="mural.png", size=(640, 360), fmt="PNG") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (11, 92, 74)).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


def draft(platform="civic", **over):
    deadline = (timezone.now() + dt.timedelta(days=30)).astimezone(LONDON).strftime("%Y-%m-%dT%H:%M")
    cat = Category.objects.filter(platform__slug=platform).first()
    fm = "threshold" if platform == "arts" else "all_or_nothing"
    return {
        "title": "Pocket park",
        "category": cat.pk,
        "area": Area.objects.filter(platform__slug=platform).first().pk,
        "story": "Trees.",
        "goal": "1500",
        "deadline": deadline,
        "funding_model": fm,
        **over,
    }


def in_persian(client):
    client.post(reverse("set_language"), {"language": "fa", "next": "/"})


# --- pictures -----------------------------------------------------------------------------------


def test_a_picture_is_uploaded_with_its_description_and_shown_on_the_page_and_card(owner_client, client):
    response = owner_client.post(
        reverse("owner-campaign-new", args=["civic"]), draft(image=png(), image_alt="Children planting trees")
    )
    campaign = Campaign.objects.get(title="Pocket park")
    assert response.status_code == 302
    assert campaign.image.name.startswith("campaigns/") and campaign.image_alt == "Children planting trees"
    with Image.open(campaign.image.path) as stored:
        assert stored.size == (640, 360)
    Campaign.objects.filter(pk=campaign.pk).update(status="live")
    page = owner_client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert f'src="{campaign.image.url}" alt="Children planting trees"' in page
    card = owner_client.get("/civic/browse/").content.decode()
    assert f'class="card-image" src="{campaign.image.url}" alt="Children planting trees"' in card
    assert owner_client.get(campaign.image.url).status_code == 200  # served (CIVICFUND_SERVE_MEDIA)


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("virus.png", b"MZ\x90\x00 not a picture", content_type="image/png"),
            "JPEG, PNG, WebP or GIF",
        ),
        (SimpleUploadedFile("story.pdf", b"%PDF-1.4 hello", content_type="application/pdf"), "JPEG, PNG, WebP or GIF"),
        ("tiff", "JPEG, PNG, WebP or GIF"),
        ("huge", "too large"),
    ],
)
def test_a_bad_picture_is_explained_next_to_the_field_and_the_rest_is_kept(owner_client, upload, message):
    if upload == "tiff":
        upload = png("scan.tiff", fmt="TIFF")
    elif upload == "huge":
        upload = SimpleUploadedFile("big.png", png().read() + b"\0" * IMAGE_MAX_BYTES, content_type="image/png")
    html = owner_client.post(
        reverse("owner-campaign-new", args=["civic"]), draft(image=upload, image_alt="x")
    ).content.decode()
    assert 'id="id_image_error"' in html and message in html
    assert 'value="Pocket park"' in html
    assert not Campaign.objects.filter(title="Pocket park").exists()


def test_a_picture_needs_a_description(owner_client):
    html = owner_client.post(reverse("owner-campaign-new", args=["civic"]), draft(image=png())).content.decode()
    assert 'id="id_image_alt_error"' in html and "Describe the picture" in html
    assert not Campaign.objects.exists()


def test_editing_a_draft_replaces_and_clears_the_picture(owner_client, site_owner):
    owner_client.post(reverse("owner-campaign-new", args=["civic"]), draft(image=png(), image_alt="Old lot"))
    campaign = Campaign.objects.get()
    edit = reverse("owner-campaign-edit", args=[campaign.pk])
    form = owner_client.get(edit).content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="image-clear"' in form
    owner_client.post(edit, draft(title="Pocket park 2", image_alt="Old lot"))  # no new file: kept
    campaign.refresh_from_db()
    assert campaign.title == "Pocket park 2" and campaign.image
    owner_client.post(edit, draft(image=png("new.png", (800, 450)), image_alt="The new garden"))
    campaign.refresh_from_db()
    assert campaign.image_alt == "The new garden" and "new" in campaign.image.name
    owner_client.post(edit, draft(**{"image-clear": "on"}))
    campaign.refresh_from_db()
    assert not campaign.image and campaign.image_alt == ""


# --- dates ----------------------------------------------------------------------------------------


def test_jalali_with_persian_digits_is_converted_exactly_to_tehran_time():
    value = local_datetime_parse("۱۴۰۴/۰۵/۲۰ ۱۸:۳۰", TEHRAN, jalali=True)
    assert value == dt.datetime(2025, 8, 11, 15, 0, tzinfo=dt.UTC)  # 18:30 +03:30
    assert local_datetime_parse("1404-12-29", TEHRAN, jalali=True) == dt.datetime(2026, 3, 19, 20, 30, tzinfo=dt.UTC)
    # Esfand 30 exists only in leap years: 1403 is one, 1404 is not.
    assert local_datetime_parse("1403/12/30 00:00", TEHRAN, jalali=True).date() == dt.date(2025, 3, 20)
    with pytest.raises(forms.ValidationError):
        local_datetime_parse("1404/12/30 00:00", TEHRAN, jalali=True)
    # A Gregorian year pasted on a Persian page is read as Gregorian.
    assert local_datetime_parse("2025-08-11 18:30", TEHRAN, jalali=True) == value


def test_english_dates_stay_gregorian_in_the_platform_time_zone():
    assert local_datetime_parse("2025-08-11T18:30", LONDON, jalali=False) == dt.datetime(
        2025, 8, 11, 17, 30, tzinfo=dt.UTC
    )
    # An English page never reads Jalali: 1404/05/20 is the Gregorian year 1404 (refused later as past).
    assert local_datetime_parse("1404/05/20 18:30", LONDON, jalali=False).year == 1404
    for bad in ("tomorrow", "1404/13/01", "2025-02-30", "2025-08-11 25:00"):
        with pytest.raises(forms.ValidationError):
            local_datetime_parse(bad, LONDON, jalali=bad.startswith("1404"))


def test_persian_owner_types_a_jalali_deadline_and_start(owner_client):
    in_persian(owner_client)
    local = timezone.localtime(timezone.now() + dt.timedelta(days=40), TEHRAN).replace(tzinfo=None)
    deadline = jdatetime.datetime.fromgregorian(datetime=local).replace(hour=20, minute=0, second=0, microsecond=0)
    start = deadline - jdatetime.timedelta(days=30)
    fmt = "%Y/%m/%d %H:%M"
    response = owner_client.post(
        reverse("owner-campaign-new", args=["arts"]),
        draft(
            "arts",
            title="فیلم",
            goal="۲٬۰۰۰٬۰۰۰",
            deadline=deadline.strftime(fmt).translate(FA),
            starts_at=start.strftime(fmt).translate(FA),
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(title="فیلم")
    expected = timezone.make_aware(deadline.togregorian(), TEHRAN)
    assert campaign.deadline == expected and campaign.deadline.tzinfo is not None
    assert campaign.starts_at == timezone.make_aware(start.togregorian(), TEHRAN)
    # The edit form shows the same Jalali text back.
    html = owner_client.get(reverse("owner-campaign-edit", args=[campaign.pk])).content.decode()
    assert f'value="{deadline.strftime(fmt).translate(FA)}"' in html
    assert f'placeholder="{date_example(TEHRAN, jalali=True)}"' in html


@pytest.mark.parametrize(
    "typed, message",
    [
        ("۱۴۰۴/۱۳/۰۱ ۱۰:۰۰", "چنین تاریخ یا ساعتی وجود ندارد"),
        ("فردا", "تاریخ و ساعت را مانند"),
        ("۱۳۹۰/۰۱/۰۱ ۱۰:۰۰", "مهلت باید در آینده باشد"),
    ],
)
def test_a_bad_jalali_deadline_is_explained_next_to_the_field_in_persian(owner_client, typed, message):
    in_persian(owner_client)
    html = owner_client.post(
        reverse("owner-campaign-new", args=["arts"]), draft("arts", title="فیلم", deadline=typed)
    ).content.decode()
    assert 'id="id_deadline_error"' in html and message in html
    assert f'value="{typed}"' in html  # kept as typed
    assert not Campaign.objects.filter(title="فیلم").exists()


def test_a_deadline_before_the_start_is_explained(owner_client):
    now = timezone.now().astimezone(LONDON)
    html = owner_client.post(
        reverse("owner-campaign-new", args=["civic"]),
        draft(
            starts_at=(now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
            deadline=(now + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
        ),
    ).content.decode()
    assert 'id="id_deadline_error"' in html and "after the start" in html


def test_an_english_platform_s_dates_are_day_first_as_it_writes_them(owner_client, site_owner):
    """Not the browser's picker, which writes dates in the browser's locale (mm/dd/yyyy in an American
    browser): the civic portal is British, so 01/07/2031 is the 1st of July."""
    html = owner_client.get(reverse("owner-campaign-new", args=["civic"])).content.decode()
    assert 'type="text" name="deadline"' in html and 'type="datetime-local"' not in html
    campaign = CampaignFactory(
        slug="civic", owner=site_owner, status="draft", deadline=dt.datetime(2031, 7, 1, 11, 0, tzinfo=dt.UTC)
    )
    html = owner_client.get(reverse("owner-campaign-edit", args=[campaign.pk])).content.decode()
    assert 'value="01/07/2031 12:00"' in html  # London summer time
    assert local_datetime_parse("01/07/2031 12:00", LONDON, jalali=False) == dt.datetime(
        2031, 7, 1, 11, 0, tzinfo=dt.UTC
    )
    assert local_datetime_parse("07/01/2031 12:00", LONDON, jalali=False, month_first=True).month == 7


def test_a_draft_whose_start_has_passed_shows_an_empty_start_as_soon_as_approved(owner_client, site_owner):
    import re

    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")  # started yesterday, as made
    html = owner_client.get(reverse("owner-campaign-edit", args=[draft.pk])).content.decode()
    start = re.search(r'<input[^>]*name="starts_at"[^>]*>', html).group(0)
    assert "value=" not in start


def test_a_london_deadline_in_the_hour_the_clocks_skip_is_refused_and_one_they_repeat_is_explained(owner_client):
    from tests.api.test_campaigns import london_clock_change

    spring, autumn = london_clock_change(3), london_clock_change(10)
    refused = owner_client.post(reverse("owner-campaign-new", args=["civic"]), draft(deadline=f"{spring}T01:30"))
    assert refused.status_code == 200 and not Campaign.objects.exists()
    assert (
        f"There is no 01:30 on {spring} in Europe/London: the clocks go forward then. Choose another time, "
        "such as 02:30."
    ) in refused.content.decode()

    saved = owner_client.post(
        reverse("owner-campaign-new", args=["civic"]), draft(deadline=f"{autumn}T01:30"), follow=True
    )
    campaign = Campaign.objects.get()
    assert campaign.deadline == dt.datetime(autumn.year, autumn.month, autumn.day, 0, 30, tzinfo=dt.UTC)
    assert (
        f"Deadline: 01:30 on {autumn} happens twice in Europe/London, as the clocks go back: it was taken "
        "as the first (BST, UTC+01:00), not the second (GMT, UTC+00:00)."
    ) in saved.content.decode()


# --- areas ----------------------------------------------------------------------------------------


def test_the_owner_chooses_the_campaigns_province_from_the_platforms_list_in_persian(owner_client):
    in_persian(owner_client)
    html = owner_client.get(reverse("owner-campaign-new", args=["arts"])).content.decode()
    assert '<label for="id_area">استان' in html and ">سیستان و بلوچستان</option>" in html
    missing = owner_client.post(reverse("owner-campaign-new", args=["arts"]), draft("arts", area=""))
    assert missing.status_code == 200 and not Campaign.objects.exists()
    assert "id_area_error" in missing.content.decode()
    yazd = Area.objects.get(platform__slug="arts", slug="yazd")
    wrong = Area.objects.get(platform__slug="civic", slug="riverside")
    refused = owner_client.post(reverse("owner-campaign-new", args=["arts"]), draft("arts", area=wrong.pk))
    assert refused.status_code == 200 and not Campaign.objects.exists()
    saved = owner_client.post(reverse("owner-campaign-new", args=["arts"]), draft("arts", area=yazd.pk))
    assert saved.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.area == yazd
    page = owner_client.get(reverse("campaign", args=["arts", campaign.pk]))
    assert page.status_code == 404  # a draft; its card on the owner's page names the area
    campaign.status = "live"
    campaign.save()
    assert "· یزد ·" in owner_client.get(reverse("campaign", args=["arts", campaign.pk])).content.decode()


def test_date_examples_show_this_year_in_the_platform_s_calendar(owner_client):
    """Computed from today, so they never go stale (the walkthrough found 2025 and 1404 a year on)."""
    today = timezone.localtime(timezone.now(), LONDON)
    html = owner_client.get(reverse("owner-campaign-new", args=["civic"])).content.decode()
    assert f"{today:%d/%m/%Y} 18:00" in html and "2025-08-11" not in html
    jalali_year = jdatetime.date.fromgregorian(date=timezone.localtime(timezone.now(), TEHRAN).date()).year
    assert str(jalali_year) == date_example(TEHRAN, jalali=True)[:4].translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
    )
