"""A refusal's message is a sentence a person can read: cancelling a pledge twice says it is already being
refunded, approving a campaign twice says it is already live. The error codes API clients rely on stay
as they were."""

from __future__ import annotations

import pytest

from pledges.models import Pledge, PledgeStatus
from tests.factories import GOOD_CARD

from .conftest import assert_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/campaigns/"


def _pledge(client, campaign, tier) -> int:
    made = client.post(
        f"{URL}{campaign.pk}/pledges/", {"amount": 15_000, "tier": tier.pk, "card": GOOD_CARD}, format="json"
    )
    assert made.status_code == 201, made.json()
    return made.json()["id"]


def test_cancelling_a_pledge_twice_says_it_is_already_being_refunded(as_backer, live, tier):
    pk = _pledge(as_backer, live, tier)
    assert as_backer.post(f"/api/v1/pledges/{pk}/cancel/").status_code == 200  # the card refund is queued
    assert Pledge.objects.get(pk=pk).status == PledgeStatus.REFUNDING
    again = as_backer.post(f"/api/v1/pledges/{pk}/cancel/")
    assert_error(again, 422, "not_cancellable")
    assert again.json()["message"] == "This pledge is already being refunded."


def test_cancelling_a_refunded_pledge_says_it_has_already_been_refunded(as_backer, live, tier, run_on_commit):
    pk = _pledge(as_backer, live, tier)
    with run_on_commit():
        as_backer.post(f"/api/v1/pledges/{pk}/cancel/")
    assert Pledge.objects.get(pk=pk).status == PledgeStatus.REFUNDED
    again = as_backer.post(f"/api/v1/pledges/{pk}/cancel/")
    assert_error(again, 422, "not_cancellable")
    assert again.json()["message"] == "This pledge has already been refunded."


def test_approving_a_live_campaign_again_says_it_is_already_live(as_admin, live):
    again = as_admin.post(f"{URL}{live.pk}/approve/")
    assert_error(again, 409, "invalid_transition")
    assert again.json()["message"] == "This campaign is already live."


def test_approving_a_draft_says_what_the_campaign_is_and_what_it_cannot_do(as_admin, live):
    live.status = "draft"
    live.save(update_fields=["status"])
    refused = as_admin.post(f"{URL}{live.pk}/approve/")
    assert_error(refused, 409, "invalid_transition")
    assert refused.json()["message"] == "This campaign is a draft, so it cannot be approved."
