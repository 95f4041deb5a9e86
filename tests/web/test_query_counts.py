"""The home, browse and campaign pages run the same number of queries whatever the number of
campaigns, tiers, pledges and updates; the owner's campaign page sums its pledges once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platforms.models import Area
from projects.models import CampaignUpdate
from tests.factories import CampaignFactory, TierFactory, UserFactory
from tests.web.conftest import verified

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def grow(owner, pledge, n):
    """n campaigns, each with n tiers, n pledges and n updates."""
    backers = [UserFactory() for _ in range(n)]
    campaigns = []
    areas = list(Area.objects.filter(platform__slug="civic"))
    for i in range(n):
        c = CampaignFactory(slug="civic", owner=owner, title=f"Grown {i}", area=areas[i % len(areas)])
        for j in range(n):
            TierFactory(campaign=c, amount=1_000 + j, quantity_limit=50)
            CampaignUpdate.objects.create(campaign=c, title=f"News {j}", body="text")
        for b in backers:
            pledge(c, b, 1_500, tier=c.tiers.first())
        campaigns.append(c)
    return campaigns


@pytest.mark.parametrize("page", ["home", "platform", "browse", "browse-filtered", "campaign", "dashboard"])
def test_query_count_does_not_grow(client, site_owner, site_backer, pledge, page):
    client.force_login(site_backer)
    small = grow(site_owner, pledge, 1)[0]
    urls = {
        "home": "/",
        "platform": "/civic/",
        "browse": "/browse/?sort=funded",
        "browse-filtered": "/civic/browse/?state=live&q=Grown&sort=ending",
        "campaign": reverse("campaign", args=["civic", small.pk]),
        "dashboard": reverse("dashboard"),
    }
    pledge(small, site_backer, 1_500)
    before = queries(client, urls[page])
    big = grow(site_owner, pledge, 6)
    for c in big:
        pledge(c, site_backer, 1_500)
    if page == "campaign":
        urls[page] = reverse("campaign", args=["civic", big[0].pk])
    after = queries(client, urls[page])
    assert after == before, f"{page}: {before} queries with 1 row of each, {after} with 6"


def test_the_owner_s_campaign_page_counts_its_pledges_once(client, site_owner, site_backer, pledge):
    """The owner's page shows what was raised and from how many backers, summing the campaign's
    pledges in one query (they can be many), not once more for the page's own read."""
    campaign = CampaignFactory(slug="civic", owner=site_owner)
    pledge(campaign, site_backer, 1_500)
    pledge(campaign, verified(UserFactory()), 2_500)
    client.force_login(site_owner)
    url = reverse("owner-campaign", args=[campaign.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert re.search(r"Backers</dt><dd>2</dd>", page)
    sums = [q["sql"] for q in ctx.captured_queries if "SUM(" in q["sql"] and "pledges_pledge" in q["sql"]]
    assert len(sums) == 1, sums
