"""A card refund that Stripe fails after we booked it (`refund.failed`): the booking is reversed and
the refund tried again, a bounded number of times, each attempt with its own keys at Stripe and in
the ledger, never refunding more than was charged; when the attempts are spent, an admin is told and
the pledge waits, visibly, for a manual refund."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from funding import tasks as funding_tasks
from funding.audit import ledger_audit
from funding.reconcile import stripe_reconcile
from ledger.models import Transaction
from payments.models import AttemptStatus, PaymentAttempt
from pledges import tasks as pledge_tasks
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import pledges_awaiting_manual_refund
from pledges.services import failed_refunds_retry, pledge_create
from projects.models import CampaignStatus

from ..factories import StaffFactory, UserFactory
from .conftest import close

pytestmark = pytest.mark.django_db

OPS = "ops@example.org"


@pytest.fixture
def retries(monkeypatch, settings):
    """The refund retries queued, as (pledge id, attempt number, countdown); Celery's eager mode then
    runs each at once. Admin alerts go to OPS."""
    settings.ADMINS = [("Ops", OPS)]
    settings.CIVICFUND_REFUND_ATTEMPTS = 3
    settings.CIVICFUND_REFUND_RETRY_SECONDS = 3600
    queued = []
    apply_async = pledge_tasks.refund_retry.apply_async

    def spy(args, kwargs=None, countdown=None, **options):
        queued.append((*args, countdown))
        return apply_async(args, kwargs, countdown=countdown, **options)

    monkeypatch.setattr(pledge_tasks.refund_retry, "apply_async", spy)
    return queued


def _refunded_campaign(platform, campaign_on, card, run_on_commit, amounts=(1_200, 3_400)):
    campaign = campaign_on(platform, goal=100_000)
    pledges = [pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=a, card=card()) for a in amounts]
    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    return campaign, pledges


def _fail(stripe_server, deliver, key: str):
    """Stripe fails the booked refund made with our `key`; its event reaches our webhook."""
    attempt = PaymentAttempt.objects.get(idempotency_key=key)
    assert attempt.status == AttemptStatus.SUCCEEDED
    stripe_server.fail_refund(attempt.reference)
    response = deliver(stripe_server.wait_event("refund.failed", attempt.reference))
    assert response.status_code == 200
    return response.content.decode()


def _admin_alerts():
    return [m for m in mail.outbox if m.to == [OPS] and "A refund needs attention" in m.subject]


def _books(pledge):
    return {
        t.key: sorted(e.amount for e in t.entries.all())
        for t in Transaction.objects.filter(key__startswith=f"pledge-{pledge.pk}-refund")
    }


def test_a_refund_failed_after_booking_is_reversed_and_retried_once_with_new_keys(
    charge_now, campaign_on, card, stripe_server, deliver, run_on_commit, retries
):
    campaign, (failing, other) = _refunded_campaign(charge_now, campaign_on, card, run_on_commit)
    key = f"pledge-{failing.pk}-refund"
    first = PaymentAttempt.objects.get(idempotency_key=key)

    note = _fail(stripe_server, deliver, key)
    assert note == "refund failed after booking: booking reversed; refund attempt 2 of 3 queued in 3600s"
    assert retries == [(failing.pk, 2, 3600)]  # an hour later, in its own task

    failing.refresh_from_db()
    first.refresh_from_db()
    second = PaymentAttempt.objects.get(idempotency_key=f"{key}-2")
    assert failing.status == PledgeStatus.REFUNDED and failing.ended_at is not None
    assert (first.status, first.code) == (AttemptStatus.DECLINED, "refund_failed")
    assert (second.status, second.amount, second.gateway) == (AttemptStatus.SUCCEEDED, 1_200, "stripe")
    # At Stripe: the failed refund and a new one, sent with the new key (and carrying it), not the old.
    charge = failing.attempts.get(kind="charge").reference
    assert sorted(
        (r.status, r.amount, r.metadata["idempotency_key"])
        for r in stripe_server.objects("refund")
        if r.payment_intent == charge
    ) == [("failed", 1_200, key), ("succeeded", 1_200, f"{key}-2")]
    assert sorted(c["key"] for c in stripe_server.calls("POST", "/v1/refunds")) == sorted(
        [key, f"{key}-2", f"pledge-{other.pk}-refund"]
    )
    # In the ledger: booked, reversed, booked again, each movement under its own key.
    assert _books(failing) == {key: [-1_200, 1_200], f"{key}-failed": [-1_200, 1_200], f"{key}-2": [-1_200, 1_200]}
    assert ledger_audit() == []
    assert stripe_reconcile(campaign_id=campaign.pk) == []
    assert _admin_alerts() == []  # nothing for an admin: the retry made the refund

    # Stripe's later events about both refunds agree with the books and change nothing.
    assert deliver(stripe_server.wait_event("refund.updated", second.reference)).content == b"no change (succeeded)"
    refunded = stripe_server.wait_events("charge.refunded", count=3)
    assert {deliver(d).content for d in refunded if charge in d["body"].decode()} == {b"refund matches"}
    assert Pledge.objects.get(pk=failing.pk).status == PledgeStatus.REFUNDED
    assert ledger_audit() == []


def test_after_the_last_failed_attempt_an_admin_is_told_and_the_pledge_waits_for_a_manual_refund(
    charge_now, campaign_on, card, stripe_server, deliver, run_on_commit, retries, client
):
    campaign, (failing, other) = _refunded_campaign(charge_now, campaign_on, card, run_on_commit)
    key = f"pledge-{failing.pk}-refund"

    notes = [_fail(stripe_server, deliver, k) for k in (key, f"{key}-2", f"{key}-3")]
    assert notes == [
        "refund failed after booking: booking reversed; refund attempt 2 of 3 queued in 3600s",
        "refund failed after booking: booking reversed; refund attempt 3 of 3 queued in 7200s",
        "refund failed after booking: booking reversed; refund attempt 3 of 3 failed: waiting for a manual refund",
    ]
    assert retries == [(failing.pk, 2, 3600), (failing.pk, 3, 7200)]  # spaced out, and no fourth
    assert [c["key"] for c in stripe_server.calls("POST", "/v1/refunds") if str(failing.pk) in c["key"]] == [
        key,
        f"{key}-2",
        f"{key}-3",
    ]
    failing.refresh_from_db()
    assert failing.status == PledgeStatus.REFUNDING and failing.ended_at is None
    assert Pledge.objects.get(pk=other.pk).status == PledgeStatus.REFUNDED

    (alert,) = _admin_alerts()
    assert f"Pledge {failing.pk}: refund attempt 3 of 3 failed" in alert.body
    assert "waiting for a manual refund" in alert.body
    assert list(pledges_awaiting_manual_refund()) == [failing]
    client.force_login(StaffFactory(is_superuser=True))
    page = client.get(reverse("admin:pledges_pledge_changelist"), {"refund": "manual"})
    assert page.status_code == 200
    assert list(page.context["cl"].result_list) == [failing]

    # Three bookings, three reversals: the money is back in escrow, as the audit expects.
    assert _books(failing) == {
        k: [-1_200, 1_200] for k in (key, f"{key}-failed", f"{key}-2", f"{key}-2-failed", f"{key}-3", f"{key}-3-failed")
    }
    assert ledger_audit() == []
    assert stripe_reconcile(campaign_id=campaign.pk) == []
    assert failed_refunds_retry(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=30)) == 0  # nothing more


def test_a_retry_never_refunds_more_than_was_charged_a_refund_made_on_the_dashboard_counts(
    charge_now, campaign_on, card, stripe_server, deliver, run_on_commit, retries
):
    """Support refunded the backer on Stripe's dashboard before our refund came back failed. The
    failed refund does not count, the dashboard's does: the retry is refused before Stripe is asked
    to create it, and an admin is told at once, without waiting for further attempts."""
    from payments.stripe_gateway import stripe_client

    campaign, (failing, _) = _refunded_campaign(charge_now, campaign_on, card, run_on_commit)
    key = f"pledge-{failing.pk}-refund"
    charge = failing.attempts.get(kind="charge").reference
    by_hand = stripe_client().v1.refunds.create({"payment_intent": charge})  # no key, no metadata of ours

    assert _fail(stripe_server, deliver, key).endswith("refund attempt 2 of 3 queued in 3600s")
    second = PaymentAttempt.objects.get(idempotency_key=f"{key}-2")
    assert (second.status, second.code) == (AttemptStatus.DECLINED, "refund_exceeds_charge")
    assert [c["key"] for c in stripe_server.calls("POST", "/v1/refunds") if c["key"] == f"{key}-2"] == []
    assert sorted((r.status, r.amount) for r in stripe_server.objects("refund") if r.payment_intent == charge) == [
        ("failed", 1_200),
        ("succeeded", 1_200),
    ]
    assert retries == [(failing.pk, 2, 3600)]  # no third attempt: it could not do better
    (alert,) = _admin_alerts()
    assert f"Pledge {failing.pk}: refund attempt 2 refused" in alert.body
    assert Pledge.objects.get(pk=failing.pk).status == PledgeStatus.REFUNDING
    assert list(pledges_awaiting_manual_refund()) == [failing]
    assert ledger_audit() == []
    # The reconciliation shows the dashboard's refund, which our books do not have.
    assert stripe_reconcile(campaign_id=campaign.pk) == [
        f"pledge-{failing.pk}-charge: refund {by_hand['id']} of 1200 at Stripe was not made by civicfund",
        f"pledge-{failing.pk}-charge: refunded 1200 at Stripe, 0 in our refund rows, 0 in the ledger",
    ]


def test_a_retry_whose_queued_task_was_lost_is_queued_again_by_the_beat_once_overdue(
    charge_now, campaign_on, card, stripe_server, deliver, run_on_commit, retries, monkeypatch, settings
):
    settings.CIVICFUND_RESUME_AFTER_SECONDS = 120
    campaign, (failing, _) = _refunded_campaign(charge_now, campaign_on, card, run_on_commit)
    key = f"pledge-{failing.pk}-refund"
    with monkeypatch.context() as lost:  # the countdown task dies with its worker
        lost.setattr(pledge_tasks.refund_retry, "apply_async", lambda *args, **kwargs: None)
        _fail(stripe_server, deliver, key)
    assert Pledge.objects.get(pk=failing.pk).status == PledgeStatus.REFUNDING
    failed_at = PaymentAttempt.objects.get(idempotency_key=key).updated_at

    assert failed_refunds_retry(now=failed_at + dt.timedelta(seconds=3600 + 119)) == 0  # its task may still come
    assert failed_refunds_retry(now=failed_at + dt.timedelta(seconds=3600 + 120)) == 1
    assert retries == [(failing.pk, 2, None)]
    assert Pledge.objects.get(pk=failing.pk).status == PledgeStatus.REFUNDED
    assert PaymentAttempt.objects.get(idempotency_key=f"{key}-2").status == AttemptStatus.SUCCEEDED
    # The lost task turning up after all changes nothing.
    assert pledge_tasks.refund_retry(failing.pk, 2) == PledgeStatus.REFUNDED
    assert len([c for c in stripe_server.calls("POST", "/v1/refunds") if c["key"] == f"{key}-2"]) == 1
    assert failed_refunds_retry(now=failed_at + dt.timedelta(days=30)) == 0
    assert ledger_audit() == []
    assert stripe_reconcile(campaign_id=campaign.pk) == []


def test_a_refund_left_to_an_admin_does_not_make_the_close_job_restart_the_campaign_s_refunds(
    charge_now, campaign_on, card, stripe_server, run_on_commit, retries, monkeypatch, settings
):
    """Support refunded a backer on Stripe's dashboard before the deadline: at the close our refund
    is refused at once and left to an admin, so the campaign stays `refunding`. The close job must
    not take that for refunds that stalled and queue the campaign's refunds again on every beat:
    the pledge's fate is the admin's (or, with attempts left, its retry task's)."""
    from funding.services import close_due_campaigns
    from payments.stripe_gateway import stripe_client

    settings.CIVICFUND_RESUME_AFTER_SECONDS = 120
    campaign = campaign_on(charge_now, goal=100_000)
    refused, other = (
        pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=a, card=card()) for a in (1_200, 3_400)
    )
    stripe_client().v1.refunds.create({"payment_intent": refused.attempts.get(kind="charge").reference})

    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDING
    assert Pledge.objects.get(pk=refused.pk).status == PledgeStatus.REFUNDING
    assert Pledge.objects.get(pk=other.pk).status == PledgeStatus.REFUNDED
    assert list(pledges_awaiting_manual_refund()) == [refused]
    assert len(_admin_alerts()) == 1

    queued = []
    monkeypatch.setattr(funding_tasks.refund_campaign, "delay", lambda *args: queued.append(args))
    with run_on_commit():
        counts = close_due_campaigns(now=campaign.deadline + dt.timedelta(days=1))  # long after the close
    assert counts == {"closed": 0, "resumed": 0}
    assert queued == []
    # A chunk run anyway (a task queued before) leaves the pledge to the admin too: nothing is sent.
    refunds_sent = len(stripe_server.calls("POST", "/v1/refunds"))
    from funding.services import campaign_refund_chunk

    with run_on_commit():
        assert campaign_refund_chunk(campaign_id=campaign.pk, resume=True) == 0
    assert len(stripe_server.calls("POST", "/v1/refunds")) == refunds_sent
    assert Pledge.objects.get(pk=refused.pk).status == PledgeStatus.REFUNDING
    assert ledger_audit() == []
