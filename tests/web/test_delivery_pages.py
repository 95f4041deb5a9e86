"""Issue 15, delivery on the site: a reward that ships asks for an address at the confirm step; the
campaign page shows the delivery counts and lateness; the owner ships one by one or by CSV and downloads
the addresses (nobody else can); the backer confirms receipt or reports a problem on the pledge page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pledges.models import Pledge, PledgeStatus
from presale.models import Delivery, DeliveryStatus, ShippingAddress
from projects.models import CampaignStatus
from tests.factories import GOOD_CARD, CampaignFactory, PledgeFactory, TierFactory, UserFactory
from web.templatetags.civic import delivery_month

pytestmark = pytest.mark.django_db

ADDRESS = {
    "ship-recipient": "Sara Ahmadi",
    "ship-address": "No. 12, Azadi St.",
    "ship-city": "Tehran",
    "ship-region": "Tehran",
    "ship-postal_code": "1234567890",
    "ship-country": "IR",
    "ship-phone": "",
}


@pytest.fixture
def lamp(site_owner):
    campaign = CampaignFactory(slug="presale", owner=site_owner, title="Smart lamp")
    return TierFactory(
        campaign=campaign, amount=15_000, title="One lamp", ships=True, estimated_delivery=dt.date(2027, 3, 1)
    )


def pay(client, tier, **data):
    url = reverse("pledge", args=[tier.campaign.platform.slug, tier.campaign.pk])
    body = {"step": "pay", "source": "card", "request_key": "k1", "tier": str(tier.pk), "amount": "15000"}
    return client.post(url, {**body, "card": GOOD_CARD, **data})


def test_the_confirm_step_of_a_shipped_reward_asks_for_the_address(backer_client, lamp):
    url = reverse("pledge", args=[lamp.campaign.platform.slug, lamp.campaign.pk])
    html = backer_client.post(url, {"step": "review", "source": "card", "tier": str(lamp.pk), "amount": "15000"})
    assert 'name="ship-postal_code"' in html.content.decode()


def test_paying_without_an_address_is_refused_and_nothing_is_pledged(backer_client, lamp):
    response = pay(backer_client, lamp, **{**ADDRESS, "ship-city": ""})
    assert response.status_code == 200
    assert 'name="ship-city"' in response.content.decode()
    assert not Pledge.objects.exists()


def test_paying_with_an_address_keeps_it_with_the_pledge(backer_client, lamp):
    response = pay(backer_client, lamp, **ADDRESS)
    pledge = Pledge.objects.get()
    assert response.status_code == 302 and pledge.status == PledgeStatus.PAID
    assert ShippingAddress.objects.get(pledge=pledge).postal_code == "1234567890"


def funded_with_rewards(owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUCCEEDED, title="Smart lamp")
    tier = TierFactory(campaign=campaign, ships=True, estimated_delivery=dt.date(2020, 3, 1), title="One lamp")
    pledges = [PledgeFactory(campaign=campaign, tier=tier) for _ in range(3)]
    for p in pledges:
        ShippingAddress.objects.create(
            pledge=p, recipient="Sara", address="No. 12", city="Tehran", postal_code="1234567890", country="IR"
        )
    return campaign, pledges


def test_the_campaign_page_shows_the_counts_and_that_delivery_is_late(client, site_owner):
    campaign, pledges = funded_with_rewards(site_owner)
    Delivery.objects.create(pledge=pledges[0], campaign=campaign, status="delivered", confirmed_at=pledges[0].paid_at)
    html = client.get(reverse("campaign", args=["presale", campaign.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "delivery-summary" in html and "delivery-late" in html
    assert "1234567890" not in html  # addresses are never public


def test_the_owner_ships_one_reward_and_by_csv_with_errors_per_line(client, site_owner):
    campaign, pledges = funded_with_rewards(site_owner)
    client.force_login(site_owner)
    page = client.get(reverse("owner-deliveries", args=[campaign.pk]))
    assert page.status_code == 200 and "1234567890" in page.content.decode()
    client.post(
        reverse("owner-delivery-ship", args=[campaign.pk]), {"pledge": pledges[0].pk, "tracking_reference": "T-0"}
    )
    assert Delivery.objects.get(pledge=pledges[0]).status == DeliveryStatus.SHIPPED
    bad = SimpleUploadedFile("ship.csv", f"{pledges[1].pk},T-1\nnope,T-2\n".encode(), content_type="text/csv")
    html = client.post(reverse("owner-delivery-csv", args=[campaign.pk]), {"file": bad}).content.decode()
    assert 'class="errors csv-errors"' in html and "سطر ۲" in html  # line 2 is bad; the page is Persian
    assert not Delivery.objects.filter(pledge=pledges[1]).exists()
    good = SimpleUploadedFile(
        "ship.csv", f"{pledges[1].pk},T-1\n{pledges[2].pk},T-2\n".encode(), content_type="text/csv"
    )
    assert client.post(reverse("owner-delivery-csv", args=[campaign.pk]), {"file": good}).status_code == 302
    assert Delivery.objects.filter(status=DeliveryStatus.SHIPPED).count() == 3


def test_the_addresses_export_is_for_the_owner_only(client, site_owner):
    campaign, pledges = funded_with_rewards(site_owner)
    url = reverse("owner-addresses-csv", args=[campaign.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(site_owner)
    body = client.get(url).content.decode()
    assert body.count("1234567890") == 3 and "pledge_id" in body


def test_the_backer_confirms_receipt_or_reports_a_problem_on_the_pledge_page(client, site_owner):
    campaign, pledges = funded_with_rewards(site_owner)
    backer = pledges[0].backer
    client.force_login(backer)
    receipt = client.get(reverse("pledge-receipt", args=[pledges[0].pk])).content.decode()
    assert "receipt-delivery" in receipt
    client.post(reverse("pledge-delivery", args=[pledges[0].pk]), {"action": "problem", "problem": "Not arrived"})
    assert Delivery.objects.get(pledge=pledges[0]).status == DeliveryStatus.PROBLEM
    client.post(reverse("pledge-delivery", args=[pledges[0].pk]), {"action": "confirm"})
    assert Delivery.objects.get(pledge=pledges[0]).status == DeliveryStatus.DELIVERED
    # Someone else's pledge does not exist for them.
    assert client.post(reverse("pledge-delivery", args=[pledges[1].pk]), {"action": "confirm"}).status_code == 404


def test_the_estimated_month_is_said_in_english_and_as_a_jalali_last_day_in_persian(client, lamp):
    url = reverse("campaign", args=["presale", lamp.campaign.pk])
    fa = client.get(url).content.decode()
    # March 2027 ends on 31 March 2027 = 11 Farvardin 1406.
    assert "تا ۱۱ فروردین ۱۴۰۶" in fa
    with translation.override("en"):
        assert delivery_month(dt.date(2027, 3, 1)) == "March 2027"


def test_the_owner_adds_a_reward_that_ships_with_its_month(client, site_owner):
    draft = CampaignFactory(slug="presale", owner=site_owner, status=CampaignStatus.DRAFT, goal=30_000_000)
    client.force_login(site_owner)
    url = reverse("owner-tier-add", args=[draft.pk])
    client.post(url, {"title": "Lamp", "amount": "1500000", "ships": "on", "estimated_delivery": ""})
    assert not draft.tiers.exists()  # refused: a reward that ships states its month
    client.post(url, {"title": "Lamp", "amount": "1500000", "ships": "on", "estimated_delivery": "2027-03"})
    tier = draft.tiers.get()
    assert (tier.ships, tier.estimated_delivery) == (True, dt.date(2027, 3, 1))


def test_staff_see_deliveries_and_addresses_in_the_admin(client, site_owner, site_staff):
    campaign, pledges = funded_with_rewards(site_owner)
    Delivery.objects.create(pledge=pledges[0], campaign=campaign, status="problem", problem="Crushed box")
    client.force_login(site_staff)
    assert client.get(reverse("admin:presale_delivery_changelist")).status_code == 200
    delivery = Delivery.objects.get()
    page = client.get(reverse("admin:presale_delivery_change", args=[delivery.pk])).content.decode()
    assert "1234567890" in page and "Crushed box" in page
    addresses = client.get(reverse("admin:presale_shippingaddress_changelist"))
    assert addresses.status_code == 200 and "Sara" in addresses.content.decode()


def test_the_backers_dashboard_says_where_each_shipped_reward_is(client, site_owner):
    campaign, pledges = funded_with_rewards(site_owner)
    backer = pledges[0].backer
    client.force_login(backer)
    Delivery.objects.create(pledge=pledges[0], campaign=campaign, status="shipped", shipped_at=pledges[0].paid_at)
    html = client.get(reverse("dashboard")).content.decode()
    assert html.count('class="delivery-state"') == 1
