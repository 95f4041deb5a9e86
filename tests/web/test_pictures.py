"""A campaign's pictures: owners are told the sizes and a wrong picture is refused with a clear error
and nothing written; the gallery is ordered, each picture with its alt text, at most 8; one video
link, accepted only from YouTube, Vimeo or PeerTube, a link or a click-to-load player; a picture chosen
on a form that came back with an error elsewhere is kept and need not be chosen again."""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.errors import ApplicationError
from platforms.models import Area, Category
from projects.gallery import campaign_picture_add, campaign_picture_move, pending_picture_keep
from projects.models import Campaign, CampaignPicture, PendingPicture
from projects.pictures import EMBED_ORIGINS, GALLERY_MAX, video_parse
from projects.tasks import clear_kept_pictures
from tests.accounts.test_production import HEADERS_PROBE, SECRETS, compose_env, run_django
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def picture(name="bench.png", size=(640, 360), fmt="PNG", color=(11, 92, 74)) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type=f"image/{fmt.lower()}")


@pytest.fixture
def owner_client(client, site_owner):
    client.force_login(site_owner)
    return client


@pytest.fixture
def draft(site_owner):
    return CampaignFactory(slug="civic", owner=site_owner, title="Pocket park", status="draft")


def form_data(**over):
    deadline = (timezone.now() + dt.timedelta(days=30)).astimezone(LONDON).strftime("%d/%m/%Y %H:%M")
    return {
        "title": "Pocket park",
        "category": Category.objects.filter(platform__slug="civic").first().pk,
        "area": Area.objects.filter(platform__slug="civic").first().pk,
        "story": "Trees.",
        "goal": "1500",
        "deadline": deadline,
        "funding_model": "all_or_nothing",
        **over,
    }


# --- the rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, provider, embed",
    [
        (
            "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ",
        ),
        ("https://youtu.be/aqz-KE-bpKQ", "youtube", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://m.youtube.com/shorts/aqz-KE-bpKQ", "youtube", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        ("https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "peertube", ""),
        ("https://peertube.example.org/videos/watch/abc123def", "peertube", ""),
    ],
)
def test_a_youtube_vimeo_or_peertube_address_is_accepted_and_only_the_first_two_embed(url, provider, embed):
    video = video_parse(url)
    assert (video.provider, video.embed_url) == (provider, embed)
    assert video.url.startswith("https://")


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=short",
        "https://evil.example/watch?v=aqz-KE-bpKQ",
        "javascript:alert(1)",
        "https://www.youtube.com.evil.example/watch?v=aqz-KE-bpKQ",
        "https://user:pw@www.youtube.com/watch?v=aqz-KE-bpKQ",
        "https://vimeo.com/not-a-number",
        "ftp://vimeo.com/76979871",
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ extra",
        "",
    ],
)
def test_any_other_video_address_is_refused_with_a_clear_error(url):
    with pytest.raises(ApplicationError) as refused:
        video_parse(url)
    assert refused.value.field == "video_url" and "YouTube, Vimeo or PeerTube" in refused.value.message


def test_the_gallery_keeps_its_order_and_refuses_a_ninth_picture(draft, site_owner):
    for i in range(GALLERY_MAX):
        campaign_picture_add(campaign=draft, user=site_owner, image=picture(f"p{i}.png"), alt=f"Picture {i}")
    with pytest.raises(ApplicationError) as refused:
        campaign_picture_add(campaign=draft, user=site_owner, image=picture(), alt="One too many")
    assert refused.value.code == "gallery_full"
    assert CampaignPicture.objects.filter(campaign=draft).count() == GALLERY_MAX
    last = draft.gallery.last()
    campaign_picture_move(picture=last, user=site_owner, step=-1)
    assert [p.alt for p in draft.gallery.all()][-2:] == ["Picture 7", "Picture 6"]
    first = draft.gallery.first()
    campaign_picture_move(picture=first, user=site_owner, step=-1)  # already first: stays
    assert draft.gallery.first().pk == first.pk


@pytest.mark.parametrize(
    "upload, alt, code",
    [
        (
            SimpleUploadedFile("x.png", b"MZ\x90\x00 not a picture", content_type="image/png"),
            "A bench",
            "invalid_image",
        ),
        ("small", "A bench", "too_small"),
        ("wide", "A bench", "too_wide"),
        ("big", "A bench", "too_large"),
        ("ok", "", "alt_required"),
        ("ok", "two\nlines", "title_control"),
    ],
)
def test_a_wrong_gallery_picture_is_refused_and_nothing_is_written(draft, site_owner, upload, alt, code):
    if upload == "small":
        upload = picture(size=(200, 120))
    elif upload == "wide":
        upload = picture(size=(8100, 300), fmt="PNG")
    elif upload == "big":
        upload = SimpleUploadedFile("big.png", picture().read() + b"\0" * (5 * 1024 * 1024), content_type="image/png")
    elif upload == "ok":
        upload = picture()
    with pytest.raises(ApplicationError) as refused:
        campaign_picture_add(campaign=draft, user=site_owner, image=upload, alt=alt)
    assert refused.value.code == code
    assert not CampaignPicture.objects.exists()


def test_only_the_owner_adds_to_the_gallery(draft):
    with pytest.raises(ApplicationError):
        campaign_picture_add(campaign=draft, user=UserFactory(), image=picture(), alt="A bench")
    assert not CampaignPicture.objects.exists()


# --- the owner's forms ------------------------------------------------------------------------------


def test_the_campaign_form_tells_the_accepted_sizes_and_types(owner_client):
    html = owner_client.get(reverse("owner-campaign-new", args=["civic"])).content.decode()
    assert "at least 320 × 180 pixels, at most 8000 pixels on a side and 5 MB" in html
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in html
    assert "YouTube, Vimeo or a PeerTube server" in html


def test_a_too_small_main_picture_is_refused_beside_its_field(owner_client):
    html = owner_client.post(
        reverse("owner-campaign-new", args=["civic"]), form_data(image=picture(size=(100, 60)), image_alt="x")
    ).content.decode()
    assert 'id="id_image_error"' in html and "too small: at least 320 × 180 pixels" in html
    assert not Campaign.objects.exists() and not PendingPicture.objects.exists()  # a refused picture is not kept


def test_a_bad_video_address_is_refused_beside_its_field_and_nothing_written(owner_client):
    html = owner_client.post(
        reverse("owner-campaign-new", args=["civic"]), form_data(video_url="https://evil.example/v/1")
    ).content.decode()
    assert 'id="id_video_url_error"' in html and "YouTube, Vimeo or PeerTube" in html
    assert not Campaign.objects.exists()


def test_a_picture_survives_an_error_elsewhere_on_the_form(owner_client, site_owner):
    url = reverse("owner-campaign-new", args=["civic"])
    html = owner_client.post(
        url, form_data(goal="", image=picture("mill-lane.png"), image_alt="The lot on Mill Lane")
    ).content.decode()
    assert 'id="id_goal_error"' in html
    assert not Campaign.objects.exists()
    kept = PendingPicture.objects.get(user=site_owner)
    assert "Kept: <bdi>mill-lane.png</bdi>" in html
    token = re.search(r'name="image_kept" value="([^"]+)"', html).group(1)
    assert token == kept.token
    # Sent again without choosing the file: the kept picture is the campaign's.
    response = owner_client.post(url, form_data(image_kept=token, image_alt="The lot on Mill Lane"))
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    with Image.open(campaign.image.path) as stored:
        assert stored.size == (640, 360)
    assert not PendingPicture.objects.exists()  # taken


def test_another_users_kept_picture_is_never_used(owner_client, site_owner):
    stranger = UserFactory()
    theirs = pending_picture_keep(user=stranger, upload=picture("secret.png"))
    owner_client.post(
        reverse("owner-campaign-new", args=["civic"]), form_data(image_kept=theirs.token, image_alt="Mine?")
    )
    assert not Campaign.objects.get().image
    assert PendingPicture.objects.filter(pk=theirs.pk).exists()


def test_a_gallery_picture_survives_a_missing_description(owner_client, draft, site_owner):
    url = reverse("owner-gallery-add", args=[draft.pk])
    html = owner_client.post(url, {"gallery-image": picture("beds.png"), "gallery-alt": ""}).content.decode()
    assert 'id="id_gallery-alt_error"' in html
    assert not CampaignPicture.objects.exists()
    token = re.search(r'name="gallery-image_kept" value="([^"]+)"', html).group(1)
    response = owner_client.post(url, {"gallery-image_kept": token, "gallery-alt": "Raised beds"})
    assert response.status_code == 302
    assert [p.alt for p in draft.gallery.all()] == ["Raised beds"]


def test_the_owner_removes_and_reorders_gallery_pictures(owner_client, draft, site_owner):
    for alt in ("First", "Second"):
        campaign_picture_add(campaign=draft, user=site_owner, image=picture(), alt=alt)
    second = draft.gallery.get(alt="Second")
    owner_client.post(reverse("owner-gallery-move", args=[draft.pk, second.pk]), {"direction": "up"})
    assert [p.alt for p in draft.gallery.all()] == ["Second", "First"]
    owner_client.post(reverse("owner-gallery-remove", args=[draft.pk, second.pk]))
    assert [p.alt for p in draft.gallery.all()] == ["First"]


def test_another_owner_cannot_touch_a_gallery(client, draft, site_owner):
    pic = campaign_picture_add(campaign=draft, user=site_owner, image=picture(), alt="Mine")
    client.force_login(UserFactory())
    assert client.post(reverse("owner-gallery-remove", args=[draft.pk, pic.pk])).status_code == 404
    assert CampaignPicture.objects.filter(pk=pic.pk).exists()


# --- the campaign's page ----------------------------------------------------------------------------


def test_the_page_shows_the_gallery_in_order_and_a_click_to_load_video(client, site_owner):
    campaign = CampaignFactory(
        slug="civic", owner=site_owner, video_url="https://www.youtube.com/watch?v=aqz-KE-bpKQ", video_embed=True
    )
    for alt in ("Beds", "Bench"):
        campaign_picture_add(campaign=campaign, user=site_owner, image=picture(), alt=alt)
    html = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert html.index('alt="Beds"') < html.index('alt="Bench"')
    assert 'data-embed="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in html
    assert "<iframe" not in html  # nothing from YouTube until the visitor clicks
    assert "Click to load the video" in html


def test_a_video_not_embedded_is_a_plain_link(client, site_owner):
    campaign = CampaignFactory(slug="civic", owner=site_owner, video_url="https://vimeo.com/76979871")
    html = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert 'href="https://vimeo.com/76979871"' in html and "Watch the campaign's video on Vimeo" in html
    assert "data-embed" not in html


def test_production_csp_frames_only_stripe_and_the_two_privacy_respecting_players():
    result = run_django(compose_env(**SECRETS), code=HEADERS_PROBE)
    assert result.returncode == 0, result.stderr
    csp = next(line for line in result.stdout.splitlines() if line.startswith("csp "))
    frames = re.search(r"frame-src ([^;]+)", csp).group(1).split()
    assert set(frames) == {"https://js.stripe.com", "https://hooks.stripe.com", *EMBED_ORIGINS}


def test_staff_see_gallery_pictures_and_backers_choices_in_the_admin(client, site_staff, draft, site_owner):
    campaign_picture_add(campaign=draft, user=site_owner, image=picture(), alt="Raised beds")
    client.force_login(site_staff)
    assert "Raised beds" in client.get(reverse("admin:projects_campaignpicture_changelist")).content.decode()
    assert client.get(reverse("admin:pledges_backervisibility_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_campaignpicture_add")).status_code == 403


def test_a_kept_picture_is_cleared_after_a_day_by_the_beat_job(
    site_owner, settings, django_capture_on_commit_callbacks
):
    old = pending_picture_keep(user=site_owner, upload=picture("old.png"))
    fresh = pending_picture_keep(user=site_owner, upload=picture("fresh.png"))
    PendingPicture.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    storage, name = old.image.storage, old.image.name
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the deletion commits
        assert clear_kept_pictures() == 1
    assert list(PendingPicture.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not storage.exists(name)
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "projects.tasks.clear_kept_pictures" in schedule


def test_editing_a_draft_keeps_a_new_picture_across_an_error(owner_client, draft):
    edit = reverse("owner-campaign-edit", args=[draft.pk])
    html = owner_client.post(edit, form_data(goal="", image=picture("new.png"), image_alt="New")).content.decode()
    token = re.search(r'name="image_kept" value="([^"]+)"', html).group(1)
    assert owner_client.post(edit, form_data(image_kept=token, image_alt="New")).status_code == 302
    draft.refresh_from_db()
    assert draft.image and draft.image_alt == "New"
