"""A card declined when a charge-on-success campaign collects: the backer is e-mailed a link to pay
within the retry window, like every other e-mail in the platform's language, with the deadline in the
platform's time zone."""

from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from core.text import FA_DIGITS
from funding.services import campaign_close
from pledges.models import Pledge, PledgeStatus
from projects.models import CampaignStatus

from ..factories import DECLINED_CARD, CampaignFactory

pytestmark = pytest.mark.django_db


def _declined_at_collection(platform, owner, make_backers, pledge, run_on_commit, settings):
    """Close a funded charge-on-success campaign whose one card (saved fine) is declined when charged;
    return the pledge in its retry window and the e-mail its backer got."""
    settings.CIVICFUND_PLEDGE_RETRY_DAYS = 7
    platform.collection_mode = "charge_on_success"
    platform.save()
    campaign = CampaignFactory(slug=platform.slug, owner=owner, goal=10_000, funding_model="all_or_nothing")
    good, bad = make_backers(2)
    pledge(campaign, good, 10_000)
    declined = pledge(campaign, bad, 2_000, card=DECLINED_CARD)
    mail.outbox.clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=campaign.deadline) == CampaignStatus.SUCCEEDED
    declined = Pledge.objects.select_related("campaign").get(pk=declined.pk)
    assert declined.status == PledgeStatus.RETRYING
    link = f"http://127.0.0.1:8000/payments/pledges/{declined.pk}/pay/"
    (message,) = [m for m in mail.outbox if m.to == [bad.email] and link in m.body]  # besides the close's
    return declined, message


def test_the_retry_window_e_mail_speaks_persian_with_the_deadline_in_tehran_time(
    presale, owner, make_backers, pledge, run_on_commit, settings
):
    declined, message = _declined_at_collection(presale, owner, make_backers, pledge, run_on_commit, settings)
    title = declined.campaign.title
    assert message.subject == f"حمایت شما از {title}: لطفاً پرداخت خود را تکمیل کنید"
    assert f"پروژه‌ی {title} به هدف خود رسید، اما برداشت از کارت شما ممکن نشد." in message.body
    local = declined.retry_until.astimezone(ZoneInfo("Asia/Tehran"))
    assert f"ساعت {local:%H:%M}".translate(FA_DIGITS) in message.body
    assert "۲٬۰۰۰ تومان" in message.body
    assert "Pay " not in message.body and "reached its goal" not in message.body


def test_the_retry_window_e_mail_of_an_english_platform_gives_the_deadline_in_london_time(
    civic, owner, make_backers, pledge, run_on_commit, settings
):
    declined, message = _declined_at_collection(civic, owner, make_backers, pledge, run_on_commit, settings)
    title = declined.campaign.title
    assert message.subject == f"Your pledge to {title}: please complete your payment"
    assert f"{title} reached its goal, but we could not charge your card. (declined)" in message.body
    local = declined.retry_until.astimezone(ZoneInfo("Europe/London"))
    assert (
        f"Pay £20.00 before {local.day} {local:%b %Y, %H:%M}, or your pledge and its reward are dropped."
        in message.body
    )
