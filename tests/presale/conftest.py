from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from funding.services import campaign_close
from payouts.models import Payout, PayoutKind
from presale.claims import claim_answer, claim_file
from presale.models import ClaimGround
from projects.models import CampaignStatus
from tests.factories import CampaignFactory, TierFactory, guarantee_verified, mail_clear

PDF = b"%PDF-1.4\n% a scanned guarantee\n"


def scan(name: str = "guarantee.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def far_future() -> dt.date:
    return dt.date.today() + dt.timedelta(days=800)


UTC = dt.UTC
DEADLINE = dt.datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
PROMISED = dt.date(2026, 6, 1)  # the reward's estimated delivery month: June (kept by 30 June)
GRACE_OVER = dt.datetime(2026, 8, 1, 9, 0, tzinfo=UTC)  # June's end + 30 days' grace has passed
LATE = ClaimGround.LATE


@pytest.fixture
def world(presale, owner, make_backers, pledge):
    """A guaranteed pre-sale campaign that raised 1,000,000 toman from two backers (600,000 and 400,000),
    closed and split: fee 50,000, first payout 855,000, held part 95,000."""
    campaign = CampaignFactory(
        slug="presale",
        owner=owner,
        goal=1_000_000,
        status=CampaignStatus.DRAFT,
        starts_at=DEADLINE - dt.timedelta(days=30),
        deadline=DEADLINE,
    )
    tier = TierFactory(campaign=campaign, amount=400_000, ships=True, estimated_delivery=PROMISED)
    free = TierFactory(campaign=campaign, amount=1_000)
    guarantee = guarantee_verified(campaign, amount=300_000, expires_on=dt.date(2027, 12, 31))
    campaign.status = CampaignStatus.LIVE
    campaign.save(update_fields=["status"])
    a, b = make_backers(2)
    before = DEADLINE - dt.timedelta(hours=1)
    big = pledge(campaign, a, 600_000, tier=tier, now=before)
    small = pledge(campaign, b, 400_000, tier=tier, now=before)
    assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == CampaignStatus.SUCCEEDED
    campaign.refresh_from_db()
    assert campaign.held_amount == 95_000
    mail_clear()
    return {"campaign": campaign, "tier": tier, "free": free, "guarantee": guarantee, "a": big, "b": small}


def file(pledge_, amount, *, ground=LATE, now=GRACE_OVER, user=None, evidence=()):
    return claim_file(
        pledge=pledge_,
        user=user or pledge_.backer,
        ground=ground,
        description="Nothing arrived, and the owner does not answer my messages.",
        amount=amount,
        evidence=evidence,
        now=now,
    )


def answered(claim):
    return claim_answer(claim=claim, user=claim.campaign.owner, answer="Stuck at customs.", now=GRACE_OVER)


def held_payout(campaign):
    return Payout.objects.get(campaign=campaign, kind=PayoutKind.HELD)
