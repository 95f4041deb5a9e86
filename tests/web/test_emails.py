"""The e-mails of a campaign's life besides the receipt and the update: funded, failed, refund issued and
final report approved. Each goes to the right people, in the platform's language, with dates in the
platform's time zone (the worker itself runs in UTC)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from core.tasks import send_notification
from funding.services import campaign_close, report_approve
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm, release_due_payouts
from pledges.models import Pledge
from projects.models import FinalReport
from projects.reports import report_submit
from tests.factories import CampaignFactory, TierFactory, mail_clear

pytestmark = pytest.mark.django_db
UTC = dt.UTC
# 21:00 UTC on Monday 5 Oct 2026 is already Tuesday 6 Oct, 00:30 in Tehran (14 Mehr 1405) and
# 22:00 on 5 Oct in London (summer time).
DEADLINE = dt.datetime(2026, 10, 5, 21, 0, tzinfo=UTC)
BEFORE = DEADLINE - dt.timedelta(hours=1)


def _to(messages) -> list[str]:
    assert all(len(m.to) == 1 for m in messages), "one message per recipient"
    return sorted(m.to[0] for m in messages)


def _campaign(slug, owner, **kw):
    return CampaignFactory(slug=slug, owner=owner, starts_at=DEADLINE - dt.timedelta(days=30), deadline=DEADLINE, **kw)


def test_funded_email_goes_to_owner_and_backers_in_persian_with_tehran_time(
    owner, backer, backer2, pledge, run_on_commit
):
    campaign = _campaign("arts", owner, title="فیلم کوتاه", goal=2_000_000)
    tier = TierFactory(campaign=campaign, amount=15_000)
    pledge(campaign, backer, 300_000, tier=tier, now=BEFORE)
    pledge(campaign, backer2, 200_000, tier=tier, now=BEFORE)  # exactly 25%: funded
    mail_clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == "succeeded"
    assert _to(mail.outbox) == sorted([owner.email, backer.email, backer2.email])
    message = mail.outbox[0]
    assert message.subject == "پروژه‌ی فیلم کوتاه تأمین شد"
    assert "۵۰۰٬۰۰۰ تومان" in message.body and "۲٬۰۰۰٬۰۰۰ تومان" in message.body
    assert "۱۴ مهر ۱۴۰۵، ساعت ۰۰:۳۰" in message.body  # Tehran's time, not UTC's 13 Mehr 21:00
    assert "/arts/campaigns/" in message.body


def test_failed_email_in_english_uses_london_time(owner, backer, pledge, run_on_commit):
    campaign = _campaign("civic", owner, title="Pocket park", goal=1_000_000, funding_model="all_or_nothing")
    pledge(campaign, backer, 5_000, now=BEFORE)
    mail_clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == "refunding"
    failed = [m for m in mail.outbox if "did not reach" in m.subject]
    assert _to(failed) == sorted([owner.email, backer.email])
    assert failed[0].subject == "Pocket park did not reach its target"
    assert "refunded in full, with no fee deducted" in failed[0].body
    assert "5 Oct 2026, 22:00" in failed[0].body and "£50.00" in failed[0].body


def test_failed_charity_campaign_refunds_to_wallets_and_emails_each_backer_in_persian(
    owner, backer, backer2, pledge, run_on_commit
):
    campaign = _campaign("charity", owner, title="کتاب برای مدرسه", goal=500_000_000, funding_model="all_or_nothing")
    first = pledge(campaign, backer, 20_000_000, now=BEFORE)
    pledge(campaign, backer2, 30_000_000, now=BEFORE)
    Pledge.objects.filter(campaign=campaign).update(created_at=BEFORE)  # 13 Mehr 1405, 23:30 in Tehran
    mail_clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == "refunding"
    refunds = [m for m in mail.outbox if m.subject.startswith("بازپرداخت")]
    failed = [m for m in mail.outbox if m not in refunds]
    assert _to(failed) == sorted([owner.email, backer.email, backer2.email])
    assert failed[0].subject == "پروژه‌ی کتاب برای مدرسه به هدف نرسید"
    assert _to(refunds) == sorted([backer.email, backer2.email])  # the owner gets no refund e-mail
    to_backer = next(m for m in refunds if m.to == [backer.email])
    assert "کتاب برای مدرسه" in to_backer.subject
    assert "۲۰٬۰۰۰٬۰۰۰ ریال" in to_backer.body and "۳۰٬۰۰۰٬۰۰۰" not in to_backer.body
    assert "۱۳ مهر ۱۴۰۵، ساعت ۲۳:۳۰" in to_backer.body
    assert f"{first.pk}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in to_backer.body
    assert "/me/" in to_backer.body


def test_report_approved_email_goes_to_owner_and_backers_with_the_approval_time(
    owner, backer, backer2, admin_user, pledge, run_on_commit, monkeypatch
):
    campaign = _campaign("arts", owner, title="جشنواره تئاتر", goal=2_000_000)
    tier = TierFactory(campaign=campaign, amount=15_000)
    pledge(campaign, backer, 600_000, tier=tier, now=BEFORE)
    pledge(campaign, backer2, 400_000, tier=tier, now=BEFORE)
    campaign_close(campaign_id=campaign.pk, now=DEADLINE)
    campaign.refresh_from_db()
    release_due_payouts(now=dt.datetime(2026, 10, 24, 6, 0, tzinfo=UTC))
    payout_confirm(payout_id=Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST).pk, reference="B-1")
    report = report_submit(campaign=campaign, user=owner, text="اجرا شد.", spending=[])
    approved_at = dt.datetime(2026, 11, 1, 22, 15, tzinfo=UTC)  # 2 Nov 01:45 in Tehran = 11 Aban 1405
    monkeypatch.setattr("projects.services.timezone.now", lambda: approved_at)
    mail_clear()
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    assert FinalReport.objects.get(pk=report.pk).status == "approved"
    assert _to(mail.outbox) == sorted([owner.email, backer.email, backer2.email])
    message = mail.outbox[0]
    assert message.subject == "صورت وضعیت نهایی جشنواره تئاتر تأیید شد"
    assert "۱۱ آبان ۱۴۰۵، ساعت ۰۱:۴۵" in message.body
    assert "/arts/campaigns/" in message.body


@pytest.mark.parametrize("slug, expected", [("civic", "5 Oct 2026, 21:00"), ("arts", "۱۳ مهر ۱۴۰۵، ساعت ۲۳:۳۰")])
def test_receipt_email_date_is_in_the_platform_time_zone(backer, owner, pledge, slug, expected):
    campaign = _campaign(slug, owner, title="Bench", goal=1_000_000)
    made = pledge(campaign, backer, 20_000, tier=TierFactory(campaign=campaign, amount=15_000), now=BEFORE)
    Pledge.objects.filter(pk=made.pk).update(created_at=BEFORE)  # 20:00 UTC
    mail_clear()
    assert send_notification.delay("pledge_receipt", {"pledge_id": made.pk}).get() == 1
    (receipt,) = mail.outbox
    assert receipt.to == [backer.email]
    assert expected in receipt.body
