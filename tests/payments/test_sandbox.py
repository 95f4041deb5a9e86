"""The sandbox gateway's pending card and its signed callback."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from funding.audit import ledger_audit
from funding.services import campaign_close
from ledger.models import Entry, Transaction
from payments.models import AttemptStatus, SandboxOperation
from payments.sandbox import SandboxGateway, sandbox_signature
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import campaign_raised
from projects.models import Campaign, CampaignStatus

from ..factories import PENDING_CARD, UNAVAILABLE_CARD, CampaignFactory

pytestmark = pytest.mark.django_db
URL = "/payments/sandbox/callback/"


@pytest.fixture
def pending(charity, owner, backer, pledge):
    campaign = CampaignFactory(slug="charity", owner=owner, goal=1_000_000)
    p = pledge(campaign, backer, 30_000, card=PENDING_CARD)
    return p


def _post(client, event: dict, *, signature: str | None = None):
    body = json.dumps(event)
    sig = sandbox_signature(body) if signature is None else signature
    return client.post(URL, data=body, content_type="application/json", headers={"X-Sandbox-Signature": sig})


def _resolve(pledge, status="succeeded"):
    """What the provider does on its side before calling back."""
    charge = pledge.attempts.get(kind="charge")
    SandboxGateway().complete_pending(charge.reference, status)
    return charge.reference


def test_pending_card_leaves_the_pledge_pending_and_uncounted(pending):
    assert pending.status == PledgeStatus.PENDING
    assert pending.attempts.get(kind="charge").status == AttemptStatus.PENDING
    assert campaign_raised(pending.campaign_id) == 0
    assert not Entry.objects.exists()


def test_signed_callback_marks_the_pledge_paid(pending, client):
    reference = _resolve(pending)
    assert _post(client, {"reference": reference, "status": "succeeded"}).status_code == 200
    pending.refresh_from_db()
    assert pending.status == PledgeStatus.PAID
    assert campaign_raised(pending.campaign_id) == 30_000
    assert Transaction.objects.filter(key=f"pledge-{pending.pk}-paid").count() == 1


def test_forged_signature_is_refused_and_changes_nothing(pending, client):
    reference = _resolve(pending)
    body = {"reference": reference, "status": "succeeded"}
    assert _post(client, body, signature="0" * 64).status_code == 400
    assert _post(client, body, signature="").status_code == 400
    assert _post(client, body, signature=sandbox_signature(json.dumps({**body, "x": 1}))).status_code == 400
    pending.refresh_from_db()
    assert pending.status == PledgeStatus.PENDING
    assert not Entry.objects.exists()


def test_replayed_callback_changes_nothing(pending, client):
    reference = _resolve(pending)
    event = {"reference": reference, "status": "succeeded"}
    assert _post(client, event).status_code == 200
    before = (Transaction.objects.count(), Entry.objects.count(), Pledge.objects.get(pk=pending.pk).paid_at)
    assert _post(client, event).status_code == 200
    # A replay claiming the opposite answer changes nothing either.
    assert _post(client, {"reference": reference, "status": "declined"}).status_code == 200
    assert (Transaction.objects.count(), Entry.objects.count(), Pledge.objects.get(pk=pending.pk).paid_at) == before
    assert Pledge.objects.get(pk=pending.pk).status == PledgeStatus.PAID


def test_declined_callback_declines_the_pledge(pending, client):
    reference = _resolve(pending, "declined")
    assert _post(client, {"reference": reference, "status": "declined"}).status_code == 200
    assert Pledge.objects.get(pk=pending.pk).status == PledgeStatus.DECLINED
    assert not Entry.objects.exists()


@pytest.mark.parametrize("event", [{"reference": "x"}, {"reference": "x", "status": "maybe"}])
def test_malformed_signed_events_get_400(client, db, event):
    assert _post(client, event).status_code == 400


def test_callback_for_an_unknown_reference_changes_nothing(client, db):
    assert _post(client, {"reference": "sb_nope", "status": "succeeded"}).status_code == 200


def test_callback_only_takes_post(client, db):
    assert client.get(URL).status_code == 405


def test_payment_arriving_after_the_close_is_refunded_at_once(pending, client, run_on_commit):
    from funding.services import campaign_close

    campaign = pending.campaign
    campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    reference = _resolve(pending)
    with run_on_commit():
        assert _post(client, {"reference": reference, "status": "succeeded"}).status_code == 200
    pending.refresh_from_db()
    assert pending.status == PledgeStatus.REFUNDED
    campaign.refresh_from_db()
    assert campaign.raised_at_close == 0


def test_the_same_idempotency_key_returns_the_first_answer_and_charges_once(db):
    gateway = SandboxGateway()
    card = gateway.save_card(card="4242 4242 4242 4242", customer="c", idempotency_key="card-1")
    first = gateway.charge(
        payment_method=card.reference, amount=500, currency="IRT", idempotency_key="k", off_session=False
    )
    again = gateway.charge(
        payment_method=card.reference, amount=999, currency="IRT", idempotency_key="k", off_session=False
    )
    assert first == again
    assert SandboxOperation.objects.filter(kind="charge").count() == 1


def test_sandbox_refuses_to_refund_more_than_was_charged(db):
    gateway = SandboxGateway()
    card = gateway.save_card(card="4242424242424242", customer="c", idempotency_key="card-1")
    charge = gateway.charge(
        payment_method=card.reference, amount=500, currency="IRT", idempotency_key="c1", off_session=False
    )
    assert (
        gateway.refund(charge=charge.reference, amount=300, currency="IRT", idempotency_key="r1").status == "succeeded"
    )
    assert (
        gateway.refund(charge=charge.reference, amount=201, currency="IRT", idempotency_key="r2").status == "declined"
    )


def test_an_unanswered_charge_leaves_the_pledge_pending(charity, owner, backer, pledge):
    campaign = CampaignFactory(slug="charity", owner=owner)
    p = pledge(campaign, backer, 30_000, card=UNAVAILABLE_CARD)
    assert p.status == PledgeStatus.PENDING
    assert p.attempts.get(kind="charge").status == AttemptStatus.STARTED


# --- DOMAIN.md "Raised": what is paid *at the deadline* -----------------------------------------


def _civic_campaign_with_a_waiting_payment(owner, backer, backer2, pledge):
    """A civic all-or-nothing campaign (goal 10,000) with 5,000 paid at once and 5,000 whose bank
    answers later."""
    campaign = CampaignFactory(
        slug="civic",
        owner=owner,
        goal=10_000,
        funding_model="all_or_nothing",
        deadline=timezone.now() + dt.timedelta(minutes=5),
    )
    on_time = pledge(campaign, backer, 5_000)
    waiting = pledge(campaign, backer2, 5_000, card=PENDING_CARD)
    assert (on_time.status, waiting.status) == (PledgeStatus.PAID, PledgeStatus.PENDING)
    return campaign, on_time, waiting


def _deadline_passes(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now())
    campaign.refresh_from_db()


@pytest.mark.parametrize("provider_time", [True, False], ids=["callback-with-its-time", "callback-without-time"])
def test_a_payment_confirmed_after_the_deadline_never_counts_and_is_refunded_in_full_before_the_close(
    civic, owner, backer, backer2, pledge, client, run_on_commit, provider_time
):
    campaign, on_time, waiting = _civic_campaign_with_a_waiting_payment(owner, backer, backer2, pledge)
    _deadline_passes(campaign)
    reference = waiting.attempts.get(kind="charge").reference
    event = SandboxGateway().complete_pending(reference, "succeeded")  # the bank confirms: after the deadline
    if not provider_time:  # then the time its answer reached us counts: after the deadline too
        event = {"reference": reference, "status": "succeeded"}
    with run_on_commit():
        assert _post(client, event).status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == PledgeStatus.REFUNDED  # at once, although the close has not run yet
    assert waiting.paid_at >= campaign.deadline
    assert campaign_raised(campaign.pk) == 5_000

    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk) == CampaignStatus.REFUNDING
    campaign.refresh_from_db()
    assert (campaign.status, campaign.raised_at_close, campaign.backers_at_close) == (CampaignStatus.REFUNDED, 5_000, 1)
    for p in (on_time, waiting):
        p.refresh_from_db()
        assert p.status == PledgeStatus.REFUNDED
        charge = p.attempts.get(kind="charge").reference
        assert SandboxOperation.objects.get(kind="refund", parent=charge).amount == 5_000
        assert Entry.objects.filter(transaction__kind="refund", pledge=p, amount=5_000).count() == 1
    assert ledger_audit() == []


def test_a_payment_the_provider_confirmed_before_the_deadline_counts_though_its_callback_came_after(
    civic, owner, backer, backer2, pledge, client, run_on_commit
):
    campaign, on_time, waiting = _civic_campaign_with_a_waiting_payment(owner, backer, backer2, pledge)
    event = SandboxGateway().complete_pending(waiting.attempts.get(kind="charge").reference, "succeeded")
    _deadline_passes(campaign)  # the callback is late, the payment was not
    with run_on_commit():
        assert _post(client, event).status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == PledgeStatus.PAID
    assert waiting.paid_at == dt.datetime.fromisoformat(event["completed_at"]) < campaign.deadline

    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk) == CampaignStatus.SUCCEEDED
    campaign.refresh_from_db()
    assert (campaign.raised_at_close, campaign.collected) == (10_000, 10_000)
    assert ledger_audit() == []


@pytest.mark.parametrize("completed_at", ["yesterday", "2027-01-01T10:00:00", 17])
def test_a_callback_with_a_time_that_is_not_an_aware_iso_8601_moment_gets_400(pending, client, completed_at):
    reference = _resolve(pending)
    assert (
        _post(client, {"reference": reference, "status": "succeeded", "completed_at": completed_at}).status_code == 400
    )
    assert Pledge.objects.get(pk=pending.pk).status == PledgeStatus.PENDING
