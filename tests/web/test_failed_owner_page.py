"""A failed campaign's owner page says what happened (not funded, backers refunded in full) and what
comes next, instead of the funded campaign's tools: no updates form, no backers CSV, no payouts and no
"file the final report once the first payout has been paid"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, site_owner):
    client.force_login(site_owner)
    return client


@pytest.mark.parametrize(
    "slug, status, refunds",
    [
        ("civic", "refunding", "Each backer gets their whole pledge back on the card they paid with."),
        ("charity", "refunded", "Each backer gets their whole pledge back in their wallet on this site"),
    ],
)
def test_a_failed_campaign_s_owner_page_says_what_happened_and_what_next(
    owner_client, site_owner, slug, status, refunds
):
    campaign = CampaignFactory(slug=slug, owner=site_owner, status=status, funding_model="all_or_nothing")
    html = owner_client.get(reverse("owner-campaign", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    if slug == "charity":  # a Persian platform
        assert "این پروژه به هدف نرسید" in html and "کیف پول" in html
    else:
        assert "This campaign was not funded" in html and refunds in html
        assert "Refunds are under way" in html
        assert "you owe no final report" in html
        assert reverse("owner-campaign-new", args=[slug]) in html
    assert reverse("owner-update-post", args=[campaign.pk]) not in html
    assert reverse("owner-backers-csv", args=[campaign.pk]) not in html
    assert "once the first payout has been paid" not in html and "پرداخت نخست" not in html


def test_a_funded_campaign_keeps_its_updates_and_backers_list(owner_client, site_owner):
    campaign = CampaignFactory(slug="civic", owner=site_owner, status="succeeded")
    html = owner_client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()
    assert reverse("owner-update-post", args=[campaign.pk]) in html
    assert reverse("owner-backers-csv", args=[campaign.pk]) in html
    assert "This campaign was not funded" not in html
