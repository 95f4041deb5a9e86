"""The owner hears of each decision about their campaign, once, by e-mail in the platform's language:
approved, sent back (with the reason and the private note), final report rejected, payout paid; the
report's "due soon" reminder is impact's (tests/impact/test_reports.py) and is checked here in Persian."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from funding.services import campaign_close
from impact.reports import report_reminders_send
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm, release_due_payouts
from projects.reports import report_reject, report_submit
from projects.services import campaign_approve, campaign_send_back, update_post
from tests.factories import CampaignFactory, TierFactory, UserFactory, mail_clear

pytestmark = pytest.mark.django_db


def _submitted(slug, owner, title):
    return CampaignFactory(
        slug=slug, owner=owner, title=title, status="submitted", deadline=timezone.now() + dt.timedelta(days=20)
    )


def _funded(slug, owner, pledge, title, amount=1_000_000):
    start = timezone.now() - dt.timedelta(days=10)
    campaign = CampaignFactory(
        slug=slug, owner=owner, title=title, goal=1_000_000, starts_at=start, deadline=start + dt.timedelta(days=5)
    )
    tier = TierFactory(campaign=campaign, amount=15_000) if not campaign.platform.allow_free_amounts else None
    pledge(campaign, UserFactory(), amount, tier=tier, now=start + dt.timedelta(days=1))
    assert campaign_close(campaign_id=campaign.pk, now=start + dt.timedelta(days=5)) == "succeeded"
    return campaign


def _pay_first(campaign, admin, reference="BANK-7"):
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    Payout.objects.filter(pk=first.pk).update(due_on=dt.date(2000, 1, 1))
    release_due_payouts()
    payout_confirm(payout_id=first.pk, reference=reference, actor=admin)
    campaign.refresh_from_db()
    return first


def _only_mail_to(owner):
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    (message,) = mail.outbox
    assert message.to == [owner.email]
    return message


def test_the_owner_gets_one_email_when_the_campaign_is_approved_in_english(owner, admin_user, run_on_commit):
    campaign = _submitted("civic", owner, "Pocket park")
    mail_clear()
    with run_on_commit():
        campaign_approve(campaign=campaign, admin=admin_user)
    message = _only_mail_to(owner)
    assert message.subject == "Pocket park is approved"
    assert "has been approved by the platform's staff" in message.body
    assert "It is live: people can back it now." in message.body
    assert f"/civic/campaigns/{campaign.pk}/" in message.body


def test_a_campaign_approved_before_its_start_is_said_to_go_live_at_its_start(owner, admin_user, run_on_commit):
    campaign = _submitted("civic", owner, "Pocket park")
    campaign.starts_at = timezone.now() + dt.timedelta(days=3)
    campaign.save(update_fields=["starts_at"])
    mail_clear()
    with run_on_commit():
        campaign_approve(campaign=campaign, admin=admin_user)
    body = _only_mail_to(owner).body
    assert "It goes live at its start time." in body and "It is live" not in body


def test_the_owner_gets_one_email_when_the_campaign_is_approved_in_persian(owner, admin_user, run_on_commit):
    campaign = _submitted("arts", owner, "فیلم کوتاه")
    mail_clear()
    with run_on_commit():
        campaign_approve(campaign=campaign, admin=admin_user)
    message = _only_mail_to(owner)
    assert message.subject == "پروژه‌ی فیلم کوتاه تأیید شد"
    assert "را کارکنان سکو تأیید کردند" in message.body
    assert "۱٬۰۰۰٬۰۰۰ تومان" in message.body  # the goal, in Persian digits


def test_a_sent_back_campaign_s_owner_gets_the_reason_and_the_private_note(owner, admin_user, run_on_commit):
    campaign = _submitted("civic", owner, "Pocket park")
    mail_clear()
    with run_on_commit():
        campaign_send_back(
            campaign=campaign, admin=admin_user, reason="The goal is vague.", private_note="Call us: 0161 555 0100."
        )
    message = _only_mail_to(owner)
    assert message.subject == "Pocket park was sent back for changes"
    assert "Reason: The goal is vague." in message.body
    assert "Note for you (not shown publicly): Call us: 0161 555 0100." in message.body
    assert f"/me/campaigns/{campaign.pk}/" in message.body
    assert "&#x27;" not in message.body and "&amp;" not in message.body  # plain text, not HTML-escaped


def test_a_sent_back_campaign_s_email_is_in_persian_on_a_persian_platform(owner, admin_user, run_on_commit):
    campaign = _submitted("arts", owner, "فیلم کوتاه")
    mail_clear()
    with run_on_commit():
        campaign_send_back(campaign=campaign, admin=admin_user, reason="هدف روشن نیست.")
    message = _only_mail_to(owner)
    assert message.subject == "پروژه‌ی فیلم کوتاه برای اصلاح برگشت داده شد"
    assert "دلیل: هدف روشن نیست." in message.body
    assert "یادداشت برای شما" not in message.body  # no private note given


def test_the_owner_gets_one_email_when_the_first_payout_is_recorded_with_the_report_due_date(
    owner, admin_user, pledge, run_on_commit
):
    campaign = _funded("civic", owner, pledge, "Pocket park")
    mail_clear()
    with run_on_commit():
        first = _pay_first(campaign, admin_user)
    first.refresh_from_db()
    message = _only_mail_to(owner)
    assert first.amount == 900_000  # 90% of £10,000 (the civic platform takes no fee)
    assert message.subject == "£9,000.00 paid to you for Pocket park"
    assert "The first payout of Pocket park has been paid to you." in message.body
    assert "Transfer reference: BANK-7" in message.body
    assert f"Final report due on: {campaign.report_due_on.day} " in message.body


def test_recording_a_payout_twice_emails_once(owner, admin_user, pledge, run_on_commit):
    campaign = _funded("civic", owner, pledge, "Pocket park")
    with run_on_commit():
        first = _pay_first(campaign, admin_user)
    mail_clear()
    with run_on_commit():
        payout_confirm(payout_id=first.pk, reference="BANK-7", actor=admin_user)
    assert mail.outbox == []


def test_a_rejected_report_s_owner_gets_one_email_in_persian_with_the_reason(owner, admin_user, pledge, run_on_commit):
    campaign = _funded("arts", owner, pledge, "جشنواره تئاتر", amount=600_000)
    _pay_first(campaign, admin_user)
    report = report_submit(campaign=campaign, user=owner, text="اجرا شد.", spending=[])
    mail_clear()
    with run_on_commit():
        report_reject(
            report=report, admin=admin_user, reason="رسیدها پیوست نشده‌اند.", private_note="با ما تماس بگیرید."
        )
    message = _only_mail_to(owner)
    assert message.subject == "صورت وضعیت نهایی جشنواره تئاتر تأیید نشد"
    assert "دلیل: رسیدها پیوست نشده‌اند." in message.body
    assert "با ما تماس بگیرید." in message.body


def test_the_report_due_soon_reminder_is_in_persian_on_a_persian_platform(owner, admin_user, pledge, run_on_commit):
    campaign = _funded("arts", owner, pledge, "جشنواره تئاتر", amount=600_000)
    _pay_first(campaign, admin_user)
    due = dt.datetime.combine(campaign.report_due_on, dt.time(12), tzinfo=campaign.platform.tz)
    mail_clear()
    with run_on_commit():
        assert report_reminders_send(now=due - dt.timedelta(days=3)) == 1
    message = _only_mail_to(owner)
    assert "جشنواره تئاتر" in message.subject and "due" not in message.subject
    assert "نزدیک است" in message.body and "سررسید:" in message.body


def test_an_update_e_mail_is_signed_with_the_owner_s_display_name_not_the_username(
    owner, backer, pledge, run_on_commit
):
    owner.first_name = "Sara Ahmadi"
    owner.save()
    campaign = CampaignFactory(slug="civic", owner=owner, title="Pocket park")
    pledge(campaign, backer, 5_000)
    mail_clear()
    with run_on_commit():
        update_post(campaign=campaign, user=owner, title="Benches ordered", body="They arrive in May.")
    (message,) = [m for m in mail.outbox if m.to == [backer.email]]
    assert "— Sara Ahmadi" in message.body.splitlines()  # above the link and the unsubscribe footer
    assert "owner" not in message.body.replace("Pocket park", "")
