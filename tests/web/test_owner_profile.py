"""An owner's public profile: their display name (never their e-mail), their public campaigns, their
delivery record (final reports on time and approved, pre-sale rewards delivered in the promised month)
and their verified organisation; campaign pages and cards show the display name too. The display name
is set on My account."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Membership, Organisation
from presale.models import Delivery, DeliveryStatus
from projects.models import CampaignStatus
from tests.factories import CampaignFactory, PledgeFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db
S = CampaignStatus


@pytest.fixture
def jane(db):
    return UserFactory(username="jane@example.org", email="jane@example.org", first_name="")


def test_without_a_display_name_the_profile_shows_the_username_cut_before_its_at_sign(client, jane):
    CampaignFactory(slug="civic", owner=jane, title="Pocket park")
    body = client.get(reverse("owner-profile-id", args=[jane.pk])).content.decode()
    assert '<h1 dir="auto">jane</h1>' in body
    assert "example.org" not in body.split("<main", 1)[-1].split("</main>")[0]


def test_an_owner_sets_a_display_name_on_my_account_and_campaign_pages_and_cards_show_it(client, jane):
    campaign = CampaignFactory(slug="civic", owner=jane, title="Pocket park")
    client.force_login(jane)
    response = client.post(reverse("my-account"), {"display_name": "  Jane   Ahmadi "}, follow=True)
    assert "Your display name is saved." in response.content.decode()
    jane.refresh_from_db()
    assert jane.first_name == "Jane Ahmadi"
    client.logout()
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "<bdi>Jane Ahmadi</bdi>" in page and "jane@example.org" not in page  # the link is by id
    assert f'href="/u/id/{jane.pk}/"' in page
    cards = client.get(reverse("platform-browse", args=["civic"])).content.decode()
    assert "<bdi>Jane Ahmadi</bdi>" in cards
    profile = client.get(reverse("owner-profile-id", args=[jane.pk])).content.decode()
    assert '<h1 dir="auto">Jane Ahmadi</h1>' in profile


@pytest.mark.parametrize(
    "name, error",
    [("x" * 81, "A display name has at most 80 characters."), ("Jane\u202eAhmadi", "one line of visible text")],
)
def test_a_bad_display_name_is_refused_and_nothing_is_saved(client, jane, name, error):
    client.force_login(jane)
    response = client.post(reverse("my-account"), {"display_name": name})
    assert response.status_code == 200 and error in response.content.decode()
    jane.refresh_from_db()
    assert jane.first_name == ""


def test_the_api_lists_the_owner_s_display_name_not_an_email(client, jane):
    jane.first_name = "Jane Ahmadi"
    jane.save()
    CampaignFactory(slug="civic", owner=jane)
    rows = client.get("/api/v1/campaigns/?platform=civic").json()["results"]
    assert rows[0]["owner_name"] == "Jane Ahmadi"


def test_drafts_are_not_on_the_profile_and_an_owner_of_only_drafts_has_none(client, jane):
    CampaignFactory(slug="civic", owner=jane, title="Secret plan", status=S.DRAFT)
    assert client.get(reverse("owner-profile-id", args=[jane.pk])).status_code == 404
    CampaignFactory(slug="civic", owner=jane, title="Pocket park")
    body = client.get(reverse("owner-profile-id", args=[jane.pk])).content.decode()
    assert "Pocket park" in body and "Secret plan" not in body


def _presale_campaign(owner, *, month, delivered_on=(), outstanding=0):
    campaign = CampaignFactory(slug="presale", owner=owner, status=S.PAID)
    tier = TierFactory(campaign=campaign, amount=400_000, ships=True, estimated_delivery=month)
    for day in delivered_on:
        pledge = PledgeFactory(campaign=campaign, tier=tier)
        at = dt.datetime.combine(day, dt.time(12), tzinfo=campaign.platform.tz)
        Delivery.objects.create(
            pledge=pledge, campaign=campaign, status=DeliveryStatus.DELIVERED, shipped_at=at, confirmed_at=at
        )
    for _ in range(outstanding):
        PledgeFactory(campaign=campaign, tier=tier)
    return campaign


def test_the_delivery_record_counts_rewards_delivered_within_their_promised_month(client, owner):
    june = dt.date(2026, 6, 1)
    _presale_campaign(owner, month=june, delivered_on=[dt.date(2026, 6, 30), dt.date(2026, 7, 2)], outstanding=1)
    future = (timezone.now() + dt.timedelta(days=90)).date().replace(day=1)
    _presale_campaign(owner, month=future, outstanding=2)
    body = client.get(reverse("owner-profile", args=[owner.username])).content.decode()
    assert "Rewards delivered on time" in body
    assert "1 of 2 delivered" in body  # the one confirmed on 2 July missed June
    assert "1 past its promised month" in body
    assert "2 not due yet" in body


def test_the_profile_names_the_owner_s_verified_organisation_only(client, owner, civic):
    CampaignFactory(slug="civic", owner=owner)
    verified = Organisation.objects.create(
        platform=civic, name="Leeds Council", slug="leeds", kind="public_body", verified_at=timezone.now()
    )
    pending = Organisation.objects.create(platform=civic, name="Shady Ltd", slug="shady", kind="company")
    Membership.objects.create(organisation=verified, user=owner, role="admin")
    Membership.objects.create(organisation=pending, user=owner, role="admin")
    body = client.get(reverse("owner-profile", args=[owner.username])).content.decode()
    assert "Member of" in body and "Leeds Council" in body and "Shady Ltd" not in body
    assert reverse("organisation", args=["civic", "leeds"]) in body


def test_the_profile_is_in_persian_with_persian_digits(client, owner):
    _presale_campaign(owner, month=dt.date(2026, 6, 1), delivered_on=[dt.date(2026, 6, 3)])
    client.cookies["django_language"] = "fa"
    body = client.get(reverse("owner-profile", args=[owner.username]), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'lang="fa"' in body and "سابقهٔ تحویل" in body and "۱ از ۱" in body


def test_the_profile_s_query_count_does_not_grow_with_campaigns(client, owner, django_assert_max_num_queries):
    def counted():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("owner-profile", args=[owner.username])).status_code == 200
        return len(queries)

    month = dt.date(2026, 6, 1)
    for _ in range(3):
        _presale_campaign(owner, month=month, delivered_on=[dt.date(2026, 6, 3)], outstanding=1)
        CampaignFactory(slug="civic", owner=owner)
    few = counted()
    for _ in range(6):
        _presale_campaign(owner, month=month, delivered_on=[dt.date(2026, 6, 3)], outstanding=1)
        CampaignFactory(slug="civic", owner=owner)
    with django_assert_max_num_queries(few):
        assert client.get(reverse("owner-profile", args=[owner.username])).status_code == 200
