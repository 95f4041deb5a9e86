"""No e-mail is dropped silently: a mail that cannot be sent stays in the outbox with its error, is
tried again with backoff and is shown to staff. Plain-text e-mails read as text (no HTML escaping),
and a subject is always one line."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import BadHeaderError
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import OutboxMail
from core.outbox import MAX_ATTEMPTS, notify, outbox_send
from projects.models import Campaign
from tests.factories import CampaignFactory, mail_clear, wallet_top_up

pytestmark = pytest.mark.django_db


def _broken(**ids):
    raise BadHeaderError("Header values can't contain newlines")


@pytest.fixture
def broken_kind(monkeypatch):
    monkeypatch.setitem(outbox.MAIL_KINDS._handlers, "test_broken", _broken)
    return "test_broken"


def _wallet_pledge(campaign, backer, amount=10_000):
    from pledges.services import pledge_create

    wallet_top_up(backer, currency=campaign.currency, amount=amount)
    return pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, source="wallet")


def test_a_mail_that_fails_stays_in_the_outbox_with_its_error_and_the_others_go_out(
    broken_kind, owner, backer, charity, client
):
    campaign = CampaignFactory(slug="charity", owner=owner)
    made = _wallet_pledge(campaign, backer)
    OutboxMail.objects.all().delete()
    mail_clear()
    notify(broken_kind, pledge_id=made.pk)
    notify("pledge_receipt", pledge_id=made.pk)
    assert outbox_send() == 1  # the good mail after the broken one still goes out
    assert [m.to for m in mail.outbox] == [[backer.email]]
    row = OutboxMail.objects.get()
    assert row.kind == broken_kind and row.attempts == 1 and row.not_before > timezone.now()
    assert "BadHeaderError" in row.last_error
    # staff see it in the admin
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "x"))
    page = client.get(reverse("admin:civicfund_outboxmail_changelist"))
    assert page.status_code == 200 and "BadHeaderError" in page.content.decode()


def test_a_mail_failing_every_time_is_kept_and_the_admins_are_told(
    broken_kind, settings, django_capture_on_commit_callbacks
):
    settings.ADMINS = [("Ops", "ops@example.org")]
    notify(broken_kind, pledge_id=1)
    for _ in range(MAX_ATTEMPTS):
        OutboxMail.objects.update(not_before=None)
        with django_capture_on_commit_callbacks(execute=True):
            outbox_send()
    row = OutboxMail.objects.get()
    assert row.attempts == MAX_ATTEMPTS
    assert any("ops@example.org" in m.to and "test_broken" in m.body for m in mail.outbox)
    OutboxMail.objects.update(not_before=None)
    outbox_send()
    assert OutboxMail.objects.get().attempts == MAX_ATTEMPTS, "no longer retried, but kept"


def test_a_title_with_a_newline_from_before_the_rules_still_gets_its_receipt(owner, backer, charity, run_on_commit):
    campaign = CampaignFactory(slug="charity", owner=owner)
    Campaign.objects.filter(pk=campaign.pk).update(title="Park\nBcc: all@example.org")
    mail_clear()
    with run_on_commit():
        _wallet_pledge(campaign, backer)
    (message,) = mail.outbox
    assert "\n" not in message.subject and "Park Bcc: all@example.org" in message.subject
    assert message.to == [backer.email] and not message.bcc
    assert not OutboxMail.objects.exists()


def test_plain_text_mails_are_not_html_escaped(owner, backer, charity, run_on_commit):
    campaign = CampaignFactory(slug="charity", owner=owner, title='Park & "Ride" <now>')
    mail_clear()
    with run_on_commit():
        _wallet_pledge(campaign, backer)
    (message,) = mail.outbox
    assert 'Park & "Ride" <now>' in message.subject
    assert 'Park & "Ride" <now>' in message.body
    assert "&amp;" not in message.body and "&quot;" not in message.body
