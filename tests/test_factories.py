"""The factories make rows the engine accepts: a platform of its own passes its own checks, a wallet is
the one the ledger finds for its backer, and pledges and payouts land on their campaign's currency."""

from __future__ import annotations

import pytest

from ledger.selectors import wallet_balance
from ledger.services import wallet_account

from .factories import CampaignFactory, PayoutFactory, PlatformFactory, PledgeFactory, WalletFactory, wallet_top_up

pytestmark = pytest.mark.django_db


def test_a_platform_of_its_own_is_valid_and_takes_campaigns():
    platform = PlatformFactory()
    platform.full_clean()
    campaign = CampaignFactory(platform=platform)
    assert campaign.category.platform == platform and campaign.currency == "GBP"


def test_a_wallet_is_the_ledgers_wallet_of_its_backer():
    wallet = WalletFactory(currency="IRR")
    assert wallet_account(wallet.user, "IRR") == wallet
    wallet_top_up(wallet.user, currency="IRR", amount=25_000)
    assert wallet_balance(wallet.user, "IRR") == 25_000


def test_pledges_and_payouts_take_their_campaigns_currency():
    campaign = CampaignFactory(slug="civic")
    assert PledgeFactory(campaign=campaign).currency == "GBP"
    assert PayoutFactory(campaign=campaign).currency == "GBP"
