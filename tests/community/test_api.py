"""The API of questions and following: list and ask, the owner's answer, follow; in the schema."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from community.models import Follow, Question
from community.services import question_ask, question_hide
from tests.factories import UserFactory
from tests.web.conftest import verified

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def test_anyone_lists_questions_hidden_ones_without_their_text(campaign, owner, fan):
    question_ask(campaign=campaign, user=fan, body="Which trees?")
    rude = question_ask(campaign=campaign, user=fan, body="Rude")
    question_hide(question=rude, user=owner, reason="Rude")
    answer = api().get(f"/api/v1/campaigns/{campaign.pk}/questions/").json()
    rows = answer["results"] if isinstance(answer, dict) else answer
    assert [(r["body"], r["hidden"], r["hidden_reason"]) for r in rows] == [
        ("", True, "Rude"),
        ("Which trees?", False, ""),
    ]


def test_a_signed_in_person_asks_and_the_owner_answers(campaign, owner, fan):
    made = api(fan).post(f"/api/v1/campaigns/{campaign.pk}/questions/", {"body": "When?"}, format="json")
    assert made.status_code == 201 and made.json()["author"] == "fan"
    pk = made.json()["id"]
    assert api(fan).post(f"/api/v1/questions/{pk}/answer/", {"answer": "Me!"}, format="json").status_code == 403
    done = api(owner).post(f"/api/v1/questions/{pk}/answer/", {"answer": "In May."}, format="json")
    assert done.status_code == 200 and done.json()["answer"] == "In May."


def test_bad_text_is_a_400_with_its_code_and_nothing_written(campaign, fan):
    refused = api(fan).post(f"/api/v1/campaigns/{campaign.pk}/questions/", {"body": "a\u202eb"}, format="json")
    assert refused.status_code == 400 and "body_bidi" in refused.content.decode()
    assert not Question.objects.exists()


def test_asking_is_rate_limited(campaign, fan, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "community_post": "1/m/user"}
    url = f"/api/v1/campaigns/{campaign.pk}/questions/"
    assert api(fan).post(url, {"body": "One"}, format="json").status_code == 201
    assert api(fan).post(url, {"body": "Two"}, format="json").status_code == 429
    assert Question.objects.count() == 1


def test_an_unverified_account_is_refused(campaign):
    refused = api(UserFactory(email_verified=False)).post(
        f"/api/v1/campaigns/{campaign.pk}/questions/", {"body": "Hi"}, format="json"
    )
    assert refused.status_code == 403


def test_follow_and_stop_by_the_api(campaign, fan):
    url = f"/api/v1/campaigns/{campaign.pk}/follow/"
    assert api(fan).post(url, {"following": True}, format="json").json() == {"state": "following"}
    assert api(fan).post(url, {"following": False}, format="json").json() == {"state": "left"}
    assert not Follow.objects.get().active


def test_the_schema_lists_the_question_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    for path in (
        "/api/v1/campaigns/{id}/questions/",
        "/api/v1/questions/{id}/answer/",
        "/api/v1/campaigns/{id}/follow/",
    ):
        assert path in schema
    assert verified
