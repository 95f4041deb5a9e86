"""Copies of one API pledge request sent at the same instant with one Idempotency-Key (a client that
retries without waiting, a proxy that resends): one pledge, one payment, and exactly one 201; every
other copy gets the replay's answer, 200 with the same pledge."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from funding.audit import ledger_audit
from ledger.models import Transaction, TransactionKind
from ledger.selectors import wallet_balance
from payments.models import PaymentAttempt, SandboxOperation
from pledges.models import Pledge, PledgeStatus
from tests.factories import wallet_top_up

from .support import GOOD_CARD, backers_make, campaign_live, threads_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COPIES = 20
AMOUNT = 50_000


@pytest.mark.parametrize("source", ["card", "wallet"])
def test_copies_of_one_pledge_request_sent_at_once_make_one_pledge_one_payment_and_one_201(presets, source):
    campaign = campaign_live("charity", goal=10_000_000)
    (backer,) = backers_make(1)
    wallet_top_up(backer, currency=campaign.currency, amount=AMOUNT * 3)
    token = Token.objects.create(user=backer).key
    body = {"amount": AMOUNT, "source": source, "card": GOOD_CARD if source == "card" else ""}

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(
            f"/api/v1/campaigns/{campaign.pk}/pledges/", body, format="json", HTTP_IDEMPOTENCY_KEY="order-7"
        )
        return response.status_code, response.json()

    run = threads_run([send] * COPIES)
    assert run.unexpected() == []
    statuses = sorted(code for code, _ in run.values)
    assert statuses == [200] * (COPIES - 1) + [201], statuses
    (pledge,) = Pledge.objects.filter(campaign=campaign)
    assert {answer["id"] for _, answer in run.values} == {pledge.pk}
    assert pledge.status == PledgeStatus.PAID and pledge.amount == AMOUNT
    if source == "card":
        assert SandboxOperation.objects.filter(kind="charge").count() == 1
        assert PaymentAttempt.objects.filter(pledge=pledge, kind="charge").count() == 1
    else:
        assert Transaction.objects.filter(kind=TransactionKind.WALLET_SPEND, campaign=campaign).count() == 1
        assert wallet_balance(backer, campaign.currency) == AMOUNT * 2
    assert ledger_audit() == []
