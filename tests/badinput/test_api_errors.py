"""Bad input to the API: a clear error in the API's one JSON format, nothing written, never a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from api.pledges import IDEMPOTENCY_KEY_MAX
from pledges.models import Pledge
from tests.factories import GOOD_CARD

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_nested_a_thousand_deep_is_a_400_in_the_api_format(as_backer, live):
    for depth in (1_000, 100_000):
        response = as_backer.post(
            f"/api/v1/campaigns/{live.pk}/pledges/", data=deep(depth), content_type="application/json"
        )
        assert_error(response, 400, "parse_error")
    assert_error(
        as_backer.post("/api/v1/auth/token/", data='{"a":' * 5_000, content_type="application/json"), 400, "parse_error"
    )
    assert not Pledge.objects.exists()


def test_invalid_utf8_to_the_sandbox_callback_is_a_400(client):
    response = client.post("/payments/sandbox/callback/", data=b"\xff\xfe{\x80}", content_type="application/json")
    assert response.status_code == 400


def test_a_session_post_without_csrf_under_the_api_is_answered_in_the_api_format(backer, live):
    client = Client(enforce_csrf_checks=True)
    client.force_login(backer)
    # a DRF view checks CSRF itself: 403 in the API format
    body = assert_error(client.post(f"/api/v1/campaigns/{live.pk}/pledges/", {"amount": 1}), 403)
    assert "CSRF" in body["message"]
    # an unknown path and a non-integer id reach no DRF view: not Django's HTML 403, the API's 404
    for path in ("/api/v1/nowhere/", f"/api/v1/campaigns/{live.pk}x/pledges/", "/api/v1/campaigns/abc/submit/"):
        assert_error(client.post(path, {"amount": 1}), 404, "not_found")
    assert not Pledge.objects.exists()


def test_the_csrf_failure_view_answers_json_under_the_api_and_the_page_elsewhere(rf):
    from civicfund.handlers import csrf_failure

    response = csrf_failure(rf.post("/api/v1/anything/"), reason="CSRF cookie not set")
    assert response.status_code == 403 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["code"] == "csrf_failed"
    page = csrf_failure(rf.post("/charity/"), reason="CSRF cookie not set")
    assert page.status_code == 403 and page["Content-Type"].startswith("text/html")


def test_unknown_api_paths_and_non_integer_ids_are_404_in_the_api_format(as_backer):
    for path in ("/api/v1/nowhere/", "/api/v1/campaigns/abc/", "/api/v1/pledges/1.5/", "/api/v1/campaigns/-1/"):
        assert_error(as_backer.get(path), 404, "not_found")
        assert_error(as_backer.post(path, {}, format="json"), 404, "not_found")


def test_a_body_over_the_size_limit_is_a_413_in_the_api_format(settings, as_backer, live):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"amount": 20000, "card": GOOD_CARD, "pad": "x" * 2_000})
    response = as_backer.post(f"/api/v1/campaigns/{live.pk}/pledges/", data=body, content_type="application/json")
    assert_error(response, 413, "request_too_large")
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/campaigns/?status=",
        "/api/v1/campaigns/?platform=",
        "/api/v1/campaigns/?category=",
        "/api/v1/campaigns/?area=",
        "/api/v1/campaigns/?funding_model=",
        "/api/v1/campaigns/?ordering=",
        "/api/v1/categories/?platform=",
        "/api/v1/areas/?platform=",
        "/api/v1/pledges/?status=",
        "/api/v1/reports/?status=",
        "/api/v1/wallet/entries/?currency=",
    ],
)
def test_empty_enum_and_slug_query_parameters_are_refused(as_backer, path):
    assert_error(as_backer.get(path), 400, "invalid")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/endorsements/?organisation=737810029901841805869056",
        "/api/v1/endorsements/?campaign=737810029901841805869056",
        "/api/v1/campaigns/?endorser=737810029901841805869056",
    ],
)
def test_an_id_too_large_for_the_database_is_a_400_not_a_500(as_backer, path):
    # The schema fuzzer found this on SQLite: the driver overflowed on the 24-digit id.
    response = as_backer.get(path)
    assert response.status_code == 400


def test_the_schema_documents_the_idempotency_key_rules_and_a_required_send_back_reason(anon):
    schema = anon.get("/api/v1/schema/?format=json").json()
    pledge_post = schema["paths"]["/api/v1/campaigns/{id}/pledges/"]["post"]
    (header,) = [p for p in pledge_post["parameters"] if p["name"] == "Idempotency-Key"]
    assert header["schema"]["minLength"] == 1 and header["schema"]["maxLength"] == IDEMPOTENCY_KEY_MAX
    assert "printable" in header["description"]
    assert "409" in pledge_post["responses"] and "400" in pledge_post["responses"]
    ref = schema["paths"]["/api/v1/campaigns/{id}/send-back/"]["post"]["requestBody"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[1]
    reason = schema["components"]["schemas"][name]["properties"]["reason"]
    assert reason.get("minLength") == 1


def test_a_blank_send_back_reason_is_a_400_on_the_reason(as_admin, owner):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(owner=owner, status="submitted")
    assert_error(
        as_admin.post(f"/api/v1/campaigns/{campaign.pk}/send-back/", {"reason": "  "}, format="json"),
        400,
        None,
        "reason",
    )
    campaign.refresh_from_db()
    assert campaign.status == "submitted"


def test_an_anonymous_api_client_gets_json_not_html_for_errors():
    client = APIClient()
    response = client.get("/api/v1/nowhere/")
    assert response["Content-Type"].startswith("application/json")
