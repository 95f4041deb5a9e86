"""Pledging through the API: card and wallet, tiers, bad input, idempotency, cancelling, my pledges."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from payments.models import PaymentAttempt
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import campaign_raised
from projects.models import CampaignStatus
from tests.factories import DECLINED_CARD, GOOD_CARD, CampaignFactory, PledgeFactory, TierFactory, wallet_top_up

from .conftest import assert_error

pytestmark = pytest.mark.django_db


def url(campaign) -> str:
    return f"/api/v1/campaigns/{campaign.pk}/pledges/"


def test_card_pledge_free_amount(as_backer, live):
    response = as_backer.post(url(live), {"amount": 20_000, "card": GOOD_CARD}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == 20_000 and body["currency"] == "IRT" and body["status"] == "paid"
    assert body["campaign"] == live.pk and body["tier"] is None and body["source"] == "card"
    assert campaign_raised(live.pk) == 20_000


def test_tier_pledge_takes_a_unit(as_backer, anon, live, tier):
    response = as_backer.post(url(live), {"amount": 15_000, "tier": tier.pk, "card": GOOD_CARD}, format="json")
    assert response.status_code == 201 and response.json()["tier"] == tier.pk
    detail = anon.get(f"/api/v1/campaigns/{live.pk}/").json()
    assert detail["tiers"][0]["remaining"] == 1 and detail["raised"] == 15_000


def test_sold_out_tier_is_refused(as_backer, as_backer2, live, tier):
    tier.quantity_claimed = 2
    tier.save()
    assert_error(
        as_backer.post(url(live), {"amount": 15_000, "tier": tier.pk, "card": GOOD_CARD}, format="json"),
        422,
        "tier_sold_out",
        "tier",
    )


def test_wallet_pledge_and_insufficient_funds(as_backer, backer, charity):
    campaign = CampaignFactory(slug="charity")
    wallet_top_up(backer, currency="IRR", amount=50_000)
    ok = as_backer.post(url(campaign), {"amount": 30_000, "source": "wallet"}, format="json")
    assert ok.status_code == 201 and ok.json()["source"] == "wallet" and ok.json()["status"] == "paid"
    assert_error(
        as_backer.post(url(campaign), {"amount": 30_000, "source": "wallet"}, format="json"),
        422,
        "insufficient_funds",
        "amount",
    )
    assert Pledge.objects.filter(backer=backer).count() == 1


def test_declined_card(as_backer, live, backer):
    assert_error(
        as_backer.post(url(live), {"amount": 20_000, "card": DECLINED_CARD}, format="json"),
        402,
        "payment_declined",
        "card",
    )
    assert campaign_raised(live.pk) == 0


@pytest.mark.parametrize(
    "body, status, code, field",
    [
        ({"amount": "lots"}, 400, "invalid", "amount"),
        ({"amount": 12.5}, 400, "invalid", "amount"),
        ({"amount": None}, 400, "invalid", "amount"),
        ({}, 400, "invalid", "amount"),
        ({"amount": -20_000}, 422, "amount_too_small", "amount"),
        ({"amount": 0}, 422, "amount_too_small", "amount"),
        ({"amount": 10**30}, 422, "invalid_amount", "amount"),
        ({"amount": 20_000, "tier": 999_999_999}, 422, "unknown_tier", "tier"),
        ({"amount": 20_000, "tier": 10**30}, 422, "unknown_tier", "tier"),
        ({"amount": 20_000, "tier": "abc"}, 400, "invalid", "tier"),
        ({"amount": 20_000, "currency": "GBP"}, 422, "wrong_currency", "currency"),
        ({"amount": 20_000, "source": "bitcoin"}, 400, "invalid", "source"),
        ({"amount": 20_000, "card": "\x00"}, 400, "invalid", "card"),
    ],
)
def test_bad_pledge_input_is_refused(as_backer, live, body, status, code, field):
    body = {"card": GOOD_CARD, **body}
    assert_error(as_backer.post(url(live), body, format="json"), status, code, field)
    assert not Pledge.objects.exists()


def test_tier_of_another_campaign_is_unknown(as_backer, live, presale):
    other_tier = TierFactory(campaign=CampaignFactory(slug="presale"))
    assert_error(
        as_backer.post(url(live), {"amount": 20_000, "tier": other_tier.pk, "card": GOOD_CARD}, format="json"),
        422,
        "unknown_tier",
        "tier",
    )


def test_closed_not_live_own_and_missing_campaigns(as_backer, as_owner, live, presale):
    closed = CampaignFactory(
        slug="presale",
        deadline=timezone.now() - dt.timedelta(seconds=1),
        starts_at=timezone.now() - dt.timedelta(days=2),
    )
    assert_error(
        as_backer.post(url(closed), {"amount": 20_000, "card": GOOD_CARD}, format="json"), 422, "campaign_closed"
    )
    succeeded = CampaignFactory(slug="presale", status=CampaignStatus.SUCCEEDED)
    assert_error(
        as_backer.post(url(succeeded), {"amount": 20_000, "card": GOOD_CARD}, format="json"), 422, "campaign_not_live"
    )
    assert_error(as_owner.post(url(live), {"amount": 20_000, "card": GOOD_CARD}, format="json"), 422, "own_campaign")
    assert_error(
        as_backer.post("/api/v1/campaigns/987654321/pledges/", {"amount": 20_000, "card": GOOD_CARD}, format="json"),
        404,
        "not_found",
    )
    assert not Pledge.objects.exists()


def test_idempotency_key_replays_the_first_pledge(as_backer, live, backer):
    body = {"amount": 20_000, "card": GOOD_CARD}
    first = as_backer.post(url(live), body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    again = as_backer.post(url(live), body, format="json", HTTP_IDEMPOTENCY_KEY="order-1")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json() == again.json()
    assert Pledge.objects.filter(backer=backer).count() == 1
    assert PaymentAttempt.objects.filter(kind="charge").count() == 1
    assert campaign_raised(live.pk) == 20_000
    other = as_backer.post(url(live), body, format="json", HTTP_IDEMPOTENCY_KEY="order-2")
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]


def test_idempotency_key_is_per_backer(as_backer, as_backer2, live):
    body = {"amount": 20_000, "card": GOOD_CARD}
    a = as_backer.post(url(live), body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    b = as_backer2.post(url(live), body, format="json", HTTP_IDEMPOTENCY_KEY="same")
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


def test_idempotency_key_with_a_different_body_conflicts(as_backer, live, backer):
    as_backer.post(url(live), {"amount": 20_000, "card": GOOD_CARD}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert_error(
        as_backer.post(url(live), {"amount": 25_000, "card": GOOD_CARD}, format="json", HTTP_IDEMPOTENCY_KEY="k"),
        409,
        "idempotency_key_reused",
    )
    assert Pledge.objects.filter(backer=backer).count() == 1


def test_idempotency_key_replays_a_decline(as_backer, live, backer):
    body = {"amount": 20_000, "card": DECLINED_CARD}
    for _ in range(2):
        assert_error(as_backer.post(url(live), body, format="json", HTTP_IDEMPOTENCY_KEY="d"), 402, "payment_declined")
    assert Pledge.objects.filter(backer=backer).count() == 1


def test_idempotency_key_too_long(as_backer, live):
    assert_error(
        as_backer.post(url(live), {"amount": 20_000, "card": GOOD_CARD}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 121),
        400,
        "invalid_idempotency_key",
    )


def test_my_pledges_only_mine(as_backer, as_backer2, live):
    mine = as_backer.post(url(live), {"amount": 20_000, "card": GOOD_CARD}, format="json").json()
    theirs = as_backer2.post(url(live), {"amount": 30_000, "card": GOOD_CARD}, format="json").json()
    listed = as_backer.get("/api/v1/pledges/").json()
    assert [p["id"] for p in listed["results"]] == [mine["id"]]
    assert listed["results"][0]["campaign_title"] == live.title
    assert as_backer.get(f"/api/v1/pledges/{mine['id']}/").json()["amount"] == 20_000
    assert_error(as_backer.get(f"/api/v1/pledges/{theirs['id']}/"), 404, "not_found")
    assert as_backer.get("/api/v1/pledges/", {"status": "refunded"}).json()["count"] == 0


def test_cancel_my_pledge_and_not_another(as_backer, as_backer2, live, tier, run_on_commit):
    pledge = as_backer.post(url(live), {"amount": 15_000, "tier": tier.pk, "card": GOOD_CARD}, format="json").json()
    assert_error(as_backer2.post(f"/api/v1/pledges/{pledge['id']}/cancel/"), 404, "not_found")
    with run_on_commit():
        cancelled = as_backer.post(f"/api/v1/pledges/{pledge['id']}/cancel/")
    assert cancelled.status_code == 200, cancelled.json()
    assert cancelled.json()["status"] in (PledgeStatus.REFUNDING, PledgeStatus.REFUNDED)
    assert Pledge.objects.get(pk=pledge["id"]).status == PledgeStatus.REFUNDED
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0 and campaign_raised(live.pk) == 0
    assert_error(as_backer.post(f"/api/v1/pledges/{pledge['id']}/cancel/"), 422, "not_cancellable")


def test_wallet_balance_and_history(as_backer, backer, charity):
    campaign = CampaignFactory(slug="charity")
    wallet_top_up(backer, currency="IRR", amount=50_000)
    pledge = as_backer.post(url(campaign), {"amount": 30_000, "source": "wallet"}, format="json").json()
    assert as_backer.get("/api/v1/wallet/").json() == {"balances": [{"currency": "IRR", "balance": 20_000}]}
    as_backer.post(f"/api/v1/pledges/{pledge['id']}/cancel/")  # charity refunds to the wallet at once
    assert as_backer.get("/api/v1/wallet/").json()["balances"][0]["balance"] == 50_000
    history = as_backer.get("/api/v1/wallet/entries/").json()["results"]
    assert [(e["amount"], e["kind"]) for e in history] == [
        (30_000, "refund"),
        (-30_000, "wallet_spend"),
        (50_000, "wallet_top_up"),
    ]
    assert history[0]["pledge"] == pledge["id"] and history[0]["campaign"] == campaign.pk
    assert as_backer.get("/api/v1/wallet/entries/", {"currency": "GBP"}).json()["count"] == 0


def test_another_users_wallet_is_not_shown(as_backer2, backer):
    wallet_top_up(backer, currency="IRR", amount=50_000)
    assert as_backer2.get("/api/v1/wallet/").json() == {"balances": []}
    assert as_backer2.get("/api/v1/wallet/entries/").json()["count"] == 0


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tehran"])
def test_a_pledge_reads_the_same_as_drfs_own_model_serializer_would_write_it(
    as_backer, backer, live, tier, zone, run_on_commit
):
    """PledgeSerializer writes its JSON by hand (the pledge hot path); it must stay what the
    declared fields (and so the OpenAPI schema) say, in whatever time zone is active."""
    from rest_framework import serializers

    from api.pledges import PledgeSerializer
    from pledges.services import pledge_cancel

    paid = Pledge.objects.get(
        pk=as_backer.post(url(live), {"amount": 15_000, "tier": tier.pk, "card": GOOD_CARD}, format="json").json()["id"]
    )
    with run_on_commit():
        cancelled = pledge_cancel(
            pledge_id=as_backer.post(url(live), {"amount": 20_000, "card": GOOD_CARD}, format="json").json()["id"],
            backer=backer,
        )
    pending = PledgeFactory(campaign=live, backer=backer, amount=1_000, source="card", status="pending", paid_at=None)
    with timezone.override(zone):
        for pledge in (paid, Pledge.objects.get(pk=cancelled.pk), pending):
            drf = serializers.ModelSerializer.to_representation(PledgeSerializer(), pledge)
            assert PledgeSerializer(pledge).data == drf
            assert PledgeSerializer([pledge], many=True).data == [drf]


@pytest.mark.parametrize(
    "body, plain",
    [
        ({"amount": 20_000}, True),
        ({"amount": 20_000, "source": "wallet"}, True),
        ({"amount": 15_000, "tier": 7, "source": "card"}, True),
        ({"amount": 20_000, "tier": None}, True),
        ({"amount": 10**30, "source": "wallet"}, True),
        ({"amount": -5}, True),
        ({"amount": True}, False),
        ({"amount": "20000"}, False),
        ({"amount": 20_000, "source": "bitcoin"}, False),
        ({"amount": 20_000, "tier": False}, False),
        ({"amount": 20_000, "currency": "IRR"}, False),
        ({"amount": 20_000, "card": GOOD_CARD}, False),
        ({"source": "wallet"}, False),
    ],
)
def test_the_plain_pledge_body_reads_as_the_serializer_validates_it(body, plain):
    """The hot path reads the commonest bodies without the serializer; what it reads must be exactly
    what PledgeCreateSerializer validates, and anything else goes to the serializer."""
    from api.pledges import PledgeCreateSerializer, _plain_body

    read = _plain_body(body)
    assert (read is not None) == plain
    if plain:
        serializer = PledgeCreateSerializer(data=body)
        assert serializer.is_valid(), serializer.errors
        assert read == dict(serializer.validated_data)
