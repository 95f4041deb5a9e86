"""Authentication by token and session, the one error format, and throttling."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.factories import GOOD_CARD

from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_throttles(settings):
    """Low rates for this test only (ScopedThrottle reads them when used); a clean throttle cache."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"pledge": "2/min", "token": "2/min"},
    }
    cache.clear()
    yield
    cache.clear()


def test_token_obtain_and_use(anon, backer):
    response = anon.post("/api/v1/auth/token/", {"username": "backer", "password": "secret"}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/pledges/").status_code == 200
    # the same token again
    assert (
        anon.post("/api/v1/auth/token/", {"username": "backer", "password": "secret"}, format="json").json()["token"]
        == token
    )


def test_token_obtain_refuses_a_wrong_password(anon, backer):
    assert_error(
        anon.post("/api/v1/auth/token/", {"username": "backer", "password": "nope"}, format="json"),
        400,
        "authorization",
    )
    assert_error(anon.post("/api/v1/auth/token/", {}, format="json"), 400, "invalid", "username")


def test_a_bad_token_is_401(live):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(client.get("/api/v1/campaigns/"), 401, "authentication_failed")


def test_session_auth_works_and_needs_csrf(backer, live):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(backer)
    assert client.get("/api/v1/wallet/").status_code == 200
    body = assert_error(
        client.post(f"/api/v1/campaigns/{live.pk}/pledges/", {"amount": 20_000, "card": GOOD_CARD}, format="json"), 403
    )
    assert "CSRF" in body["message"]


def test_pledge_throttle(tight_throttles, as_backer, live):
    url = f"/api/v1/campaigns/{live.pk}/pledges/"
    for _ in range(2):
        assert as_backer.post(url, {"amount": 20_000, "card": GOOD_CARD}, format="json").status_code == 201
    response = as_backer.post(url, {"amount": 20_000, "card": GOOD_CARD}, format="json")
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # other endpoints are not throttled
    assert as_backer.get("/api/v1/pledges/").status_code == 200


def test_token_throttle(tight_throttles, anon, backer):
    for _ in range(2):
        anon.post("/api/v1/auth/token/", {"username": "backer", "password": "wrong"}, format="json")
    assert_error(
        anon.post("/api/v1/auth/token/", {"username": "backer", "password": "secret"}, format="json"), 429, "throttled"
    )


def test_throttles_switched_off(settings, as_backer, live):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"pledge": None, "token": None}}
    cache.clear()
    url = f"/api/v1/campaigns/{live.pk}/pledges/"
    for _ in range(5):
        assert as_backer.post(url, {"amount": 20_000, "card": GOOD_CARD}, format="json").status_code == 201


def test_error_format_for_framework_errors(anon, as_backer, live):
    assert_error(anon.get("/api/v1/no-such-thing/"), 404, "not_found")
    assert_error(anon.delete(f"/api/v1/campaigns/{live.pk}/"), 401)
    assert_error(as_backer.delete(f"/api/v1/campaigns/{live.pk}/"), 405, "method_not_allowed")
    assert_error(
        as_backer.post(f"/api/v1/campaigns/{live.pk}/pledges/", "{not json", content_type="application/json"),
        400,
        "parse_error",
    )
    assert_error(anon.get("/api/v1/campaigns/987654321/"), 404, "not_found")


def test_ping_and_docs(anon):
    assert anon.get("/api/v1/ping/").json() == {"ok": True}
    docs = anon.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content.lower()
    assert b"drf_spectacular_sidecar" in docs.content  # assets served locally, no CDN
    assert anon.get("/api/v1/redoc/").status_code == 200
    schema = anon.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200 and "/api/v1/campaigns/{id}/pledges/" in schema.json()["paths"]
