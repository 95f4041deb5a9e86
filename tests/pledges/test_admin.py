"""The admin's pledge list stays one page query however many rows it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..factories import CampaignFactory, PledgeFactory, StaffFactory, TierFactory

pytestmark = pytest.mark.django_db


def _pledges(n: int) -> None:
    campaign = CampaignFactory(slug="presale")
    tier = TierFactory(campaign=campaign)
    for _ in range(n):
        PledgeFactory(campaign=campaign, tier=tier)


def _queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("admin:pledges_pledge_changelist"))
    assert page.status_code == 200
    return len(ctx.captured_queries), len(page.context["cl"].result_list)


def test_the_admin_pledge_list_reads_each_row_s_campaign_backer_and_reward_with_the_page(client):
    client.force_login(StaffFactory(is_superuser=True))
    _pledges(2)
    few, rows = _queries(client)
    assert rows == 2
    _pledges(20)
    many, rows = _queries(client)
    assert rows == 22
    assert many == few


def test_the_admin_lists_show_amounts_as_their_currency_writes_them(client):
    """200000 in minor units of GBP is £2,000.00: no admin reads it as two hundred thousand pounds."""
    client.force_login(StaffFactory(is_superuser=True))
    campaign = CampaignFactory(slug="civic", goal=200_000)
    PledgeFactory(campaign=campaign, amount=2_550)
    pledges = client.get(reverse("admin:pledges_pledge_changelist")).content.decode()
    assert "£25.50" in pledges
    campaigns = client.get(reverse("admin:projects_campaign_changelist")).content.decode()
    assert "£2,000.00" in campaigns and ">200000<" not in campaigns
