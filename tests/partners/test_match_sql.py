"""The one-round-trip linear match (`pot_match_commit`, partners.match_sql) says what the Python rule
says: the database holds the function the constants render, a wallet pledge to a matched campaign stays
on the fast path and is matched in its transaction, and the SQL and Python paths give the same matches
for the same pledges (caps, per-backer limit, the pot's last unit)."""

from __future__ import annotations

import pytest
from django.db import connection

from ledger.services import escrow_account
from partners.match_sql import function_body
from partners.models import Match, Pot
from partners.services import pots
from pledges.services import intake, pledge_create

from ..factories import CampaignFactory, wallet_top_up

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_database_holds_the_function_the_constants_render():
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'pot_match_commit'")
        (installed,) = cursor.fetchone()
    assert installed == function_body(), "a constant changed: add a migration that installs the function again"


def test_a_wallet_pledge_to_a_matched_campaign_is_matched_on_the_fast_path(make_pot, backer, monkeypatch, audit_clean):
    campaign = CampaignFactory(slug="civic", goal=100_000)
    escrow_account(campaign)  # as after the campaign's first pledge (the fast path books on it, never creates it)
    pot = make_pot(paid_in=10_000, cap_per_pledge=3_000)
    wallet_top_up(backer, currency="GBP", amount=50_000, platform_slug="civic")
    python_path = []
    monkeypatch.setattr(intake, "_pledge_from_wallet", lambda **kw: python_path.append(kw))
    pledge = pledge_create(campaign_id=campaign.pk, backer=backer, amount=5_000, source="wallet")
    assert python_path == [] and pledge.matched_amount == 3_000
    match = Match.objects.get()
    assert (match.pledge_id, match.amount, match.backer_id, match.status) == (pledge.pk, 3_000, backer.pk, "committed")
    assert Pot.objects.get(pk=pot.pk).available == 7_000
    audit_clean()


@pytest.mark.parametrize("in_sql", [True, False])
def test_the_sql_and_python_matches_agree(make_pot, make_backers, pledge, monkeypatch, in_sql, audit_clean):
    """Per-campaign cap as a share of the goal (25% of 40,000 = 10,000), two matched pledges per backer,
    ratio 1.5 rounded down, and the pot's last unit (paid in 12,345)."""
    if not in_sql:
        monkeypatch.setattr(pots, "_match_in_sql", lambda *a: -1)
    first, second = CampaignFactory(slug="civic", goal=40_000), CampaignFactory(slug="civic", goal=40_000)
    pot = make_pot(paid_in=12_345, ratio="1.5", cap_per_campaign_percent=25, matched_pledges_per_backer=2)
    a, b = make_backers(2)
    for campaign, backer, amount in [
        (first, a, 1_001),  # 1,501
        (first, a, 2_000),  # 3,000
        (first, a, 2_000),  # a third pledge of a: none
        (first, b, 9_000),  # 13,500, capped by the campaign's 10,000 − 4,501 = 5,499
        (second, b, 7_000),  # 10,500, but the pot has 12,345 − 10,000 = 2,345 left
        (second, a, 100),  # the pot is empty
    ]:
        pledge(campaign, backer, amount)
    got = list(Match.objects.order_by("id").values_list("campaign_id", "backer_id", "amount"))
    assert got == [(first.pk, a.pk, 1_501), (first.pk, a.pk, 3_000), (first.pk, b.pk, 5_499), (second.pk, b.pk, 2_345)]
    assert Pot.objects.get(pk=pot.pk).available == 0
    audit_clean()
