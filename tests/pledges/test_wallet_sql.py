"""The one-round-trip SQL function of wallet pledges says what the Python rules say: it is rendered from
the same constants (pledges.wallet_sql), the database holds that rendering, and it accepts a pledge at
exactly the instants `Campaign.accepts_pledges` does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import PledgeRefused
from core.money import MAX_AMOUNT
from ledger.models import Account
from platforms.models import Platform
from pledges.models import Pledge
from pledges.services import intake, pledge_create
from pledges.wallet_sql import function_body
from projects.models import Campaign, CampaignStatus
from stats.models import Tally

from ..factories import CampaignFactory, CategoryFactory, UserFactory, wallet_top_up

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
        campaign.platform.min_pledge,
        campaign.currency,
        None,
        at,
        at,
        Account.key_for(user=backer),
        Account.key_for(campaign=campaign),
        None,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT outcome FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, TRUE)", args
        )
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
        None,
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT outcome FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, TRUE)", args
        )
        assert cursor.fetchone()[0] == "amount"


# --- the rules, checked again on the locked rows ------------------------------------------------


def _stale_campaign_pledge(change) -> tuple[PledgeRefused, int]:
    """A backer pledges 20,000 from their wallet twice (the campaign is then kept by the fast path), then
    pledges again after `change(campaign, backer)` changed a rule behind that kept read. Returns how the
    third pledge was refused and how many pledges the campaign has."""
    campaign, backer = CampaignFactory(slug="charity"), UserFactory()
    wallet_top_up(backer, currency=campaign.currency, amount=100_000)
    for _ in range(2):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    assert campaign.pk in intake._campaigns  # the kept read, from before the change
    change(campaign, backer)
    with pytest.raises(PledgeRefused) as refused:
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    wallet = Account.objects.get(owner_key=Account.key_for(user=backer), kind="wallet")
    assert wallet.debited == 40_000  # the refused pledge took nothing
    assert campaign.pk not in intake._campaigns  # the next pledge reads the campaign afresh
    return refused.value, Pledge.objects.filter(campaign=campaign).count()


def _campaign_set(**fields):
    return lambda campaign, backer: Campaign.objects.filter(pk=campaign.pk).update(**fields)


def _platform_set(**fields):
    return lambda campaign, backer: Platform.objects.filter(pk=campaign.platform_id).update(**fields)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_campaign_set(status=CampaignStatus.SUCCEEDED), "campaign_not_live"),
        (lambda c, b: Campaign.objects.filter(pk=c.pk).update(deadline=timezone.now()), "campaign_closed"),
        (_platform_set(min_pledge=50_000), "amount_too_small"),
        (_platform_set(allow_free_amounts=False), "tier_required"),
        (lambda c, b: Campaign.objects.filter(pk=c.pk).update(owner=b), "own_campaign"),
    ],
    ids=["closed", "deadline", "smallest-pledge", "no-free-amounts", "backer-became-owner"],
)
def test_a_rule_changed_since_the_campaign_was_read_refuses_the_pledge(change, code):
    refused, pledges = _stale_campaign_pledge(change)
    assert refused.code == code
    assert pledges == 2


def test_a_wallet_pledge_counts_in_the_category_the_campaign_has_now():
    campaign, backer = CampaignFactory(slug="charity"), UserFactory()
    wallet_top_up(backer, currency=campaign.currency, amount=100_000)
    for _ in range(2):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    moved_to = CategoryFactory(platform=campaign.platform)
    Campaign.objects.filter(pk=campaign.pk).update(category=moved_to)  # after the fast path read it
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    assert Tally.objects.get(category=moved_to).raised == 20_000
    assert Tally.objects.get(category=campaign.category).raised == 40_000
