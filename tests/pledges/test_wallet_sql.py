"""The one-round-trip SQL function of wallet pledges says what the Python rules say: it is rendered from
the same constants (pledges.wallet_sql), the database holds that rendering, and it accepts a pledge at
exactly the instants `Campaign.accepts_pledges` does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from core.money import MAX_AMOUNT
from ledger.models import Account
from pledges.wallet_sql import function_body
from projects.models import CampaignStatus

from ..factories import CampaignFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_database_holds_the_function_the_constants_render():
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'pledge_wallet_commit'")
        (installed,) = cursor.fetchone()
    assert installed == function_body(), "a constant changed: add a migration that installs the function again"


def _campaign_check_passes(campaign, backer, at: dt.datetime) -> bool:
    """Whether pledge_wallet_commit gets past its campaign check at `at` (the backer has no wallet, so
    nothing is ever written: an accepted campaign answers 'wallet', a refused one 'campaign')."""
    args = [
        campaign.pk,
        backer.pk,
        None,
        1_000,
        campaign.currency,
        None,
        at,
        at,
        Account.key_for(user=backer),
        Account.key_for(campaign=campaign),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", args)
        (outcome,) = cursor.fetchone()
    assert outcome in ("campaign", "wallet")
    return outcome == "wallet"


def test_the_function_accepts_pledges_at_exactly_the_instants_the_campaign_does():
    backer = UserFactory()
    live = CampaignFactory(slug="charity")
    closed = CampaignFactory(slug="charity", status=CampaignStatus.SUCCEEDED)
    tick = dt.timedelta(microseconds=1)
    for campaign in (live, closed):
        for at in (campaign.starts_at - tick, campaign.starts_at, campaign.deadline - tick, campaign.deadline):
            assert _campaign_check_passes(campaign, backer, at) == campaign.accepts_pledges(at), (campaign.status, at)


def test_the_function_refuses_an_amount_above_the_limit_without_writing():
    backer, campaign = UserFactory(), CampaignFactory(slug="charity")
    args = [
        campaign.pk,
        backer.pk,
        None,
        MAX_AMOUNT + 1,
        campaign.currency,
        None,
        campaign.starts_at,
        campaign.starts_at,
        Account.key_for(user=backer),
        Account.key_for(campaign=campaign),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", args)
        assert cursor.fetchone()[0] == "amount"
