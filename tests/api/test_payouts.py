"""Owners see the payouts of their own campaigns, nobody else's."""

from __future__ import annotations

import pytest

from payouts.models import Payout, PayoutKind, PayoutStatus
from projects.models import CampaignStatus
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_owner_sees_own_payouts_only(as_owner, as_backer, owner, presale):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUCCEEDED)
    Payout.objects.create(
        campaign=campaign,
        kind=PayoutKind.FIRST,
        amount=855_000,
        currency="IRT",
        status=PayoutStatus.SCHEDULED,
        idempotency_key="p-1",
    )
    Payout.objects.create(
        campaign=campaign,
        kind=PayoutKind.HELD,
        amount=95_000,
        currency="IRT",
        status=PayoutStatus.WAITING,
        idempotency_key="p-2",
    )
    other = CampaignFactory(slug="presale", status=CampaignStatus.SUCCEEDED)
    Payout.objects.create(
        campaign=other,
        kind=PayoutKind.FIRST,
        amount=1,
        currency="IRT",
        status=PayoutStatus.SCHEDULED,
        idempotency_key="p-3",
    )
    body = as_owner.get("/api/v1/payouts/").json()
    assert [(p["kind"], p["amount"], p["currency"], p["status"]) for p in body["results"]] == [
        ("first", 855_000, "IRT", "scheduled"),
        ("held", 95_000, "IRT", "waiting"),
    ]
    assert as_backer.get("/api/v1/payouts/").json()["count"] == 0
