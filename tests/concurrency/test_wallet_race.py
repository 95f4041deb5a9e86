"""Wallet pledges racing each other: one wallet spent by many requests at once, the last units of a
tier bought from wallets, and one request sent twice at once. On PostgreSQL a wallet pledge is
written by one SQL function call (pledges.services._pledge_from_wallet_at_once): these hold it to
the same guarantees as the locked path."""

import threading
import time
import uuid

import pytest
from django.db import connection, transaction

from core.errors import InsufficientFunds, PledgeRefused
from funding.audit import ledger_audit
from ledger.selectors import wallet_balance
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import campaign_raised
from pledges.services import pledge_create
from projects.models import RewardTier
from tests.factories import wallet_top_up

from .support import backers_make, campaign_live, threads_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _campaign_with_a_first_pledge(slug: str, **kw):
    """A live campaign someone already backed (so its escrow account exists, as on a busy campaign)."""
    campaign = campaign_live(slug, goal=10**9, **kw)
    early = backers_make(1, "early")[0]
    currency = campaign.currency
    wallet_top_up(early, currency=currency, amount=100_000, platform_slug=slug)
    pledge_create(campaign_id=campaign.pk, backer=early, amount=campaign.platform.min_pledge, source="wallet")
    return campaign


def test_a_wallet_spent_by_eight_requests_at_once_pays_only_what_it_holds(presets):
    campaign = _campaign_with_a_first_pledge("charity")
    backer = backers_make(1)[0]
    wallet_top_up(backer, currency="IRR", amount=30_000)

    def spend():
        return pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")

    run = threads_run([spend] * 8)
    assert run.unexpected(InsufficientFunds) == []
    assert len(run.values) == 3 and len(run.errors) == 5
    assert wallet_balance(backer, "IRR") == 0  # never below zero
    assert Pledge.objects.filter(campaign=campaign, backer=backer, status=PledgeStatus.PAID).count() == 3
    assert campaign_raised(campaign.pk) == 30_000 + campaign.platform.min_pledge
    assert ledger_audit() == []


def test_a_spend_waiting_for_the_wallet_sees_the_spend_that_held_it(presets):
    """Deterministic: the first spend holds the wallet, uncommitted, while the second arrives. The
    second must wait for it and then count it (a fresh snapshot after the lock), not pay from the
    balance it saw when it started."""
    campaign = _campaign_with_a_first_pledge("charity")
    backer = backers_make(1)[0]
    wallet_top_up(backer, currency="IRR", amount=10_000)
    first_wrote, first_may_commit = threading.Event(), threading.Event()

    def first():
        with transaction.atomic():
            made = pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")
            first_wrote.set()
            assert first_may_commit.wait(30)
        return made

    def second():
        assert first_wrote.wait(30)
        return pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")

    def release_when_second_waits():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _someone_waits_for_a_lock():
            time.sleep(0.02)
        first_may_commit.set()
        return None

    run = threads_run([first, second, release_when_second_waits])
    assert run.unexpected(InsufficientFunds) == []
    assert [type(e) for e in run.errors] == [InsufficientFunds]
    assert wallet_balance(backer, "IRR") == 0
    assert Pledge.objects.filter(backer=backer).count() == 1
    assert ledger_audit() == []


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_backers_paying_from_wallets_never_oversell_the_last_units_of_a_tier(presets):
    campaign = _campaign_with_a_first_pledge(
        "presale", tiers=[{"amount": 50_000, "title": "Early bird", "quantity_limit": 2}]
    )
    tier = campaign.tiers.get()
    people = backers_make(6)
    for person in people:
        wallet_top_up(person, currency="IRT", amount=50_000, platform_slug="presale")

    def buy(person):
        return lambda: pledge_create(
            campaign_id=campaign.pk, backer=person, amount=50_000, tier_id=tier.pk, source="wallet"
        )

    run = threads_run([buy(p) for p in people])
    assert run.unexpected(PledgeRefused) == []
    assert len(run.values) == 2
    assert {e.code for e in run.errors} == {"tier_sold_out"}
    assert RewardTier.objects.get(pk=tier.pk).quantity_claimed == 2
    spent = {p.backer_id for p in run.values}
    for person in people:  # the refused backers keep their money
        assert wallet_balance(person, "IRT") == (0 if person.pk in spent else 50_000)
    assert ledger_audit() == []


def test_one_request_sent_twice_at_once_pledges_once(presets):
    campaign = _campaign_with_a_first_pledge("charity")
    backer = backers_make(1)[0]
    wallet_top_up(backer, currency="IRR", amount=100_000)
    key = uuid.uuid4().hex

    def send():
        return pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet", request_key=key)

    run = threads_run([send] * 4)
    assert run.errors == []
    assert len({p.pk for p in run.values}) == 1
    assert Pledge.objects.filter(backer=backer).count() == 1
    assert wallet_balance(backer, "IRR") == 90_000
