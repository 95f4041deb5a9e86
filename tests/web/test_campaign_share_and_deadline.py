"""A campaign page's sharing (Open Graph and Twitter card tags with absolute addresses, share links, a
QR code and a printable poster) and its deadline: a live countdown while it takes pledges; past the
deadline, before the close job has run, no "Back this campaign", no reward button and no pledge form."""

from __future__ import annotations

import datetime as dt
import io
import re
from html import unescape
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from pledges.models import Pledge
from projects.models import Campaign, CampaignStatus
from tests.factories import GOOD_CARD, CampaignFactory, TierFactory

pytestmark = pytest.mark.django_db


def meta(html: str, key: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert found, f"no {key}"
    return unescape(found.group(1))


def png() -> ContentFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 18), (20, 120, 90)).save(out, "PNG")
    return ContentFile(out.getvalue(), name="garden.png")


def test_a_campaign_page_has_open_graph_and_twitter_tags_with_absolute_addresses(client):
    campaign = CampaignFactory(
        slug="civic", title="Community garden", story="Turn the **empty lot** into a garden.\n\nWith benches."
    )
    campaign.image.save("garden.png", png())
    html = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    url = f"http://testserver/civic/campaigns/{campaign.pk}/"
    assert meta(html, "og:title") == "Community garden" == meta(html, "twitter:title")
    assert meta(html, "og:description") == "Turn the empty lot into a garden. With benches."
    assert meta(html, "og:url") == url and f'<link rel="canonical" href="{url}">' in html
    assert re.fullmatch(r"http://testserver/media/campaigns/\d{4}/\d{2}/garden\w*\.png", meta(html, "og:image"))
    assert meta(html, "twitter:card") == "summary_large_image"


def test_a_campaign_without_a_picture_gets_a_small_card(client):
    campaign = CampaignFactory(slug="civic")
    html = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert meta(html, "twitter:card") == "summary" and 'property="og:image"' not in html


def test_the_share_links_are_plain_links_to_each_network_with_the_campaigns_address(client):
    campaign = CampaignFactory(slug="civic", title="Garden & benches")
    html = unescape(client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode())
    address = f"http%3A%2F%2Ftestserver%2Fcivic%2Fcampaigns%2F{campaign.pk}%2F"
    for start in (
        "mailto:?subject=Garden%20%26%20benches&body=",
        "https://twitter.com/intent/tweet?text=Garden+%26+benches&url=",
        "https://www.facebook.com/sharer/sharer.php?u=",
        "https://wa.me/?text=Garden+%26+benches+",
        "https://t.me/share/url?url=",
    ):
        assert re.search(re.escape(start) + r"[^\"]*" + re.escape(address), html), start
    assert '<script src="http' not in html  # no network's script


def test_the_qr_code_is_an_svg_of_the_campaigns_address_and_the_poster_shows_it(client):
    campaign = CampaignFactory(slug="civic", title="Garden")
    svg = client.get(reverse("campaign-qr", args=["civic", campaign.pk]))
    assert svg["Content-Type"] == "image/svg+xml" and svg.content.startswith(b"<?xml")
    assert b"<svg" in svg.content and b"<title>Garden</title>" in svg.content
    download = client.get(reverse("campaign-qr", args=["civic", campaign.pk]) + "?download=1")
    assert download["Content-Disposition"] == f'attachment; filename="campaign-{campaign.pk}-qr.svg"'
    poster = client.get(reverse("campaign-poster", args=["civic", campaign.pk])).content.decode()
    assert f'src="/civic/campaigns/{campaign.pk}/qr.svg"' in poster
    assert f"http://testserver/civic/campaigns/{campaign.pk}/" in poster and "£10,000.00" in poster


def test_a_draft_has_no_qr_code_nor_poster(client):
    draft = CampaignFactory(slug="civic", status=CampaignStatus.DRAFT)
    assert client.get(reverse("campaign-qr", args=["civic", draft.pk])).status_code == 404
    assert client.get(reverse("campaign-poster", args=["civic", draft.pk])).status_code == 404


def test_the_qr_code_encodes_the_campaigns_absolute_address(client):
    campaign = CampaignFactory(slug="civic", title="Garden")
    with mock.patch("web.views.share.campaign_qr_svg", return_value=b"<svg/>") as draw:
        client.get(reverse("campaign-qr", args=["civic", campaign.pk]))
    draw.assert_called_once_with(f"http://testserver/civic/campaigns/{campaign.pk}/", title="Garden")


def test_a_live_campaign_page_renders_its_countdown_for_the_script(client):
    deadline = timezone.now() + dt.timedelta(days=2, hours=3)
    campaign = CampaignFactory(slug="civic", deadline=deadline)
    html = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert re.search(r'class="countdown" data-deadline="[^"]+"', html)
    assert ">2 days left</span>" in html
    assert 'data-days="{d} days and {hms} left"' in html
    assert "js/front.js" in html


def test_the_persian_countdown_is_in_persian(client):
    campaign = CampaignFactory(slug="arts", deadline=timezone.now() + dt.timedelta(days=5, hours=1))
    html = client.get(reverse("campaign", args=["arts", campaign.pk]), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "۵ روز" in html and "{hms}" in html and 'lang="fa"' in html


@pytest.fixture
def past_deadline(site_owner):
    """Live, its deadline passed a minute ago, the close job not yet run."""
    now = timezone.now()
    campaign = CampaignFactory(
        slug="civic", owner=site_owner, starts_at=now - dt.timedelta(days=10), deadline=now - dt.timedelta(minutes=1)
    )
    TierFactory(campaign=campaign, amount=2_500, title="Seed packet")
    assert campaign.status == CampaignStatus.LIVE
    return campaign


def test_past_the_deadline_the_page_offers_no_button_and_says_when_it_closed(backer_client, past_deadline):
    html = backer_client.get(reverse("campaign", args=["civic", past_deadline.pk])).content.decode()
    assert "Back this campaign" not in html and "Choose this reward" not in html
    assert "?tier=" not in html and "data-deadline" not in html
    assert "This campaign closed on" in html and "ended: no more pledges" in html
    assert '<p class="closed-note">' in html  # shown, not hidden


@pytest.mark.parametrize("method", ["get", "post"])
def test_past_the_deadline_the_pledge_page_says_it_closed_without_a_form(backer_client, past_deadline, method):
    url = reverse("pledge", args=["civic", past_deadline.pk])
    data = {"step": "review", "amount": "25", "source": "card"} if method == "post" else None
    response = getattr(backer_client, method)(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This campaign closed on" in html and "<form" not in html.split("<main", 1)[1]
    assert Pledge.objects.filter(campaign=past_deadline).count() == 0


def test_past_the_deadline_a_pay_step_writes_nothing(backer_client, past_deadline):
    url = reverse("pledge", args=["civic", past_deadline.pk])
    data = {"step": "pay", "amount": "25", "source": "card", "card": GOOD_CARD, "request_key": "k" * 32}
    html = backer_client.post(url, data).content.decode()
    assert "This campaign closed on" in html
    assert Pledge.objects.filter(campaign=past_deadline).count() == 0


def test_past_the_deadline_the_api_refuses_a_pledge(site_backer, past_deadline):
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=site_backer)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.post(
        f"/api/v1/campaigns/{past_deadline.pk}/pledges/", {"amount": 2_500, "card": GOOD_CARD}, format="json"
    )
    assert response.status_code == 422 and response.json()["code"] == "campaign_closed"
    assert Pledge.objects.filter(campaign=past_deadline).count() == 0


@pytest.mark.parametrize(
    ("status", "starts", "ends", "expected"),
    [
        ("live", -1, 1, True),
        ("live", -2, -1, False),
        ("live", 1, 2, False),
        ("succeeded", -2, 1, False),
        ("draft", -1, 1, False),
    ],
)
def test_the_list_filter_agrees_with_accepts_pledges(status, starts, ends, expected):
    now = timezone.now()
    campaign = CampaignFactory(
        slug="civic", status=status, starts_at=now + dt.timedelta(days=starts), deadline=now + dt.timedelta(days=ends)
    )
    assert campaign.accepts_pledges(now) is expected
    assert Campaign.objects.filter(Campaign.accepting_pledges_q(now), pk=campaign.pk).exists() is expected
