"""Issue 15, claims: a backer whose reward is late beyond the grace, or not as described, files a claim;
the owner answers; staff decide. An accepted claim is paid from the held part first, then from the
guarantee once its money is in; the held part is frozen while claims are undecided; the books balance
after each step."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail

from core.errors import ApplicationError, PermissionDenied
from decisions.models import Decision
from funding.audit import ledger_audit
from funding.services import report_approve
from ledger.models import AccountKind, Entry
from ledger.services import balance, held_account, wallet_account
from payments.gateways import GatewayUnavailable
from payments.sandbox import SandboxGateway
from payouts.models import Payout, PayoutKind, PayoutStatus
from payouts.services import payout_confirm, release_due_payouts
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_refund
from presale import claims as claims_service
from presale.claim_money import claim_payment_make, guarantee_call_record, guarantee_receipt_record, receipts_account
from presale.claims import claim_answer, claim_decide
from presale.models import Claim, ClaimEvidence, ClaimGround, ClaimPayment, ClaimPaymentStatus, ClaimStatus
from projects.reports import report_submit
from tests.factories import StaffFactory

from .conftest import GRACE_OVER, LATE, answered, file, held_payout, scan

pytestmark = pytest.mark.django_db
UTC = dt.UTC
# --- eligibility ----------------------------------------------------------------------------------------


def test_a_backer_files_a_claim_for_a_reward_late_beyond_the_grace(world, run_on_commit):
    pledge_ = world["a"]
    with run_on_commit():
        claim = file(pledge_, 600_000, evidence=[scan("photo.pdf")])
    assert (claim.status, claim.amount, claim.ground) == (ClaimStatus.FILED, 600_000, LATE)
    assert claim.answer_due_on == dt.date(2026, 8, 15)  # 14 days to answer, in Tehran
    assert ClaimEvidence.objects.get(claim=claim).file_type == "application/pdf"
    to = sorted(address for message in mail.outbox for address in message.to)
    assert pledge_.backer.email in to and world["campaign"].owner.email in to
    assert ledger_audit() == []


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (dt.datetime(2026, 7, 30, 9, 0, tzinfo=UTC), "claim_too_early"),  # the grace's last day
        (dt.datetime(2026, 10, 29, 9, 0, tzinfo=UTC), "claim_window_closed"),  # 90 days after the grace
    ],
)
def test_a_late_claim_is_refused_within_the_grace_and_after_the_window(world, when, code):
    with pytest.raises(ApplicationError) as refused:
        file(world["a"], 1_000, now=when)
    assert refused.value.code == code
    assert not Claim.objects.exists()


def test_the_last_day_of_the_claim_window_still_takes_a_claim(world):
    assert file(world["a"], 1_000, now=dt.datetime(2026, 10, 28, 9, 0, tzinfo=UTC)).pk


def test_bad_claims_are_refused_with_a_reason_and_nothing_is_written(world, pledge):
    a, b = world["a"], world["b"]
    with pytest.raises(PermissionDenied):
        file(a, 1_000, user=b.backer)  # not their pledge
    for amount in (0, -5, 600_001):
        with pytest.raises(ApplicationError) as refused:
            file(a, amount)
        assert (refused.value.code, refused.value.field) == ("claim_amount", "amount")
    with pytest.raises(ApplicationError) as refused:
        file(a, 1_000, ground=ClaimGround.NOT_AS_DESCRIBED)  # nothing delivered yet
    assert refused.value.code == "claim_not_delivered"
    with pytest.raises(ApplicationError) as refused:
        file(a, 1_000, evidence=[scan("x.pdf", b"MZ\x90\x00 not a pdf")])
    assert refused.value.field == "evidence"
    assert not Claim.objects.exists() and not ClaimEvidence.objects.exists()

    file(a, 1_000)
    with pytest.raises(ApplicationError) as refused:
        file(a, 2_000)
    assert refused.value.code == "claim_exists"
    assert Claim.objects.count() == 1


def test_a_reward_that_does_not_ship_cannot_be_claimed_for(world, pledge):
    campaign = world["campaign"]
    Pledge.objects.filter(pk=world["b"].pk).update(tier=world["free"])  # a tier without a delivery
    with pytest.raises(ApplicationError) as refused:
        file(Pledge.objects.get(pk=world["b"].pk), 1_000)
    assert refused.value.code == "claim_no_delivery"
    assert not Claim.objects.filter(campaign=campaign).exists()


def test_a_refunded_pledge_cannot_be_claimed_for(world):
    pledge_refund(pledge_id=world["b"].pk)
    refunded = Pledge.objects.get(pk=world["b"].pk)
    assert refunded.status == PledgeStatus.REFUNDED
    with pytest.raises(ApplicationError) as refused:
        file(refunded, 1_000)
    assert refused.value.code == "claim_refunded"
    assert not Claim.objects.exists()


# --- the owner's answer and staff's decision ---------------------------------------------------------------


def test_the_owner_answers_within_the_answer_time_only(world):
    claim = file(world["a"], 1_000)
    with pytest.raises(PermissionDenied):
        claim_answer(claim=claim, user=world["b"].backer, answer="Me?", now=GRACE_OVER)
    with pytest.raises(ApplicationError) as refused:
        claim_answer(claim=claim, user=claim.campaign.owner, answer="Late", now=dt.datetime(2026, 8, 16, 9, tzinfo=UTC))
    assert refused.value.code == "claim_answer_late"
    assert answered(claim).status == ClaimStatus.ANSWERED


def test_staff_decide_after_the_owner_answered_or_their_time_passed(world):
    staff = StaffFactory()
    claim = file(world["a"], 1_000)
    with pytest.raises(ApplicationError) as refused:
        claim_decide(claim=claim, staff=staff, accepted_amount=0, reason="No proof.", now=GRACE_OVER)
    assert refused.value.code == "claim_awaits_owner"
    with pytest.raises(PermissionDenied):
        claim_decide(claim=claim, staff=StaffFactory(groups=[]), accepted_amount=0, reason="No.", now=GRACE_OVER)
    with pytest.raises(ApplicationError) as refused:
        claim_decide(claim=claim, staff=staff, accepted_amount=0, reason="  ", now=GRACE_OVER)
    assert refused.value.field == "reason"
    rejected = claim_decide(
        claim=claim,
        staff=staff,
        accepted_amount=0,
        reason="The tracking shows it was delivered.",
        now=dt.datetime(2026, 8, 16, 9, tzinfo=UTC),
    )
    assert rejected.status == ClaimStatus.REJECTED
    decision = Decision.objects.get(kind="claim.rejected", subject_id=claim.pk)
    assert decision.reason == "The tracking shows it was delivered." and decision.campaign == world["campaign"]
    assert not ClaimPayment.objects.exists()
    with pytest.raises(ApplicationError) as refused:
        claim_decide(claim=claim, staff=staff, accepted_amount=1_000, reason="Changed my mind.", now=GRACE_OVER)
    assert refused.value.code == "claim_decided"
    assert ledger_audit() == []


# --- money: held part first, then the guarantee ------------------------------------------------------------


def test_an_accepted_claim_is_paid_from_the_held_part_first_then_from_the_guarantee(world, run_on_commit):
    campaign, staff = world["campaign"], StaffFactory()
    first = answered(file(world["b"], 60_000))
    with run_on_commit():  # the card payment is made by its task after the commit
        first = claim_decide(claim=first, staff=staff, accepted_amount=60_000, reason="Never shipped.", now=GRACE_OVER)
    first.refresh_from_db()
    assert (first.status, first.from_held, first.paid_from_held, first.owed) == (
        ClaimStatus.ACCEPTED,
        60_000,
        60_000,
        0,
    )
    assert held_payout(campaign).amount == 35_000  # the owner's held part shrank
    assert balance(held_account(campaign)) == 35_000
    assert ledger_audit() == []

    # 400,000 asked, 100,000 accepted in part: 35,000 from what is left of the held part, 65,000 owed.
    second = answered(file(world["a"], 400_000))
    with run_on_commit():
        second = claim_decide(
            claim=second, staff=staff, accepted_amount=100_000, reason="Half the order came.", now=GRACE_OVER
        )
    second.refresh_from_db()
    assert second.status == ClaimStatus.PARTLY_ACCEPTED
    assert (second.from_held, second.paid_from_held, second.paid_from_guarantee, second.owed) == (
        35_000,
        35_000,
        0,
        65_000,
    )
    assert (held_payout(campaign).amount, balance(held_account(campaign))) == (0, 0)
    assert Decision.objects.filter(kind="claim.partly_accepted", subject_id=second.pk).exists()
    assert ledger_audit() == []

    call = guarantee_call_record(guarantee=world["guarantee"], staff=staff, amount=65_000, reference="CALL-1")
    assert ledger_audit() == []  # called, nothing received: still owed
    second.refresh_from_db()
    assert second.owed == 65_000
    with run_on_commit():
        guarantee_receipt_record(call=call, staff=staff, amount=65_000, reference="BANK-9")
    second.refresh_from_db()
    assert (second.paid_from_guarantee, second.owed) == (65_000, 0)
    assert balance(receipts_account(campaign)) == 0
    # Paid back to the card (the pre-sale platform's refund rule): 60,000 and 35,000 + 65,000.
    to_cards = Entry.objects.filter(transaction__kind="claim_paid", account__kind=AccountKind.CARD_NETWORK)
    assert sorted(e.amount for e in to_cards) == [35_000, 60_000, 65_000]
    assert ledger_audit() == []


def test_the_guarantee_pays_as_far_as_its_money_goes_and_the_rest_stays_owed(world, run_on_commit):
    staff = StaffFactory()
    claim = answered(file(world["a"], 300_000))
    with run_on_commit():
        claim_decide(claim=claim, staff=staff, accepted_amount=300_000, reason="Never shipped.", now=GRACE_OVER)
    call = guarantee_call_record(guarantee=world["guarantee"], staff=staff, amount=205_000, reference="CALL-1")
    with pytest.raises(ApplicationError) as refused:
        guarantee_call_record(guarantee=world["guarantee"], staff=staff, amount=95_001, reference="CALL-2")
    assert refused.value.field == "amount"  # the guarantee covers 300,000 in all
    with run_on_commit():
        guarantee_receipt_record(call=call, staff=staff, amount=100_000, reference="BANK-1")
    claim.refresh_from_db()
    assert (claim.paid_from_held, claim.paid_from_guarantee, claim.owed) == (95_000, 100_000, 105_000)
    with pytest.raises(ApplicationError) as refused:
        guarantee_receipt_record(call=call, staff=staff, amount=5_000, reference="BANK-2")
    assert refused.value.code == "guarantee_received"
    assert ledger_audit() == []


def test_a_claim_on_a_wallet_platform_is_paid_to_the_wallet(world):
    campaign, staff = world["campaign"], StaffFactory()
    campaign.platform.refund_destination = "wallet"
    campaign.platform.save(update_fields=["refund_destination"])
    claim = answered(file(world["b"], 50_000))
    claim_decide(claim=claim, staff=staff, accepted_amount=50_000, reason="Broken on arrival.", now=GRACE_OVER)
    assert balance(wallet_account(world["b"].backer, campaign.currency)) == 50_000
    assert ledger_audit() == []


def test_a_card_payment_that_times_out_is_retried_with_the_same_key_and_made_once(world):
    staff = StaffFactory()
    claim = answered(file(world["b"], 50_000))
    claim_decide(claim=claim, staff=staff, accepted_amount=50_000, reason="Broken on arrival.", now=GRACE_OVER)
    payment = ClaimPayment.objects.get(claim=claim)
    assert payment.status == ClaimPaymentStatus.PENDING
    with mock.patch.object(SandboxGateway, "refund", side_effect=GatewayUnavailable("timeout")):
        with pytest.raises(GatewayUnavailable):
            claim_payment_make(payment_id=payment.pk)
    assert ClaimPayment.objects.get(pk=payment.pk).status == ClaimPaymentStatus.PENDING
    assert ledger_audit() == []
    assert claim_payment_make(payment_id=payment.pk).status == ClaimPaymentStatus.PAID
    assert claim_payment_make(payment_id=payment.pk).status == ClaimPaymentStatus.PAID  # once
    assert Entry.objects.filter(transaction__key=payment.key).count() == 2
    claim.refresh_from_db()
    assert (claim.paid_from_held, claim.owed) == (50_000, 0)
    assert ledger_audit() == []


# --- the held part frozen by open claims --------------------------------------------------------------------


def test_the_held_part_is_not_released_while_a_claim_is_undecided(world, admin_user, run_on_commit):
    campaign, staff = world["campaign"], StaffFactory()
    release_due_payouts(now=dt.datetime(2026, 4, 1, 9, tzinfo=UTC))
    payout_confirm(payout_id=Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST).pk, reference="BANK-1")
    claim = file(world["b"], 40_000)
    report = report_submit(
        campaign=campaign, user=campaign.owner, text="Shipped most.", spending=[{"item": "Parts", "amount": 855_000}]
    )
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    assert held_payout(campaign).status == PayoutStatus.SCHEDULED  # due, but held back
    assert release_due_payouts(now=GRACE_OVER) == 0
    assert held_payout(campaign).status == PayoutStatus.SCHEDULED
    assert balance(held_account(campaign)) == 95_000

    answered(claim)
    with run_on_commit():  # the last undecided claim decided: the payout run sends the rest
        claim_decide(claim=claim, staff=staff, accepted_amount=40_000, reason="Never shipped.", now=GRACE_OVER)
    held = held_payout(campaign)
    assert (held.amount, held.status) == (55_000, PayoutStatus.PROCESSING)
    payout_confirm(payout_id=held.pk, reference="BANK-2", actor=admin_user)
    assert balance(held_account(campaign)) == 0
    assert ledger_audit() == []


def test_a_claim_after_the_held_part_was_paid_is_owed_from_the_guarantee(world, admin_user, run_on_commit):
    campaign, staff = world["campaign"], StaffFactory()
    release_due_payouts(now=dt.datetime(2026, 4, 1, 9, tzinfo=UTC))
    payout_confirm(payout_id=Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST).pk, reference="BANK-1")
    report = report_submit(
        campaign=campaign, user=campaign.owner, text="Done.", spending=[{"item": "Parts", "amount": 855_000}]
    )
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    payout_confirm(payout_id=held_payout(campaign).pk, reference="BANK-2", actor=admin_user)
    claim = answered(file(world["a"], 10_000))
    claim = claim_decide(claim=claim, staff=staff, accepted_amount=10_000, reason="Never shipped.", now=GRACE_OVER)
    assert (claim.from_held, claim.owed) == (0, 10_000)
    assert held_payout(campaign).amount == 95_000
    assert ledger_audit() == []


def test_the_audit_finds_a_claim_whose_paid_amount_disagrees_with_the_ledger(world, run_on_commit):
    claim = answered(file(world["b"], 20_000))
    with run_on_commit():
        claim_decide(claim=claim, staff=StaffFactory(), accepted_amount=20_000, reason="Never shipped.", now=GRACE_OVER)
    Claim.objects.filter(pk=claim.pk).update(paid_from_held=10_000)
    problems = claims_service.claims_audit(now=GRACE_OVER)
    assert any(f"claim {claim.pk}" in p and "the ledger paid 20000" in p for p in problems)


def test_a_delivered_reward_is_claimed_as_not_as_described_not_as_late(world):
    from presale.models import Delivery, DeliveryStatus

    pledge_ = world["a"]
    Delivery.objects.create(
        pledge=pledge_, campaign=world["campaign"], status=DeliveryStatus.DELIVERED, confirmed_at=GRACE_OVER
    )
    with pytest.raises(ApplicationError) as refused:
        file(pledge_, 1_000)
    assert refused.value.code == "claim_delivered"
    claim = file(pledge_, 1_000, ground=ClaimGround.NOT_AS_DESCRIBED, now=dt.datetime(2026, 7, 5, 9, tzinfo=UTC))
    assert claim.ground == ClaimGround.NOT_AS_DESCRIBED  # no need to wait for the grace


def test_each_step_is_mailed_to_the_backer_the_owner_and_staff_in_persian(world, run_on_commit):
    staff = StaffFactory(email="reviewer@example.org")
    backer, owner = world["b"].backer.email, world["campaign"].owner.email

    def sent(step):
        mail.outbox.clear()
        with run_on_commit():
            step()
        return {address: message.subject for message in mail.outbox for address in message.to}

    claim = None

    def filed():
        nonlocal claim
        claim = file(world["b"], 20_000)

    assert {backer, owner, staff.email} <= sent(filed).keys()
    answered_to = sent(lambda: answered(claim))
    assert {backer, staff.email} <= answered_to.keys() and owner not in answered_to
    decided_to = sent(
        lambda: claim_decide(claim=claim, staff=staff, accepted_amount=20_000, reason="Never shipped.", now=GRACE_OVER)
    )
    assert {backer, owner, staff.email} <= decided_to.keys()
    assert "شکایت" in decided_to[backer]  # the pre-sale platform writes in Persian
