"""A big failed campaign's card refunds: fanned out in small Celery batches, paced by one global
schedule (Redis when REDIS_URL is set, else a database row) shared by every worker, one slot per
request sent to Stripe; each refund idempotent; the campaign refunded when the last one is booked.
Pacing is checked on a fake clock."""

import pytest
from django.core.management import call_command

from funding.audit import ledger_audit
from payments import pacing
from payments.models import PaymentAttempt
from pledges import tasks as pledge_tasks
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create
from projects.models import CampaignStatus

from ..factories import UserFactory
from .conftest import close, stripe_platform

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self):
        import time

        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def fake_clock(monkeypatch, settings):
    """A clock that moves only when paced code sleeps; the schedule in a store of its own, so the
    fake times never reach the pace other tests use."""
    clock = FakeClock()
    monkeypatch.setattr(pacing, "clock", clock)
    monkeypatch.setattr(pacing, "sleep", clock.sleep)
    own = (
        pacing.RedisSlots(settings.REDIS_URL, prefix="civicfund:test-fake-pace:")
        if settings.REDIS_URL
        else pacing.DatabaseSlots()
    )
    monkeypatch.setattr(pacing, "slot_store", lambda: own)
    yield clock
    if settings.REDIS_URL:
        for key in own.client.scan_iter(own.prefix + "*"):
            own.client.delete(key)


@pytest.fixture
def granted(fake_clock, monkeypatch):
    """The fake times at which paced requests got their slots, in order."""
    times = []
    wait = pacing.Pacer.wait
    monkeypatch.setattr(pacing.Pacer, "wait", lambda self: (wait(self), times.append(fake_clock()))[0])
    return times


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("REDIS_URL not set")
        store = pacing.RedisSlots(settings.REDIS_URL, prefix=f"civicfund:test-pace:{id(request)}:")
        yield store
        for key in store.client.scan_iter(store.prefix + "*"):
            store.client.delete(key)
    else:
        yield pacing.DatabaseSlots()


def test_two_workers_sharing_a_schedule_never_exceed_the_rate_together(store, fake_clock):
    """Two pacers (two workers) reserve slots alternately at the same instant: the slots are one
    interval apart across both, not per worker."""
    a, b = (pacing.Pacer("refunds", 4, store=store) for _ in range(2))
    waits = [round(p.store.reserve(p.name, now=fake_clock(), interval=0.25, burst=1), 6) for p in (a, b, a, b, a)]
    assert waits == [0.0, 0.25, 0.5, 0.75, 1.0]
    fake_clock.now += 10  # an idle schedule does not bank slots beyond the burst
    assert store.reserve("refunds", now=fake_clock(), interval=0.25, burst=1) == 0.0
    assert round(store.reserve("refunds", now=fake_clock(), interval=0.25, burst=1), 6) == 0.25


def test_a_burst_lets_that_many_calls_go_at_once_then_paces(store, fake_clock):
    waits = [round(store.reserve("burst", now=fake_clock(), interval=0.5, burst=3), 6) for _ in range(5)]
    assert waits == [0.0, 0.0, 0.0, 0.5, 1.0]


def test_card_refunds_of_a_failed_campaign_are_fanned_out_and_paced_globally(
    charge_now, campaign_on, card, stripe_server, run_on_commit, settings, granted, monkeypatch
):
    settings.STRIPE_REFUNDS_PER_SECOND = 5.0
    settings.STRIPE_REFUND_BATCH = 4
    campaign = campaign_on(charge_now, goal=10**9)
    pledges = [
        pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000 + i, card=card()) for i in range(10)
    ]
    batches = []
    delay = pledge_tasks.refund_pledges.delay
    monkeypatch.setattr(pledge_tasks.refund_pledges, "delay", lambda ids: (batches.append(list(ids)), delay(ids))[1])

    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    ids = [p.pk for p in pledges]
    assert batches == [ids[0:4], ids[4:8], ids[8:10]]  # one task per small batch
    sent = stripe_server.calls("GET", "/v1/refunds") + stripe_server.calls("POST", "/v1/refunds")
    assert len(sent) == 20  # each refund is two requests: the look-up of an earlier one, the create ...
    assert len(granted) == 20  # ... and each request waited for a slot of its own ...
    gaps = [round(b - a, 3) for a, b in zip(granted, granted[1:], strict=False)]
    assert gaps == [0.2] * 19  # ... one fifth of a second apart on the shared schedule: 5 requests/s
    refunds = stripe_server.calls("POST", "/v1/refunds")
    assert sorted(c["key"] for c in refunds) == sorted(f"pledge-{p.pk}-refund" for p in pledges)
    assert set(Pledge.objects.filter(campaign=campaign).values_list("status", flat=True)) == {PledgeStatus.REFUNDED}
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)

    # A batch delivered again (a Celery redelivery) takes no slot and refunds nothing twice.
    before = len(granted)
    assert pledge_tasks.refund_pledges(ids[:4]) == 0
    assert len(granted) == before
    assert len(stripe_server.calls("POST", "/v1/refunds")) == 10


def test_a_refund_resumed_after_its_answer_was_lost_takes_a_slot_only_for_the_requests_it_sends(
    charge_now, campaign_on, card, stripe_server, run_on_commit, granted
):
    """The create reached Stripe but its answer was lost; the batch's Celery retry looks the refund
    up with our key, finds it, and creates nothing: three requests in all, three slots, not four."""
    from celery.exceptions import Retry

    from payments.gateways import GatewayUnavailable

    campaign = campaign_on(charge_now, goal=10**9)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=2_000, card=card())
    stripe_server.fault("POST", "/v1/refunds", "lost")
    with pytest.raises((GatewayUnavailable, Retry)):
        close(campaign, run_on_commit)
    assert len(granted) == 2 and Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.REFUNDING
    assert pledge_tasks.refund_pledges([pledge.pk]) == 1  # the batch's Celery retry
    assert [c["method"] for c in stripe_server.requests if c["path"] == "/v1/refunds"] == ["GET", "POST", "GET"]
    assert len(granted) == 3
    assert len(stripe_server.objects("refund")) == 1
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.REFUNDED
    assert ledger_audit() == []


def test_the_sdk_s_own_retry_of_a_refund_waits_for_a_slot_of_its_own(
    charge_now, campaign_on, card, stripe_server, run_on_commit, granted, settings
):
    """Stripe answers a refund with 503 once; the SDK sends it again by itself (same key). That
    retry is a request like any other: it takes its own slot, so an outage's retries cannot outrun
    the rate limit. Three requests, three slots, one refund."""
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    settings.STRIPE_REFUNDS_PER_SECOND = 5
    campaign = campaign_on(charge_now, goal=10**9)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=2_000, card=card())
    stripe_server.fault("POST", "/v1/refunds", "down")

    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    assert [(c["method"], c["key"]) for c in stripe_server.requests if c["path"] == "/v1/refunds"] == [
        ("GET", ""),
        ("POST", f"pledge-{pledge.pk}-refund"),
        ("POST", f"pledge-{pledge.pk}-refund"),
    ]
    assert len(granted) == 3
    assert [round(b - a, 3) for a, b in zip(granted, granted[1:], strict=False)] == [0.2, 0.2]
    assert len(stripe_server.objects("refund")) == 1
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.REFUNDED
    assert ledger_audit() == []


def test_a_stripe_platform_refunding_to_wallets_credits_them_without_the_refund_api(
    stripe_server, campaign_on, card, run_on_commit
):
    from ledger.selectors import wallet_balance

    platform = stripe_platform("charge_now", refund_destination="wallet")
    campaign = campaign_on(platform, goal=100_000)
    backers = [UserFactory() for _ in range(3)]
    for backer, amount in zip(backers, (1_000, 2_500, 4_000), strict=True):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=card())
    assert len(stripe_server.objects("payment_intent")) == 3
    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    assert stripe_server.calls("POST", "/v1/refunds") == []
    assert stripe_server.objects("refund") == []
    assert not PaymentAttempt.objects.filter(kind="refund").exists()
    assert [wallet_balance(b, "GBP") for b in backers] == [1_000, 2_500, 4_000]
    assert set(Pledge.objects.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)
