"""The hooks the civic features plug into (docs/architecture.md, "Extension points") do what they promise:
a function registered on a lower layer's hook runs inside the transaction of the change it is about, can
refuse it, and can take the wallet pledge off its SQL fast path."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from core.errors import ApplicationError
from core.hooks import Hook
from funding import hooks as funding_hooks
from funding.services import campaign_close
from payouts import hooks as payout_hooks
from payouts.models import Payout, PayoutKind, PayoutStatus
from payouts.services import payout_send
from pledges import hooks as pledge_hooks
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_cancel, pledge_create
from projects import hooks as project_hooks
from projects.models import CampaignStatus
from projects.services import campaign_submit

from .factories import CampaignFactory, PayoutFactory, TierFactory, UserFactory, wallet_top_up
from .queries import statements

pytestmark = pytest.mark.django_db


@contextmanager
def registered(hook: Hook, function: Any) -> Iterator[None]:
    hook.register(function)
    try:
        yield
    finally:
        hook.unregister(function)


def _python_path(*, campaign):
    return True  # every campaign: wallet pledges run the Python hooks (PostgreSQL's SQL path runs none)


def test_a_counting_pledge_is_seen_inside_its_transaction_and_a_refusal_there_rolls_it_back():
    campaign = CampaignFactory(slug="charity")
    backer = UserFactory()
    wallet_top_up(backer, currency="IRR", amount=100_000)
    seen = []

    def count(*, pledge):
        seen.append((pledge.pk, pledge.status))

    with (
        registered(pledge_hooks.wallet_fast_path_refused, _python_path),
        registered(pledge_hooks.pledge_counting, count),
    ):
        paid = pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    assert seen == [(paid.pk, PledgeStatus.PAID)]

    def refuse(*, pledge):
        raise ApplicationError("the match pot is closed", code="pot_closed")

    with (
        registered(pledge_hooks.wallet_fast_path_refused, _python_path),
        registered(pledge_hooks.pledge_counting, refuse),
        pytest.raises(ApplicationError),
    ):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=30_000, source="wallet")
    assert list(Pledge.objects.filter(backer=backer).values_list("amount", flat=True)) == [20_000]


def test_a_campaign_can_take_wallet_pledges_off_the_sql_fast_path():
    """On PostgreSQL a wallet pledge is one SQL function that runs no Python hook; a campaign the hook
    names goes through the Python path, whose counting hook then sees the pledge."""
    campaign = CampaignFactory(slug="charity")
    backer = UserFactory()
    wallet_top_up(backer, currency="IRR", amount=100_000)
    seen = []
    with (
        registered(pledge_hooks.wallet_fast_path_refused, _python_path),
        registered(pledge_hooks.pledge_counting, lambda *, pledge: seen.append(pledge.pk)),
    ):
        pledge = pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    assert seen == [pledge.pk]


@pytest.mark.postgres
def test_a_hook_s_sql_guard_is_asked_in_the_pledge_s_statement_and_the_hook_only_when_it_is_true():
    """A fast-path function with an `sql_guard` is not called while its guard is false (the pledge's
    statement evaluates it); when it is true the statement writes nothing and the function decides."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = CampaignFactory(slug="charity")
    backer = UserFactory()
    wallet_top_up(backer, currency="IRR", amount=100_000)
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")  # makes the escrow
    asked, guard_open = [], {"open": False}

    def refused(*, campaign):
        asked.append(campaign.pk)
        return True

    refused.sql_guard = lambda *, campaign: ("%s", [guard_open["open"]])  # type: ignore[attr-defined]
    seen = []
    with (
        registered(pledge_hooks.wallet_fast_path_refused, refused),
        registered(pledge_hooks.pledge_counting, lambda *, pledge: seen.append(pledge.pk)),
        CaptureQueriesContext(connection) as queries,
    ):
        fast = pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
        guard_open["open"] = True
        slow = pledge_create(campaign_id=campaign.pk, backer=backer, amount=30_000, source="wallet")
    assert asked == [campaign.pk]  # only for the second pledge, whose guard was true
    assert seen == [fast.pk, slow.pk]
    assert sum("pledge_wallet_commit" in sql for sql in statements(queries.captured_queries)) == 2  # one, then guarded
    assert Pledge.objects.filter(backer=backer).count() == 3


def test_pledges_that_stop_counting_are_named_to_the_hook(pledge, run_on_commit):
    campaign = CampaignFactory(slug="presale")
    backer = UserFactory()
    paid = pledge(campaign, backer, 5_000)
    stopped = []
    with (
        registered(
            pledge_hooks.pledges_not_counting,
            lambda *, campaign_id, pledge_ids: stopped.append((campaign_id, pledge_ids)),
        ),
        run_on_commit(),
    ):
        pledge_cancel(pledge_id=paid.pk, backer=backer)
    assert stopped == [(campaign.pk, [paid.pk])]


def test_the_close_judges_on_citizen_money_plus_what_the_hook_counts(pledge, run_on_commit):
    campaign = CampaignFactory(slug="presale", goal=10_000, funding_model="all_or_nothing")
    pledge(campaign, UserFactory(), 6_000)
    closed = []
    with (
        registered(funding_hooks.counted_at_close, lambda *, campaign, citizen: 4_000),
        registered(funding_hooks.closed, lambda *, campaign, succeeded, citizen: closed.append((succeeded, citizen))),
        run_on_commit(),
    ):
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == CampaignStatus.SUCCEEDED
    campaign.refresh_from_db()
    assert campaign.raised_at_close == 6_000 and closed == [(True, 6_000)]


def test_a_submission_check_refuses_a_draft(owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    TierFactory(campaign=campaign)

    def guarantee_required(*, campaign, user):
        raise ApplicationError("A verified bank guarantee is needed.", code="guarantee_missing")

    with registered(project_hooks.submission_check, guarantee_required), pytest.raises(ApplicationError):
        campaign_submit(campaign=campaign, user=owner)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_a_release_block_holds_a_due_payout_back_until_it_is_lifted():
    payout = PayoutFactory(kind=PayoutKind.HELD, amount=95_000)
    with registered(payout_hooks.release_blocked, lambda *, payout: "2 open claims"):
        assert payout_send(payout_id=payout.pk).status == PayoutStatus.SCHEDULED
    assert payout_send(payout_id=payout.pk).status == PayoutStatus.PROCESSING
    assert Payout.objects.get(pk=payout.pk).method == "manual_bank"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_ledger_watcher_without_sql_still_sees_a_wallet_pledge_in_its_transaction():
    """Outside a transaction a wallet pledge commits in one statement only when every function watching
    the ledger has SQL standing in for it there (the statistics do); one without (below) takes the pledge
    back into a transaction that announces the spend to it, and a refusal there writes nothing."""
    from django.db import connection

    from ledger import hooks as ledger_hooks
    from ledger.models import TransactionKind

    campaign = CampaignFactory(slug="charity")
    backer = UserFactory()
    wallet_top_up(backer, currency="IRR", amount=100_000)
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")  # opens the escrow
    seen = []

    def watch(*, transaction, legs, **_):
        seen.append((transaction.kind, connection.in_atomic_block, sorted(leg.amount for leg in legs)))

    with registered(ledger_hooks.recorded, watch):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    assert seen == [(TransactionKind.WALLET_SPEND, True, [-20_000, 20_000])]

    def refuse(*, transaction, legs, **_):
        raise ApplicationError("the books are closed", code="books_closed")

    with registered(ledger_hooks.recorded, refuse), pytest.raises(ApplicationError):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=30_000, source="wallet")
    assert sorted(Pledge.objects.filter(backer=backer).values_list("amount", flat=True)) == [10_000, 20_000]
