"""`reconcile_stripe`'s search for payments at Stripe that civicfund has no row for asks Stripe only for
what it needs: the date range (`created[gte]`/`created[lt]`, every page), or one campaign's payments."""

import datetime as dt
import math

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from funding.reconcile import stripe_reconcile
from payments import stripe_gateway
from pledges.services import pledge_create

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

DAY = 86_400


@pytest.fixture
def foreign(card):
    """A payment at Stripe that civicfund did not record (another tool, or a row lost to a restore)."""

    def make(amount: int, **params) -> str:
        return stripe_gateway.stripe_client().v1.payment_intents.create(
            {"amount": amount, "currency": "gbp", "payment_method": card(), "confirm": True, **params}
        )["id"]

    return make


def _missing(pi: str, amount: int) -> str:
    return f"payment {pi} of {amount} GBP at Stripe has no row in civicfund"


def test_a_date_range_asks_stripe_for_that_range_only_and_reads_every_page(
    charge_now, campaign_on, card, stripe_server, foreign, monkeypatch
):
    monkeypatch.setattr(stripe_gateway, "LIST_PAGE", 2)
    campaign = campaign_on(charge_now)
    pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card())
    recent = {foreign(amount): amount for amount in (701, 702, 703)}
    old = foreign(999)
    stripe_server.backdate("payment_intent", old, 40 * DAY)
    since = timezone.now() - dt.timedelta(days=30)
    until = timezone.now() + dt.timedelta(days=1)

    problems = stripe_reconcile(since=since, until=until)
    assert sorted(problems) == sorted(_missing(pi, amount) for pi, amount in recent.items())
    listed = stripe_server.calls("GET", "/v1/payment_intents")
    assert len(listed) == 2  # four payments in the range, two a page
    for call in listed:
        assert call["query"]["created[gte]"] == str(math.ceil(since.timestamp()))
        assert call["query"]["created[lt]"] == str(math.ceil(until.timestamp()))
        assert call["query"]["limit"] == "2"
    assert "starting_after" not in listed[0]["query"] and listed[1]["query"]["starting_after"]

    # The old payment is found by a range that covers it.
    older = stripe_reconcile(since=since - dt.timedelta(days=20), until=since)
    assert older == [_missing(old, 999)]


def test_a_campaign_is_reconciled_against_its_own_payments_at_stripe_only(
    charge_now, campaign_on, card, stripe_server, foreign
):
    mine, theirs = campaign_on(charge_now), campaign_on(charge_now)
    for campaign in (mine, theirs):
        pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_000, card=card())
    lost = foreign(777, transfer_group=f"campaign-{theirs.pk}", metadata={"group": f"campaign-{theirs.pk}"})

    assert stripe_reconcile(campaign_id=mine.pk) == []
    searched = stripe_server.calls("GET", "/v1/payment_intents/search")
    assert [c["query"]["query"] for c in searched] == [f"metadata['group']:'campaign-{mine.pk}'"]
    assert stripe_server.calls("GET", "/v1/payment_intents") == []  # no listing of every payment

    assert stripe_reconcile(campaign_id=theirs.pk) == [_missing(lost, 777)]
    # A campaign and a date range together: the range goes into the search.
    with pytest.raises(CommandError):
        call_command("reconcile_stripe", campaign=theirs.pk, since="2020-01-01", until="2099-01-01")
    assert stripe_server.calls("GET", "/v1/payment_intents/search")[-1]["query"]["query"] == (
        f"metadata['group']:'campaign-{theirs.pk}' AND created>=1577836800 AND created<4070908800"
    )
    call_command("reconcile_stripe", campaign=theirs.pk, since="2020-01-01", until="2020-02-01")  # none then
