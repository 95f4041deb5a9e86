"""E-mails travel through an outbox written with the change they tell about (core.outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from core import outbox as notifications
from core.models import OutboxMail
from core.outbox import notify, outbox_send
from tests.factories import CampaignFactory, mail_clear, wallet_top_up


@pytest.fixture
def campaign(owner, charity):
    return CampaignFactory(slug="charity", owner=owner)


def _wallet_pledge(campaign, backer, amount=10_000):
    from pledges.services import pledge_create

    wallet_top_up(backer, currency=campaign.currency, amount=amount)
    return pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, source="wallet")


def test_a_committed_pledge_has_its_receipt_sent_after_the_commit(campaign, backer, run_on_commit):
    mail_clear()
    with run_on_commit():
        made = _wallet_pledge(campaign, backer)
        assert mail.outbox == [], "nothing leaves before the commit"
    assert [m.to for m in mail.outbox] == [[backer.email]]
    assert str(made.pk) in mail.outbox[0].body
    assert not OutboxMail.objects.exists()


def test_a_rolled_back_change_emails_no_one(campaign, backer, run_on_commit):
    mail_clear()
    with run_on_commit():
        with pytest.raises(RuntimeError), transaction.atomic():
            _wallet_pledge(campaign, backer)
            raise RuntimeError("the request failed after the pledge")
    assert mail.outbox == [] and not OutboxMail.objects.exists()


class _DownServer:
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_outage_keeps_the_mail_for_a_later_try(campaign, backer, monkeypatch):
    made = _wallet_pledge(campaign, backer)
    mail_clear()
    notify("pledge_receipt", pledge_id=made.pk)
    monkeypatch.setattr(notifications, "get_connection", lambda: _DownServer())
    assert outbox_send() == 0
    row = OutboxMail.objects.get()
    assert row.attempts == 1 and row.not_before is not None
    monkeypatch.undo()
    assert outbox_send() == 0, "not tried again before its backoff ends"
    OutboxMail.objects.update(not_before=None)
    assert outbox_send() == 1
    assert [m.to for m in mail.outbox] == [[backer.email]] and not OutboxMail.objects.exists()


def test_under_load_one_kick_serves_many_commits_and_beat_sends_the_rest(
    campaign, backer, backer2, settings, run_on_commit
):
    settings.CIVICFUND_OUTBOX_KICK_SECONDS = 3600.0
    monkey_last = notifications._last_kick
    notifications._last_kick = float("-inf")
    try:
        mail_clear()
        with run_on_commit():
            _wallet_pledge(campaign, backer)
        with run_on_commit():
            _wallet_pledge(campaign, backer2)
        assert [m.to for m in mail.outbox] == [[backer.email]], "the second commit's kick was skipped"
        assert outbox_send() == 1  # what the beat schedule runs every CIVICFUND_OUTBOX_INTERVAL seconds
        assert sorted(m.to[0] for m in mail.outbox) == sorted([backer.email, backer2.email])
    finally:
        notifications._last_kick = monkey_last
