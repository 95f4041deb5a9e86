"""A campaign's public list of backers: each backer chooses, when pledging and later on their pledge's
page, to be shown by name or as anonymous (the default); only counting pledges are listed; amounts are
never shown; the page shows twelve and links to all, and its queries do not grow with the backers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.errors import ApplicationError
from pledges.models import BackerVisibility, PledgeStatus
from pledges.services import backer_visibility_set
from tests.api.conftest import client_for
from tests.factories import GOOD_CARD, CampaignFactory, PledgeFactory, UserFactory

pytestmark = pytest.mark.django_db


def named(first, last="Backer"):
    """A backer with a display name (accounts.profile: kept in first_name)."""
    return UserFactory(first_name=f"{first} {last}")


def page_of(client, campaign) -> str:
    return client.get(reverse("campaign", args=[campaign.platform.slug, campaign.pk])).content.decode()


def section(html: str) -> str:
    """The page's list of backers."""
    start = html.index('class="public-backers"')
    return html[start : html.index("</section>", start)]


def test_a_backer_is_anonymous_unless_they_choose_to_be_named(client, civic_campaign):
    ana, ben = named("Ana"), named("Ben")
    PledgeFactory(campaign=civic_campaign, backer=ana, amount=12_345)
    PledgeFactory(campaign=civic_campaign, backer=ben)
    backer_visibility_set(campaign_id=civic_campaign.pk, backer=ben, by_name=True)
    html = page_of(client, civic_campaign)
    shown = section(html)
    assert "<bdi>Ben Backer</bdi>" in shown and "Anonymous" in shown
    assert "Ana" not in html and ana.username not in shown
    assert "123.45" not in shown  # amounts are not shown


def test_only_counting_pledges_put_a_backer_on_the_list(client, civic_campaign):
    for status in (PledgeStatus.CANCELLED, PledgeStatus.DECLINED, PledgeStatus.PENDING, PledgeStatus.REFUNDED):
        backer = named(f"Not{status}")
        PledgeFactory(campaign=civic_campaign, backer=backer, status=status)
        backer_visibility_set(campaign_id=civic_campaign.pk, backer=backer, by_name=True)
    secured = named("Sec")
    PledgeFactory(campaign=civic_campaign, backer=secured, status=PledgeStatus.SECURED)
    backer_visibility_set(campaign_id=civic_campaign.pk, backer=secured, by_name=True)
    html = page_of(client, civic_campaign)
    assert "Sec Backer" in html and "Not" not in section(html)


def test_a_backer_with_two_pledges_is_listed_once(client, civic_campaign):
    ana = named("Ana")
    PledgeFactory.create_batch(2, campaign=civic_campaign, backer=ana)
    backer_visibility_set(campaign_id=civic_campaign.pk, backer=ana, by_name=True)
    assert page_of(client, civic_campaign).count("<bdi>Ana Backer</bdi>") == 1


def test_someone_who_never_pledged_cannot_choose(civic_campaign):
    with pytest.raises(ApplicationError) as refused:
        backer_visibility_set(campaign_id=civic_campaign.pk, backer=UserFactory(), by_name=True)
    assert refused.value.code == "not_a_backer"
    assert not BackerVisibility.objects.exists()


def test_the_backer_chooses_to_be_named_when_pledging(backer_client, site_backer, civic_campaign):
    site_backer.first_name = "Cyrus Moradi"
    site_backer.save()
    url = reverse("pledge", args=["civic", civic_campaign.pk])
    confirm = backer_client.post(url, {"amount": "30", "source": "card"}).content.decode()
    assert 'name="show_name"' in confirm and "Show my name on the campaign" in confirm
    backer_client.post(
        url,
        {"step": "pay", "source": "card", "amount": "30", "request_key": "k1", "card": GOOD_CARD, "show_name": "on"},
    )
    assert "<bdi>Cyrus Moradi</bdi>" in page_of(backer_client, civic_campaign)


def test_leaving_the_box_unticked_keeps_the_backer_anonymous(backer_client, site_backer, civic_campaign):
    url = reverse("pledge", args=["civic", civic_campaign.pk])
    backer_client.post(url, {"step": "pay", "source": "card", "amount": "30", "request_key": "k1", "card": GOOD_CARD})
    html = page_of(backer_client, civic_campaign)
    assert "Anonymous" in html and site_backer.username not in section(html)


def test_the_backer_changes_their_choice_on_the_pledge_page(backer_client, site_backer, civic_campaign):
    pledge = PledgeFactory(campaign=civic_campaign, backer=site_backer)
    receipt = backer_client.get(reverse("pledge-receipt", args=[pledge.pk])).content.decode()
    assert "You are shown as “Anonymous”." in receipt
    backer_client.post(reverse("pledge-visibility", args=[pledge.pk]), {"show_name": "1"})
    receipt = backer_client.get(reverse("pledge-receipt", args=[pledge.pk])).content.decode()
    assert "You are shown by your name." in receipt
    assert site_backer.username in section(page_of(backer_client, civic_campaign))
    backer_client.post(reverse("pledge-visibility", args=[pledge.pk]), {"show_name": "0"})
    assert not BackerVisibility.objects.get().by_name


def test_nobody_changes_another_backers_choice(client, civic_campaign):
    pledge = PledgeFactory(campaign=civic_campaign)
    client.force_login(UserFactory())
    assert client.post(reverse("pledge-visibility", args=[pledge.pk]), {"show_name": "1"}).status_code == 404
    assert not BackerVisibility.objects.exists()


def test_the_page_shows_twelve_backers_and_links_to_all_of_them_a_page_at_a_time(client, civic_campaign):
    for i in range(60):
        backer = named(f"B{i:02d}")
        PledgeFactory(campaign=civic_campaign, backer=backer)
        backer_visibility_set(campaign_id=civic_campaign.pk, backer=backer, by_name=True)
    shown = section(page_of(client, civic_campaign))
    assert shown.count("<bdi>") == 12 and "B59 Backer" in shown  # newest first
    assert "See all 60 backers" in shown
    full = client.get(reverse("campaign-backers", args=["civic", civic_campaign.pk])).content.decode()
    assert full.count("<bdi>B") == 50 and "Page 1 of 2" in full
    second = client.get(reverse("campaign-backers", args=["civic", civic_campaign.pk]) + "?page=2").content.decode()
    assert second.count("<bdi>B") == 10 and "B00 Backer" in second


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["campaign", "campaign-backers"])
def test_query_count_does_not_grow_with_the_backers_shown(client, civic_campaign, page):
    url = reverse(page, args=["civic", civic_campaign.pk])

    def add(n):
        for i in range(n):
            backer = named(f"Q{i}")
            PledgeFactory(campaign=civic_campaign, backer=backer)
            if i % 2:
                backer_visibility_set(campaign_id=civic_campaign.pk, backer=backer, by_name=True)

    add(4)
    few = _queries(client, url)
    add(12)  # 16 backers: a full list of twelve on the page
    many = _queries(client, url)
    assert many == few


# --- the API -----------------------------------------------------------------------------------------


def test_the_api_pledge_takes_the_choice_and_the_backers_endpoint_shows_it(civic_campaign):
    backer = named("Dara")
    as_backer = client_for(backer)
    made = as_backer.post(
        f"/api/v1/campaigns/{civic_campaign.pk}/pledges/",
        {"amount": 3_000, "card": GOOD_CARD, "show_name": True},
        format="json",
    )
    assert made.status_code == 201, made.json()
    quiet = UserFactory()
    client_for(quiet).post(
        f"/api/v1/campaigns/{civic_campaign.pk}/pledges/", {"amount": 3_000, "card": GOOD_CARD}, format="json"
    )
    body = client_for().get(f"/api/v1/campaigns/{civic_campaign.pk}/backers/").json()
    assert body["count"] == 2
    assert [row["name"] for row in body["results"]] == [None, "Dara Backer"]
    assert set(body["results"][0]) == {"name", "since"}  # no amount, no username


def test_a_draft_has_no_public_backers_endpoint(site_owner):
    draft = CampaignFactory(slug="civic", owner=site_owner, status="draft")
    assert client_for().get(f"/api/v1/campaigns/{draft.pk}/backers/").status_code == 404


def test_the_api_campaign_shows_its_pictures_and_video(civic_campaign):
    civic_campaign.video_url = "https://vimeo.com/76979871"
    civic_campaign.save()
    body = client_for().get(f"/api/v1/campaigns/{civic_campaign.pk}/").json()
    assert body["video_url"] == "https://vimeo.com/76979871" and body["video_embed"] is False
    assert body["gallery"] == [] and body["image"] is None
