"""The API of accountability: a campaign's impact (report against raised, indicators, upkeep), the
platform's indicator sums, and a private note that reaches the owner but never the log."""

import pytest
from django.urls import reverse

from decisions.models import Decision
from impact.models import Indicator, StandardIndicator, UpkeepPlan
from projects.models import CampaignStatus

from ..factories import CampaignFactory
from .conftest import completed, funded

S = CampaignStatus
pytestmark = pytest.mark.django_db


def test_a_completed_campaign_s_impact_and_the_platform_s_sums(client, civic, owner, pledge, admin_user, run_on_commit):
    trees = StandardIndicator.objects.create(platform=civic, name="trees planted", unit="trees")
    campaign = funded("civic", owner, pledge)
    Indicator.objects.create(
        campaign=campaign, standard=trees, name="trees planted", unit="trees", target=10, achieved=12
    )
    UpkeepPlan.objects.create(campaign=campaign, creates_asset=True, maintainer="Parks", months=24, funding="Budget")
    before = client.get(reverse("api:campaign-impact", args=[campaign.pk])).json()
    assert before["report_approved"] is False and before["indicators"][0]["achieved"] is None
    completed(campaign, owner, admin_user, run_on_commit)
    data = client.get(reverse("api:campaign-impact", args=[campaign.pk])).json()
    assert (data["raised"], data["spent"], data["spending_above_payout"]) == (campaign.collected, 800_000, False)
    assert data["indicators"][0]["achieved"] == 12 and data["upkeep"]["maintainer"] == "Parks"
    sums = client.get(reverse("api:platform-indicators", args=["civic"])).json()
    assert [(s["name"], s["campaigns"], s["achieved"]) for s in sums] == [("trees planted", 1, 12)]


def test_a_private_note_sent_by_the_api_reaches_the_owner_only(client, civic, owner, admin_user):
    draft = CampaignFactory(slug="civic", owner=owner, status=S.SUBMITTED)
    client.force_login(admin_user)
    response = client.post(
        reverse("api:campaign-send-back", args=[draft.pk]),
        {"reason": "Add a map.", "private_note": "Ring me first"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert (draft.review_note, draft.review_private_note) == ("Add a map.", "Ring me first")
    assert list(Decision.objects.values_list("reason", flat=True)) == ["Add a map."]
