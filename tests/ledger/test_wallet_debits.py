"""A wallet keeps the sum of its debits on its own row (`Account.debited`), so a spend reads its balance
as the credits less that figure instead of summing every spend it ever made: pledges (both paths),
withdrawals and refunds keep it equal to the entries, and `audit_ledger` says when it is not."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps
from django.db.models import F

from core.errors import InsufficientFunds
from funding.audit import ledger_audit
from ledger import services as ledger
from ledger.models import Account, AccountKind
from ledger.selectors import wallet_balance
from payouts.withdrawals import withdrawal_request
from pledges.services import pledge_cancel, pledge_create

from ..factories import CampaignFactory, UserFactory, wallet_top_up

pytestmark = pytest.mark.django_db


def _wallet(user, currency: str) -> Account:
    return Account.objects.get(owner_key=Account.key_for(user=user), kind=AccountKind.WALLET, currency=currency)


def test_spends_add_to_the_kept_debits_and_credits_do_not(run_on_commit):
    campaign, backer = CampaignFactory(slug="charity"), UserFactory()
    wallet_top_up(backer, currency=campaign.currency, amount=100_000)
    first = pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=30_000, source="wallet")  # PostgreSQL: in SQL
    withdrawal_request(user=backer, currency=campaign.currency, amount=10_000, request_key="w1")
    assert _wallet(backer, campaign.currency).debited == 60_000
    with run_on_commit():
        pledge_cancel(pledge_id=first.pk, backer=backer)  # the 20,000 come back to the wallet: a credit

    wallet = _wallet(backer, campaign.currency)
    assert wallet.debited == 60_000
    assert ledger.wallet_spendable(wallet) == wallet_balance(backer, campaign.currency) == 60_000
    assert ledger_audit() == []


def test_a_spend_is_refused_beyond_the_credits_less_the_kept_debits():
    campaign, backer = CampaignFactory(slug="charity"), UserFactory()
    wallet_top_up(backer, currency=campaign.currency, amount=50_000)
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=30_000, source="wallet")
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")
    with pytest.raises(InsufficientFunds):
        pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_001, source="wallet")
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")
    assert wallet_balance(backer, campaign.currency) == 0
    assert _wallet(backer, campaign.currency).debited == 50_000


def test_the_audit_reports_a_wallet_whose_kept_debits_differ_from_its_entries():
    campaign, backer = CampaignFactory(slug="charity"), UserFactory(username="ana")
    wallet_top_up(backer, currency=campaign.currency, amount=50_000)
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    assert ledger_audit() == []
    Account.objects.filter(pk=_wallet(backer, campaign.currency).pk).update(debited=F("debited") - 1)
    assert ledger_audit() == [
        f"wallet of ana ({campaign.currency}) keeps debits of 19999 but its entries' debits are 20000"
    ]


def test_the_migration_starts_each_wallet_from_its_entries():
    campaign, backer, other = CampaignFactory(slug="charity"), UserFactory(), UserFactory()
    wallet_top_up(backer, currency=campaign.currency, amount=50_000)
    wallet_top_up(other, currency=campaign.currency, amount=5_000)
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=20_000, source="wallet")
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=15_000, source="wallet")
    Account.objects.update(debited=0)  # as the column arrives

    import_module("ledger.migrations.0011_wallet_debited").from_entries(apps, None)

    assert _wallet(backer, campaign.currency).debited == 35_000
    assert _wallet(other, campaign.currency).debited == 0
    assert ledger_audit() == []
