"""Fixtures of the citizen site's tests."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress

from tests.factories import CampaignFactory, StaffFactory, TierFactory, UserFactory, area


def verified(user):
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


@pytest.fixture
def site_backer(db):
    return verified(UserFactory(username="citizen"))


@pytest.fixture
def site_owner(db):
    return verified(UserFactory(username="maker"))


@pytest.fixture
def site_staff(db):
    return verified(StaffFactory(username="reviewer", is_superuser=True))


@pytest.fixture
def backer_client(client, site_backer):
    client.force_login(site_backer)
    return client


@pytest.fixture
def arts_campaign(db, site_owner):
    """A live threshold campaign on the Persian arts platform with two tiers, one limited to 2."""
    campaign = CampaignFactory(
        slug="arts",
        owner=site_owner,
        title="Short film",
        goal=40_000_000,
        story="A film. <script>alert('x')</script> **bold**",
    )
    TierFactory(campaign=campaign, amount=15_000, title="Cinema ticket")
    TierFactory(campaign=campaign, amount=5_000_000, title="Set visit", quantity_limit=2)
    return campaign


@pytest.fixture
def civic_campaign(db, site_owner):
    campaign = CampaignFactory(
        slug="civic",
        owner=site_owner,
        title="Community garden",
        goal=150_000,
        funding_model="all_or_nothing",
        area=area("civic", "riverside"),
    )
    TierFactory(campaign=campaign, amount=2_500, title="Seed packet")
    return campaign
