"""Issue 15, delivery: a pledge of a reward that ships never exists without its shipping address. The
address is written in the pledge's own transaction, on every path (a card, a wallet in one SQL
statement or under the locks, the provider's card page), so a failure while saving it leaves no
pledge, no money moved and the reward unit free."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import DatabaseError

from funding.audit import ledger_audit
from ledger.services import balance, wallet_account
from pledges import hooks as pledge_hooks
from pledges.models import Pledge, PledgeStatus
from presale.delivery import pledge_checkout_start_shipped, pledge_create_shipped
from presale.models import ShippingAddress
from projects.models import RewardTier
from tests.factories import DECLINED_CARD, GOOD_CARD, CampaignFactory, TierFactory, wallet_top_up

from .test_delivery_services import ADDRESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(presale, owner):
    campaign = CampaignFactory(slug="presale", owner=owner)
    tier = TierFactory(
        campaign=campaign, amount=50_000, ships=True, estimated_delivery=dt.date(2027, 3, 1), quantity_limit=5
    )
    return campaign, tier


def shipped_pledge(campaign, tier, backer, **pay):
    return pledge_create_shipped(
        campaign_id=campaign.pk, backer=backer, amount=50_000, tier_id=tier.pk, address=ADDRESS, **pay
    )


def address_fails():
    return mock.patch.object(ShippingAddress, "save", side_effect=DatabaseError("disk full"))


def test_a_card_pledge_keeps_its_address_with_it(live, backer):
    campaign, tier = live
    pledge, made = shipped_pledge(campaign, tier, backer, card=GOOD_CARD)
    assert made and pledge.status == PledgeStatus.PAID
    assert ShippingAddress.objects.get(pledge=pledge).city == "Tehran"


@pytest.mark.parametrize("source", ["card", "wallet"])
def test_a_failure_while_saving_the_address_leaves_no_pledge(live, backer, source):
    campaign, tier = live
    wallet_top_up(backer, currency=campaign.currency, amount=80_000, platform_slug="presale")
    with address_fails(), pytest.raises(DatabaseError):
        shipped_pledge(campaign, tier, backer, source=source, card=GOOD_CARD)
    assert not Pledge.objects.filter(campaign=campaign).exists()
    assert RewardTier.objects.get(pk=tier.pk).quantity_claimed == 0
    assert balance(wallet_account(backer, campaign.currency)) == 80_000  # nothing spent
    assert ledger_audit() == []


def test_a_wallet_pledge_on_the_python_path_keeps_no_pledge_when_the_address_fails(live, backer):
    campaign, tier = live
    wallet_top_up(backer, currency=campaign.currency, amount=80_000, platform_slug="presale")
    refuse_fast_path = mock.patch.object(pledge_hooks.wallet_fast_path_refused, "run", return_value=[True])
    with refuse_fast_path, address_fails(), pytest.raises(DatabaseError):
        shipped_pledge(campaign, tier, backer, source="wallet")
    assert not Pledge.objects.filter(campaign=campaign).exists()
    assert balance(wallet_account(backer, campaign.currency)) == 80_000


def test_a_card_page_pledge_is_not_opened_when_the_address_fails(live, backer):
    campaign, tier = live
    with address_fails(), pytest.raises(DatabaseError):
        pledge_checkout_start_shipped(
            campaign_id=campaign.pk,
            backer=backer,
            amount=50_000,
            tier_id=tier.pk,
            address=ADDRESS,
            request_key="page-1",
            success_url="https://example.org/back",
            cancel_url="https://example.org/cancel?pledge={PLEDGE_ID}",
        )
    assert not Pledge.objects.filter(campaign=campaign).exists()
    assert RewardTier.objects.get(pk=tier.pk).quantity_claimed == 0


def test_a_card_declined_at_once_keeps_no_address(live, backer):
    campaign, tier = live
    with pytest.raises(Exception, match="declined"):
        shipped_pledge(campaign, tier, backer, card=DECLINED_CARD)
    pledge = Pledge.objects.get(campaign=campaign)
    assert pledge.status == PledgeStatus.DECLINED
    assert not ShippingAddress.objects.filter(pledge=pledge).exists()
