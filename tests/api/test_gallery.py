"""The API's gallery upload and video link: the same rules as the owner's page, each refusal in the one
error shape, nothing written."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projects.models import CampaignPicture
from projects.pictures import GALLERY_MAX
from tests.factories import CampaignFactory

from .conftest import assert_error, client_for

pytestmark = pytest.mark.django_db


def picture(size=(640, 360), name="beds.png") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (40, 120, 60)).save(buf, "PNG")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def test_the_owner_adds_gallery_pictures_in_order(as_owner, live):
    for alt in ("Beds", "Bench"):
        answer = as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/", {"image": picture(), "alt": alt})
        assert answer.status_code == 201, answer.json()
    body = as_owner.get(f"/api/v1/campaigns/{live.pk}/").json()
    assert [p["alt"] for p in body["gallery"]] == ["Beds", "Bench"]
    assert [p["position"] for p in body["gallery"]] == [1, 2] and body["gallery"][0]["width"] == 640


@pytest.mark.parametrize(
    "upload, alt, code",
    [
        (SimpleUploadedFile("x.png", b"not a picture", content_type="image/png"), "Beds", "invalid_image"),
        ("small", "Beds", "too_small"),
        ("ok", "", None),
    ],
)
def test_a_wrong_picture_is_refused_and_nothing_written(as_owner, live, upload, alt, code):
    upload = picture((100, 50)) if upload == "small" else picture() if upload == "ok" else upload
    answer = as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/", {"image": upload, "alt": alt})
    assert_error(answer, 400, code)
    assert not CampaignPicture.objects.exists()


def test_a_ninth_picture_is_refused(as_owner, live):
    for i in range(GALLERY_MAX):
        as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/", {"image": picture(), "alt": f"P{i}"})
    answer = as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/", {"image": picture(), "alt": "One more"})
    assert_error(answer, 400, "gallery_full")
    assert CampaignPicture.objects.filter(campaign=live).count() == GALLERY_MAX


def test_another_user_cannot_add_to_a_gallery(as_backer, live):
    answer = as_backer.post(f"/api/v1/campaigns/{live.pk}/gallery/", {"image": picture(), "alt": "Mine"})
    assert answer.status_code in (403, 404)
    assert not CampaignPicture.objects.exists()


def test_a_draft_takes_a_video_link_and_refuses_any_other_address(owner):
    draft = CampaignFactory(slug="presale", owner=owner, status="draft")
    as_owner = client_for(owner)
    bad = as_owner.patch(f"/api/v1/campaigns/{draft.pk}/", {"video_url": "https://evil.example/v/1"}, format="json")
    assert_error(bad, 400, "bad_video")
    draft.refresh_from_db()
    assert draft.video_url == ""
    good = as_owner.patch(
        f"/api/v1/campaigns/{draft.pk}/",
        {"video_url": "https://youtu.be/aqz-KE-bpKQ", "video_embed": True},
        format="json",
    )
    assert good.status_code == 200, good.json()
    assert good.json()["video_url"] == "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
    assert good.json()["video_embed"] is True
    peertube = as_owner.patch(
        f"/api/v1/campaigns/{draft.pk}/",
        {"video_url": "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d", "video_embed": True},
        format="json",
    )
    assert peertube.json()["video_embed"] is False  # a PeerTube video is always a link


def test_the_owner_moves_and_removes_gallery_pictures(as_owner, as_backer, live):
    ids = [
        as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/", {"image": picture(), "alt": alt}).json()["id"]
        for alt in ("First", "Second")
    ]
    moved = as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/{ids[1]}/move/", {"direction": "up"}, format="json")
    assert [p["alt"] for p in moved.json()] == ["Second", "First"]
    bad = as_owner.post(f"/api/v1/campaigns/{live.pk}/gallery/{ids[1]}/move/", {"direction": "left"}, format="json")
    assert_error(bad, 400, field="direction")
    assert as_backer.delete(f"/api/v1/campaigns/{live.pk}/gallery/{ids[0]}/").status_code in (403, 404)
    assert as_owner.delete(f"/api/v1/campaigns/{live.pk}/gallery/{ids[0]}/").status_code == 204
    assert [p.alt for p in CampaignPicture.objects.filter(campaign=live)] == ["Second"]
