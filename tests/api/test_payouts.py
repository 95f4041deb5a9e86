"""Owners see the payouts of their own campaigns, nobody else's."""

from __future__ import annotations

import pytest

from payouts.models import PayoutKind, PayoutStatus
from projects.models import CampaignStatus
from tests.factories import CampaignFactory, PayoutFactory

pytestmark = pytest.mark.django_db


def test_owner_sees_own_payouts_only(as_owner, as_backer, owner, presale):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUCCEEDED)
    PayoutFactory(campaign=campaign, kind=PayoutKind.FIRST, amount=855_000, status=PayoutStatus.SCHEDULED)
    PayoutFactory(campaign=campaign, kind=PayoutKind.HELD, amount=95_000, status=PayoutStatus.WAITING)
    PayoutFactory(campaign__slug="presale", amount=1)
    body = as_owner.get("/api/v1/payouts/").json()
    assert [(p["kind"], p["amount"], p["currency"], p["status"]) for p in body["results"]] == [
        ("first", 855_000, "IRT", "scheduled"),
        ("held", 95_000, "IRT", "waiting"),
    ]
    assert as_backer.get("/api/v1/payouts/").json()["count"] == 0
