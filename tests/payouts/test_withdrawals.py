"""Backers withdraw a wallet's balance to their bank: asking takes the money out of the wallet (it is
then owed to their bank), Finance staff pay it and record the transfer, and the books stay balanced. A
double click asks once; nobody withdraws more than the wallet holds."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import ApplicationError, PermissionDenied
from funding.audit import ledger_audit
from ledger.models import Account, AccountKind, Entry
from ledger.selectors import wallet_balance
from payouts.models import Withdrawal, WithdrawalStatus
from payouts.withdrawals import withdrawal_pay, withdrawal_request
from tests.factories import GOOD_IBAN, StaffFactory, UserFactory, wallet_top_up

pytestmark = pytest.mark.django_db


def _balance(user, kind, currency):
    account = Account.objects.get(owner_key=Account.key_for(user=user), kind=kind, currency=currency)
    return sum(Entry.objects.filter(account=account).values_list("amount", flat=True))


def test_a_withdrawal_moves_the_money_from_the_wallet_to_the_bank_once_paid():
    backer = UserFactory()
    wallet_top_up(backer, currency="GBP", amount=5_000, platform_slug="civic")
    withdrawal = withdrawal_request(user=backer, currency="GBP", amount=3_000, request_key="k1")
    assert withdrawal.account_number == GOOD_IBAN  # a platform in pounds pays to the IBAN
    assert wallet_balance(backer, "GBP") == 2_000
    assert _balance(backer, AccountKind.WITHDRAWAL_PAYABLE, "GBP") == 3_000

    withdrawal_pay(withdrawal_id=withdrawal.pk, reference="BACS 123", actor=StaffFactory())
    withdrawal_pay(withdrawal_id=withdrawal.pk, reference="BACS 123", actor=StaffFactory())  # twice: once
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.PAID
    assert _balance(backer, AccountKind.WITHDRAWAL_PAYABLE, "GBP") == 0
    assert _balance(backer, AccountKind.BANK_OUT, "GBP") == 3_000
    assert ledger_audit() == []


def test_a_double_click_asks_once_and_more_than_the_balance_is_refused():
    backer = UserFactory()
    wallet_top_up(backer, currency="IRR", amount=30_000)
    first = withdrawal_request(user=backer, currency="IRR", amount=20_000, request_key="same")
    again = withdrawal_request(user=backer, currency="IRR", amount=20_000, request_key="same")
    assert first.pk == again.pk
    with pytest.raises(ApplicationError) as refused:
        withdrawal_request(user=backer, currency="IRR", amount=20_000, request_key="other")
    assert refused.value.code == "wallet_too_low"
    assert wallet_balance(backer, "IRR") == 10_000
    assert Withdrawal.objects.filter(user=backer).count() == 1


def test_no_withdrawal_without_bank_details_and_only_finance_staff_record_the_transfer():
    backer = UserFactory(bank_details=False)
    wallet_top_up(backer, currency="IRR", amount=30_000)
    with pytest.raises(ApplicationError):
        withdrawal_request(user=backer, currency="IRR", amount=1_000, request_key="k")
    payee = UserFactory()
    wallet_top_up(payee, currency="IRR", amount=30_000)
    withdrawal = withdrawal_request(user=payee, currency="IRR", amount=1_000, request_key="k2")
    with pytest.raises(PermissionDenied):
        withdrawal_pay(withdrawal_id=withdrawal.pk, reference="x", actor=StaffFactory(groups=["Reviewers"]))
    withdrawal.refresh_from_db()
    assert withdrawal.status == WithdrawalStatus.REQUESTED


def test_a_backer_in_pounds_sees_pounds_and_asks_from_the_site(client):
    backer = UserFactory()
    wallet_top_up(backer, currency="GBP", amount=2_550, platform_slug="civic")
    client.force_login(backer)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "£25.50" in dashboard and "rial" not in dashboard
    page = client.get(reverse("my-withdrawals")).content.decode()
    assert "GB82 WEST 1234 5698 7654 32" in page
    key = "abc"
    client.post(reverse("my-withdrawals") + "?currency=GBP", {"amount": "30", "request_key": key})
    assert not Withdrawal.objects.exists()  # more than the wallet holds
    client.post(reverse("my-withdrawals") + "?currency=GBP", {"amount": "20.50", "request_key": key})
    client.post(reverse("my-withdrawals") + "?currency=GBP", {"amount": "20.50", "request_key": key})
    assert list(Withdrawal.objects.values_list("amount", "currency")) == [(2_050, "GBP")]
    assert wallet_balance(backer, "GBP") == 500


def test_the_withdrawal_screen_shows_finance_staff_the_amount_and_the_account(client):
    backer = UserFactory()
    wallet_top_up(backer, currency="GBP", amount=2_550, platform_slug="civic")
    withdrawal = withdrawal_request(user=backer, currency="GBP", amount=2_000, request_key="k")
    client.force_login(StaffFactory(is_superuser=False))
    page = client.get(reverse("admin:payouts_withdrawal_change", args=[withdrawal.pk])).content.decode()
    assert "£20.00" in page and "GB82 WEST 1234 5698 7654 32" in page
