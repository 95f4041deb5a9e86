"""Stories and updates show only pictures uploaded to the site, with alt text: an external image (a
tracker) becomes a link. Owners upload pictures (alt text required; type and size checked by Pillow,
the file re-encoded) on their campaign's page or through the API, and paste the Markdown it gives."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from projects.models import StoryImage
from tests.factories import CampaignFactory
from web.templatetags.civic import markdown_filter

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def picture(name="bench.png", fmt="PNG", size=(40, 30), tail=b"") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, (11, 92, 74)).save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue() + tail, content_type=f"image/{fmt.lower()}")


def test_external_images_become_links_and_only_uploaded_pictures_with_alt_text_show():
    html = str(
        markdown_filter(
            '![pixel](https://tracker.example/p.gif)\n\n<img src="https://tracker.example/q.gif">\n\n'
            "![](/media/story-images/1/a.png)\n\n![A bench](/media/story-images/1/b.png)\n\n"
            "![evil](/media/story-images/../../etc/x.png)"
        )
    )
    assert "<img" in html and html.count("<img") == 1
    assert '<img src="/media/story-images/1/b.png" alt="A bench"' in html
    assert '<a href="https://tracker.example/p.gif" rel="nofollow noopener">pixel</a>' in html
    assert 'href="https://tracker.example/q.gif"' in html
    assert 'href="/media/story-images/1/a.png"' in html  # no alt text: a link, not an image


def test_an_owner_uploads_a_picture_through_the_api_and_the_story_shows_it(as_owner, owner, client):
    campaign = CampaignFactory(owner=owner)
    response = as_owner.post(
        f"/api/v1/campaigns/{campaign.pk}/images/", {"image": picture(), "alt": "The new bench"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["markdown"] == f"![The new bench]({body['url']})" and body["url"].startswith("/media/story-images/")
    stored = StoryImage.objects.get()
    assert stored.image.name.endswith(".png") and "bench" not in stored.image.name  # named by the site
    with Image.open(stored.image.path) as image:
        assert image.format == "PNG" and image.size == (40, 30)
    campaign.story = f"Look:\n\n{body['markdown']}\n\n![tracker](https://tracker.example/p.gif)"
    campaign.save()
    page = client.get(f"/{campaign.platform.slug}/campaigns/{campaign.pk}/").content.decode()
    assert f'<img src="{body["url"]}" alt="The new bench"' in page
    assert '<img src="https://tracker.example' not in page


@pytest.mark.parametrize(
    "data,code,field",
    [
        ({"alt": ""}, "alt_required", "alt"),
        ({"alt": "A\nB"}, "title_control", "alt"),
        (
            {"image": SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")},
            "invalid_image",
            "image",
        ),
        ({"image": picture("x.bmp", fmt="BMP")}, "invalid_image", "image"),
        ({"image": picture(tail=b"\0" * (5 * 1024 * 1024))}, "too_large", "image"),
    ],
    ids=["no alt", "alt with a newline", "not a picture", "BMP", "over 5 MB"],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(as_owner, owner, data, code, field):
    campaign = CampaignFactory(owner=owner)
    sent = {"image": picture(), "alt": "A bench", **data}
    response = as_owner.post(f"/api/v1/campaigns/{campaign.pk}/images/", sent, format="multipart")
    assert_error(response, 400, code if code != "alt_required" else None, field)
    assert not StoryImage.objects.exists()


def test_only_the_owner_uploads(as_backer, owner):
    campaign = CampaignFactory(owner=owner)
    response = as_backer.post(
        f"/api/v1/campaigns/{campaign.pk}/images/", {"image": picture(), "alt": "A bench"}, format="multipart"
    )
    assert response.status_code in (403, 404)
    assert not StoryImage.objects.exists()


def test_the_owner_uploads_on_the_campaign_page_and_gets_the_markdown_to_paste(client, site_owner):
    campaign = CampaignFactory(owner=site_owner, slug="civic")
    client.force_login(site_owner)
    response = client.post(
        f"/me/campaigns/{campaign.pk}/images/", {"image": picture(), "alt": "The new bench"}, follow=True
    )
    html = response.content.decode()
    image = StoryImage.objects.get()
    assert image.alt == "The new bench" and image.markdown in html
    refused = client.post(f"/me/campaigns/{campaign.pk}/images/", {"image": picture(), "alt": ""})
    assert refused.status_code == 200 and StoryImage.objects.count() == 1
