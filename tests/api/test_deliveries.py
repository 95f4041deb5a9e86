"""Issue 15, delivery in the API: pledging for a reward that ships needs a shipping address; owners list
their rewards to ship (with addresses) and mark them shipped; backers confirm or report a problem; the
public reads the counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from presale.models import Delivery, DeliveryStatus, ShippingAddress
from projects.models import CampaignStatus
from tests.factories import GOOD_CARD, CampaignFactory, PledgeFactory, TierFactory

from .conftest import assert_error, client_for

pytestmark = pytest.mark.django_db

ADDRESS = {"recipient": "Sara", "address": "No. 12", "city": "Tehran", "postal_code": "1234567890", "country": "IR"}


@pytest.fixture
def lamp(live):
    return TierFactory(campaign=live, amount=15_000, ships=True, estimated_delivery=dt.date(2027, 3, 1))


def test_a_pledge_for_a_shipped_reward_needs_an_address(as_backer, live, lamp):
    url = f"/api/v1/campaigns/{live.pk}/pledges/"
    body = {"amount": 15_000, "tier": lamp.pk, "card": GOOD_CARD}
    assert_error(as_backer.post(url, body, format="json"), 400, code="address_required")
    assert not ShippingAddress.objects.exists()
    made = as_backer.post(url, {**body, "shipping_address": ADDRESS}, format="json")
    assert made.status_code == 201, made.json()
    assert ShippingAddress.objects.get(pledge_id=made.json()["id"]).city == "Tehran"


def test_tiers_say_whether_they_ship(anon, live, lamp):
    tiers = anon.get(f"/api/v1/campaigns/{live.pk}/").json()["tiers"]
    assert {t["id"]: t["ships"] for t in tiers}[lamp.pk] is True


@pytest.fixture
def funded(owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUCCEEDED)
    tier = TierFactory(campaign=campaign, ships=True, estimated_delivery=dt.date(2020, 1, 1))
    pledges = [PledgeFactory(campaign=campaign, tier=tier) for _ in range(2)]
    ShippingAddress.objects.create(pledge=pledges[0], **ADDRESS)
    return campaign, pledges


def test_the_owner_lists_ships_and_the_public_reads_the_counts(as_owner, as_backer, anon, funded):
    campaign, pledges = funded
    assert as_backer.get(f"/api/v1/campaigns/{campaign.pk}/deliveries/").status_code == 404
    rows = as_owner.get(f"/api/v1/campaigns/{campaign.pk}/deliveries/").json()
    assert [r["status"] for r in rows] == ["outstanding", "outstanding"]
    assert rows[0]["shipping_address"]["postal_code"] == "1234567890"
    shipped = as_owner.post(f"/api/v1/pledges/{pledges[0].pk}/ship/", {"tracking_reference": "T-1"}, format="json")
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    summary = anon.get(f"/api/v1/campaigns/{campaign.pk}/delivery/").json()
    assert (summary["shipped"], summary["outstanding"], summary["late"]) == (1, 1, 2)


def test_a_csv_with_a_bad_row_lists_it_and_ships_nothing(as_owner, funded):
    campaign, pledges = funded
    url = f"/api/v1/campaigns/{campaign.pk}/deliveries/csv/"
    bad = SimpleUploadedFile("s.csv", f"{pledges[0].pk},A\n999999999,B\n".encode())
    response = as_owner.post(url, {"file": bad}, format="multipart")
    assert response.status_code == 400 and [r["line"] for r in response.json()["rows"]] == [2]
    assert not Delivery.objects.exists()
    good = SimpleUploadedFile("s.csv", f"{pledges[0].pk},A\n{pledges[1].pk},B\n".encode())
    assert as_owner.post(url, {"file": good}, format="multipart").json() == {"shipped": [p.pk for p in pledges]}


def test_the_backer_confirms_or_reports_a_problem(funded):
    campaign, pledges = funded
    as_backer = client_for(pledges[0].backer)
    problem = as_backer.post(f"/api/v1/pledges/{pledges[0].pk}/delivery/problem/", {"problem": "Broken"}, format="json")
    assert problem.json()["status"] == DeliveryStatus.PROBLEM
    assert as_backer.post(f"/api/v1/pledges/{pledges[0].pk}/delivery/confirm/").json()["status"] == "delivered"
    assert as_backer.post(f"/api/v1/pledges/{pledges[1].pk}/delivery/confirm/").status_code == 404


def test_an_owner_adds_a_tier_that_ships_only_with_a_month(as_owner, owner):
    draft = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT, goal=30_000_000)
    url = f"/api/v1/campaigns/{draft.pk}/tiers/"
    body = {"amount": 1_500_000, "title": "One lamp", "ships": True}
    assert_error(
        as_owner.post(url, body, format="json"), 400, code="delivery_month_required", field="estimated_delivery"
    )
    made = as_owner.post(url, {**body, "estimated_delivery": "2027-03-17"}, format="json").json()
    assert (made["ships"], made["estimated_delivery"]) == (True, "2027-03-01")
