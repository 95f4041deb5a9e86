"""Issue 15, delivery: the owner posts delivery updates. An update of a campaign with rewards that ship
can be marked as delivery news: it carries a "Delivery" badge on the campaign's updates timeline, which
can show only those; the API says each update's kind and filters by it; and it is e-mailed to the
backers of the rewards that ship (ordinary news still goes to every backer)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from core.errors import ApplicationError
from pledges.services import pledge_create
from presale.models import ShippingAddress
from projects.models import CampaignStatus, CampaignUpdate, UpdateKind
from projects.services import update_post
from tests.api.conftest import client_for
from tests.factories import CampaignFactory, TierFactory, UserFactory, mail_clear, wallet_top_up
from tests.web.conftest import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipping(presale, owner):
    """A live pre-sale campaign with a reward that ships (one backer) and one that does not (another)."""
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.LIVE)
    ships = TierFactory(campaign=campaign, amount=50_000, ships=True, estimated_delivery=dt.date(2027, 3, 1))
    thanks = TierFactory(campaign=campaign, amount=10_000)
    parcel, thanked = UserFactory(email="parcel@example.org"), UserFactory(email="thanks@example.org")
    for backer, tier in ((parcel, ships), (thanked, thanks)):
        wallet_top_up(backer, currency=campaign.currency, amount=tier.amount, platform_slug="presale")
        pledge = pledge_create(
            campaign_id=campaign.pk, backer=backer, amount=tier.amount, tier_id=tier.pk, source="wallet"
        )
        if tier.ships:
            ShippingAddress.objects.create(
                pledge=pledge, recipient="Sara", address="12 Azadi St", city="Tehran", postal_code="1", country="IR"
            )
    mail_clear()
    return campaign


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_delivery_update_is_emailed_to_the_backers_of_rewards_that_ship(shipping, run_on_commit):
    with run_on_commit():
        update = update_post(
            campaign=shipping, user=shipping.owner, title="Boxes leave Friday", body="Sent by post.", kind="delivery"
        )
    assert update.kind == UpdateKind.DELIVERY and update.mailed
    assert recipients() == ["parcel@example.org"]
    assert "Boxes leave Friday" in mail.outbox[0].subject
    mail_clear()
    with run_on_commit():
        update_post(campaign=shipping, user=shipping.owner, title="Thank you", body="We made it.")
    assert recipients() == ["parcel@example.org", "thanks@example.org"]  # news: every backer


def test_a_campaign_without_rewards_that_ship_posts_no_delivery_update(presale, owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.LIVE)
    TierFactory(campaign=campaign, amount=10_000)
    with pytest.raises(ApplicationError) as refused:
        update_post(campaign=campaign, user=owner, title="Shipped", body="...", kind="delivery")
    assert (refused.value.code, refused.value.field) == ("no_shipped_rewards", "kind")
    with pytest.raises(ApplicationError):
        update_post(campaign=campaign, user=owner, title="Shipped", body="...", kind="gossip")
    assert not CampaignUpdate.objects.exists()


def test_the_timeline_badges_delivery_news_and_can_show_only_those(shipping, client):
    update_post(campaign=shipping, user=shipping.owner, title="Moulds ready", body="...", kind="delivery")
    update_post(campaign=shipping, user=shipping.owner, title="Press coverage", body="...")
    url = f"/presale/campaigns/{shipping.pk}/"
    page = client.get(url).content.decode()
    assert "Moulds ready" in page and "Press coverage" in page
    assert page.count('class="badge delivery"') == 1
    assert "?updates=delivery" in page
    only = client.get(url + "?updates=delivery").content.decode()
    assert "Moulds ready" in only and "Press coverage" not in only


def test_the_timeline_speaks_persian_on_a_persian_platform(shipping, client):
    shipping.platform.language = "fa"
    shipping.platform.save(update_fields=["language"])
    update_post(campaign=shipping, user=shipping.owner, title="Moulds ready", body="...", kind="delivery")
    page = client.get(f"/presale/campaigns/{shipping.pk}/").content.decode()
    assert '<span class="badge delivery">تحویل</span>' in page
    assert "فقط خبرهای تحویل" in page


def test_the_owner_chooses_delivery_on_the_update_form_only_when_rewards_ship(shipping, client, run_on_commit):
    client.force_login(verified(shipping.owner))
    form_page = client.get(f"/me/campaigns/{shipping.pk}/").content.decode()
    assert 'name="kind"' in form_page and 'value="delivery"' in form_page
    with run_on_commit():
        client.post(f"/me/campaigns/{shipping.pk}/updates/", {"title": "Shipped", "body": "...", "kind": "delivery"})
    assert CampaignUpdate.objects.get(campaign=shipping).kind == UpdateKind.DELIVERY
    assert recipients() == ["parcel@example.org"]

    plain = CampaignFactory(slug="presale", owner=shipping.owner, status=CampaignStatus.LIVE)
    assert 'name="kind"' not in client.get(f"/me/campaigns/{plain.pk}/").content.decode()


def test_the_api_says_each_updates_kind_and_filters_by_it(shipping):
    owner = client_for(verified(shipping.owner))
    url = f"/api/v1/campaigns/{shipping.pk}/updates/"
    made = owner.post(url, {"title": "Shipped", "body": "...", "kind": "delivery"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["kind"] == "delivery"
    owner.post(url, {"title": "News", "body": "..."}, format="json")
    anyone = client_for()
    listed = anyone.get(url).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert sorted(row["kind"] for row in rows) == ["delivery", "news"]
    only = anyone.get(url + "?kind=delivery").json()
    rows = only["results"] if isinstance(only, dict) else only
    assert [row["title"] for row in rows] == ["Shipped"]
    assert anyone.get(url + "?kind=").status_code == 400
    assert anyone.get(url + "?kind=gossip").status_code == 400
