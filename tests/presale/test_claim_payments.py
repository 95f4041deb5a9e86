"""Issue 15, claims' money reaching the backer. A card payment of an accepted claim that the card declines
leaves the claim owed (the audit stays clean: accepted = paid from held + paid from the guarantee + still
owed); the backer is told, and staff pay it to the backer's wallet instead, once. A refund the provider
answers "pending" is asked about again by a periodic job until it settles, and is credited once."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from core.errors import ApplicationError, PermissionDenied
from funding.audit import ledger_audit
from ledger.models import AccountKind, Entry
from ledger.services import balance, held_account, wallet_account
from payments.gateways import GatewayResult
from payments.models import AttemptStatus, PaymentAttempt, SandboxOperation
from payments.sandbox import SandboxGateway
from pledges.models import PledgeStatus
from pledges.services import pending_refunds_follow_up, pledge_refund
from presale import tasks
from presale.claim_money import (
    claim_payment_make,
    claim_payment_to_wallet,
    claim_payments_follow_up,
    guarantee_call_record,
    guarantee_receipt_record,
)
from presale.claims import claim_decide
from presale.models import ClaimPayment, ClaimPaymentStatus
from tests.factories import CampaignFactory, StaffFactory, UserFactory

from .conftest import GRACE_OVER, answered, file

pytestmark = pytest.mark.django_db
LATER = dt.timedelta(minutes=5)


def decided(pledge_, amount, staff=None):
    """An accepted claim whose card payment is made (not yet: no task runs here)."""
    claim = answered(file(pledge_, amount))
    claim_decide(
        claim=claim, staff=staff or StaffFactory(), accepted_amount=amount, reason="Never shipped.", now=GRACE_OVER
    )
    claim.refresh_from_db()
    return claim, ClaimPayment.objects.get(claim=claim)


def card_declines():
    declined = GatewayResult(status="declined", message="The card account is closed.", code="card_closed")
    return mock.patch.object(SandboxGateway, "refund", return_value=declined)


_real_refund = SandboxGateway.refund


def refunds_answer_pending():
    """The provider takes the refund but answers "pending" (its operation stays pending until settled)."""

    def pending(self, **kwargs):
        made = _real_refund(self, **kwargs)
        SandboxOperation.objects.filter(reference=made.reference).update(status="pending")
        return GatewayResult(status="pending", reference=made.reference, message="pending")

    return mock.patch.object(SandboxGateway, "refund", pending)


def provider_settles(payment_key: str, status: str = "succeeded") -> None:
    reference = PaymentAttempt.objects.get(idempotency_key=payment_key).reference
    SandboxOperation.objects.filter(reference=reference).update(status=status)


def to_backer(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if address in m.to]


# --- a declined card: paid to the wallet instead --------------------------------------------------------


def test_a_declined_card_payment_leaves_the_claim_owed_and_tells_the_backer(world, run_on_commit):
    claim, payment = decided(world["b"], 50_000)
    mail.outbox.clear()
    with card_declines(), run_on_commit():
        assert claim_payment_make(payment_id=payment.pk).status == ClaimPaymentStatus.FAILED
    claim.refresh_from_db()
    assert (claim.paid_from_held, claim.owed) == (0, 50_000)
    assert balance(held_account(world["campaign"])) == 95_000  # the money waits in the held part
    assert ledger_audit() == []
    backer = world["b"].backer.email
    assert any("شکایت" in subject for subject in to_backer(backer))  # told, in the platform's Persian
    assert any("کیف پول" in m.body for m in mail.outbox if backer in m.to)


def test_staff_pay_a_declined_claim_payment_to_the_wallet_once(world, run_on_commit):
    staff = StaffFactory()
    claim, payment = decided(world["b"], 50_000, staff)
    with card_declines():
        claim_payment_make(payment_id=payment.pk)
    backer = world["b"].backer
    mail.outbox.clear()
    with run_on_commit():
        paid = claim_payment_to_wallet(payment_id=payment.pk, staff=staff)
    assert (paid.status, paid.to_wallet, paid.amount, paid.key) == (
        ClaimPaymentStatus.PAID,
        True,
        50_000,
        f"{payment.key}-wallet",
    )
    assert ClaimPayment.objects.get(pk=payment.pk).status == ClaimPaymentStatus.REPLACED
    assert balance(wallet_account(backer, claim.currency)) == 50_000
    claim.refresh_from_db()
    assert (claim.paid_from_held, claim.owed) == (50_000, 0)
    assert to_backer(backer.email)  # told it was paid
    again = claim_payment_to_wallet(payment_id=payment.pk, staff=staff)  # a second click
    assert again.pk == paid.pk and balance(wallet_account(backer, claim.currency)) == 50_000
    assert Entry.objects.filter(transaction__key=paid.key).count() == 2
    assert ledger_audit() == []


def test_only_finance_staff_pay_to_the_wallet_and_only_a_declined_payment(world):
    claim, payment = decided(world["b"], 50_000)
    with pytest.raises(ApplicationError) as refused:  # still pending: not declined
        claim_payment_to_wallet(payment_id=payment.pk, staff=StaffFactory())
    assert refused.value.code == "claim_payment_not_declined"
    with card_declines():
        claim_payment_make(payment_id=payment.pk)
    with pytest.raises(PermissionDenied):
        claim_payment_to_wallet(payment_id=payment.pk, staff=StaffFactory(groups=["Reviewers"]))
    with pytest.raises(PermissionDenied):
        claim_payment_to_wallet(payment_id=payment.pk, staff=UserFactory())
    assert ClaimPayment.objects.get(pk=payment.pk).status == ClaimPaymentStatus.FAILED
    assert ledger_audit() == []


def test_a_declined_guarantee_payment_keeps_its_money_from_other_claims(world, run_on_commit):
    """The guarantee's money received for a claim whose card payment failed stays that claim's."""
    staff = StaffFactory()
    first, _held = decided(world["b"], 195_000, staff)  # 95,000 from the held part, 100,000 owed
    call = guarantee_call_record(guarantee=world["guarantee"], staff=staff, amount=200_000, reference="CALL-1")
    with card_declines():
        guarantee_receipt_record(call=call, staff=staff, amount=100_000, reference="BANK-1")
        declined = ClaimPayment.objects.get(claim=first, source="guarantee")
        claim_payment_make(payment_id=declined.pk)
    assert ClaimPayment.objects.get(pk=declined.pk).status == ClaimPaymentStatus.FAILED
    second = answered(file(world["a"], 10_000))  # nothing left of the held part: owed from the guarantee
    claim_decide(claim=second, staff=staff, accepted_amount=10_000, reason="Never shipped.", now=GRACE_OVER)
    assert not ClaimPayment.objects.filter(claim=second).exists()  # the receipts' 100,000 are the first's
    paid = claim_payment_to_wallet(payment_id=declined.pk, staff=staff)
    assert paid.source == "guarantee" and paid.amount == 100_000
    assert ledger_audit() == []


def test_staff_pay_to_the_wallet_from_the_claims_page(world, client):
    from tests.web.conftest import verified

    staff = StaffFactory()
    claim, payment = decided(world["b"], 50_000, staff)
    with card_declines():
        claim_payment_make(payment_id=payment.pk)
    client.force_login(verified(staff))
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f"/claims/payments/{payment.pk}/to-wallet/" in page
    client.post(f"/claims/payments/{payment.pk}/to-wallet/")
    assert balance(wallet_account(world["b"].backer, claim.currency)) == 50_000
    client.force_login(verified(world["b"].backer))  # the backer sees no button
    assert "/to-wallet/" not in client.get(f"/claims/{claim.pk}/").content.decode()


# --- pending refunds followed up ---------------------------------------------------------------------------


def test_a_claim_payment_the_provider_answered_pending_is_settled_by_the_job_and_credited_once(world):
    claim, payment = decided(world["b"], 50_000)
    with refunds_answer_pending():
        assert claim_payment_make(payment_id=payment.pk).status == ClaimPaymentStatus.PENDING
    assert ledger_audit() == []
    now = payment.created_at + LATER
    assert claim_payments_follow_up(now=now) == 0  # the provider still says pending
    assert ClaimPayment.objects.get(pk=payment.pk).status == ClaimPaymentStatus.PENDING
    provider_settles(payment.key)
    assert claim_payments_follow_up(now=now) == 1
    assert claim_payments_follow_up(now=now) == 0  # once
    assert claim_payment_make(payment_id=payment.pk).status == ClaimPaymentStatus.PAID
    assert PaymentAttempt.objects.get(idempotency_key=payment.key).status == AttemptStatus.SUCCEEDED
    to_card = Entry.objects.filter(transaction__key=payment.key, account__kind=AccountKind.CARD_NETWORK)
    assert [e.amount for e in to_card] == [50_000]
    claim.refresh_from_db()
    assert (claim.paid_from_held, claim.owed) == (50_000, 0)
    assert ledger_audit() == []


def test_a_pending_claim_payment_the_provider_then_fails_is_declined_and_left_owed(world):
    claim, payment = decided(world["b"], 50_000)
    with refunds_answer_pending():
        claim_payment_make(payment_id=payment.pk)
    provider_settles(payment.key, "declined")
    assert claim_payments_follow_up(now=payment.created_at + LATER) == 1
    assert ClaimPayment.objects.get(pk=payment.pk).status == ClaimPaymentStatus.FAILED
    claim.refresh_from_db()
    assert claim.owed == 50_000 and ledger_audit() == []


def test_the_beat_task_follows_up_claim_payments(world, settings):
    settings.CIVICFUND_PENDING_RETRY_SECONDS = 0
    _claim, payment = decided(world["b"], 50_000)
    with refunds_answer_pending():
        claim_payment_make(payment_id=payment.pk)
    provider_settles(payment.key)
    assert tasks.follow_up_claim_payments() == 1
    assert ClaimPayment.objects.get(pk=payment.pk).status == ClaimPaymentStatus.PAID
    assert "presale.tasks.follow_up_claim_payments" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_a_pledges_own_refund_answered_pending_is_booked_once_by_the_job(presale, backer, pledge, run_on_commit):
    campaign = CampaignFactory(slug="presale")
    paid = pledge(campaign, backer, 30_000)
    with refunds_answer_pending():
        assert pledge_refund(pledge_id=paid.pk).status == PledgeStatus.REFUNDING
    attempt = PaymentAttempt.objects.get(pledge=paid, kind="refund")
    later = attempt.created_at + LATER
    assert pending_refunds_follow_up(now=later) == 0
    provider_settles(attempt.idempotency_key)
    with run_on_commit():
        assert pending_refunds_follow_up(now=later) == 1
    paid.refresh_from_db()
    assert paid.status == PledgeStatus.REFUNDED
    assert pending_refunds_follow_up(now=later) == 0
    assert Entry.objects.filter(transaction__key=attempt.idempotency_key, amount__gt=0).count() == 1
    assert ledger_audit() == []
