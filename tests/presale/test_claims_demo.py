"""Issue 15's demo data: `load_demo`'s guaranteed pre-sale campaign has a late reward with a claim
under review (answered by its owner, waiting for staff), and the books stay clean."""

from __future__ import annotations

import pytest

from funding.audit import ledger_audit
from presale.models import Claim, ClaimStatus
from web.demo import demo_load

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_claim_under_review_on_its_guaranteed_presale_campaign(arts, charity, presale, civic):
    assert demo_load()
    claim = Claim.objects.select_related("campaign__platform").get()
    assert claim.status == ClaimStatus.ANSWERED and claim.campaign.platform.slug == "presale"
    assert claim.evidence.count() == 1
    assert ledger_audit() == []
