"""A refund chain whose worker died is restarted by the close job, but only once it has stalled;
a card payment the provider never answered is asked again with the same key."""

import datetime as dt

import pytest
from django.utils import timezone

from funding.services import campaign_close, close_due_campaigns
from payments.models import PaymentAttempt, SandboxOperation
from pledges.models import PledgeStatus
from pledges.services import pending_payments_retry
from projects.models import CampaignStatus
from tests.factories import UNAVAILABLE_CARD, CampaignFactory

pytestmark = pytest.mark.django_db


def _failed_charity_campaign(pledge, backers):
    campaign = CampaignFactory(slug="charity", goal=10_000_000)
    for backer in backers:
        pledge(campaign, backer, 100_000)
    campaign.deadline = timezone.now()
    campaign.save(update_fields=["deadline"])
    return campaign


def test_a_fresh_refund_chain_is_left_alone_and_a_stalled_one_restarted(settings, pledge, make_backers, run_on_commit):
    settings.CIVICFUND_RESUME_AFTER_SECONDS = 120
    campaign = _failed_charity_campaign(pledge, make_backers(3))
    closed = timezone.now()
    # Closed, but the refund task queued on commit never ran: its worker was killed.
    assert campaign_close(campaign_id=campaign.pk, now=closed) == CampaignStatus.REFUNDING

    with run_on_commit():
        assert close_due_campaigns(now=closed + dt.timedelta(seconds=60))["resumed"] == 0
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REFUNDING

    with run_on_commit():
        assert close_due_campaigns(now=closed + dt.timedelta(seconds=121))["resumed"] == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REFUNDED
    assert set(campaign.pledges.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}


def test_an_unanswered_charge_is_retried_with_the_same_key_and_charged_once(settings, backer):
    settings.CIVICFUND_PENDING_RETRY_SECONDS = 60
    campaign = CampaignFactory(slug="presale")
    from pledges.services import pledge_create

    pledge = pledge_create(campaign_id=campaign.pk, backer=backer, amount=50_000, card=UNAVAILABLE_CARD)
    assert pledge.status == PledgeStatus.PENDING  # the provider timed out

    later = timezone.now() + dt.timedelta(seconds=61)
    assert pending_payments_retry(now=later) == 0  # still down: left pending
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING

    SandboxOperation.objects.filter(kind="card").update(card_behaviour="succeeds")  # the provider is back
    assert pending_payments_retry(now=later) == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert SandboxOperation.objects.filter(kind="charge", key=f"pledge-{pledge.pk}-charge").count() == 1
    assert PaymentAttempt.objects.get(idempotency_key=f"pledge-{pledge.pk}-charge").status == "succeeded"
    assert pending_payments_retry(now=later) == 0  # nothing left to retry


def test_a_refund_chain_killed_after_refunding_the_last_pledges_is_finished_by_the_next_close_run(
    pledge, make_backers, monkeypatch
):
    """The chunk that refunds the last pledges returns how many it did; only the next chunk, which
    finds nothing, marks the campaign refunded. A worker killed between the two used to leave the
    campaign `refunding` for ever: the restart skipped campaigns with nothing left to refund."""
    from funding import tasks
    from funding.services import campaign_refund_chunk
    from projects.models import CampaignStatusChange

    campaign = _failed_charity_campaign(pledge, make_backers(2))
    with monkeypatch.context() as m:  # the close's refund task is held back
        m.setattr(tasks.refund_campaign, "delay", lambda *args: None)
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == CampaignStatus.REFUNDING
    assert campaign_refund_chunk(campaign_id=campaign.pk) == 2  # ... and the worker dies here
    assert set(campaign.pledges.values_list("status", flat=True)) == {PledgeStatus.REFUNDED}

    later = timezone.now() + dt.timedelta(minutes=5)
    assert close_due_campaigns(now=later) == {"closed": 0, "resumed": 1}
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.REFUNDED
    assert CampaignStatusChange.objects.filter(campaign=campaign, to_status=CampaignStatus.REFUNDED).count() == 1
    assert close_due_campaigns(now=later) == {"closed": 0, "resumed": 0}
