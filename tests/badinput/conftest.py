"""Fixtures of the API tests: clients authenticated by token as each role."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import CampaignFactory, TierFactory


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon(db):
    return APIClient()


@pytest.fixture
def as_owner(owner):
    return client_for(owner)


@pytest.fixture
def as_backer(backer):
    return client_for(backer)


@pytest.fixture
def as_backer2(backer2):
    return client_for(backer2)


@pytest.fixture
def as_admin(admin_user):
    return client_for(admin_user)


@pytest.fixture
def live(presale, owner):
    """A live presale campaign (IRT, tiers and free amounts) of `owner`, with a tier of 15,000 limited to 2."""
    campaign = CampaignFactory(slug="presale", owner=owner, goal=1_000_000)
    TierFactory(campaign=campaign, amount=15_000, quantity_limit=2, title="Early bird")
    return campaign


@pytest.fixture
def tier(live):
    return live.tiers.get()


def assert_error(response, status: int, code: str | None = None, field: str | None = None):
    """Every error has the one body: status, code, message, fields."""
    body = response.json()
    assert response.status_code == status, body
    assert set(body) == {"status", "code", "message", "fields"}, body
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["fields"], dict)
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        assert field in body["fields"], body
    return body
