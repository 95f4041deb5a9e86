"""Withdrawals racing each other and wallet pledges: the wallet is locked as pledges lock it, so eight
requests at once take no more than it holds, and its balance never goes below zero."""

import pytest

from core.errors import ApplicationError
from funding.audit import ledger_audit
from ledger.selectors import wallet_balance
from payouts.details import bank_details_save
from payouts.models import Withdrawal
from payouts.withdrawals import withdrawal_request
from tests.factories import GOOD_SHEBA, wallet_top_up

from .support import backers_make, threads_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_eight_withdrawals_at_once_take_only_what_the_wallet_holds(presets):
    backer = backers_make(1)[0]
    bank_details_save(user=backer, holder_name="Ana", sheba=GOOD_SHEBA)
    wallet_top_up(backer, currency="IRR", amount=30_000)
    run = threads_run(
        [
            lambda i=i: withdrawal_request(user=backer, currency="IRR", amount=10_000, request_key=f"race-{i}")
            for i in range(8)
        ]
    )
    assert run.unexpected(ApplicationError) == []
    assert len(run.values) == 3
    assert Withdrawal.objects.filter(user=backer).count() == 3
    assert wallet_balance(backer, "IRR") == 0
    assert ledger_audit() == []
