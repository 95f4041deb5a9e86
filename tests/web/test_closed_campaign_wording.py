"""Once a campaign's deadline has passed, its page and its receipts say what happened, in the past tense:
funded (its threshold or its whole goal reached), or not funded and its backers refunded; a live campaign
whose deadline passed but which the close job has not reached yet says its result is on its way. The
"funded" e-mail of a threshold campaign says it passed its threshold, not that it reached its goal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from funding.services import campaign_close
from projects.models import Campaign
from tests.factories import CampaignFactory, TierFactory, mail_clear

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2026, 10, 5, 21, 0, tzinfo=dt.UTC)  # 14 Mehr 1405, 00:30 in Tehran
BEFORE = DEADLINE - dt.timedelta(hours=1)
FUTURE_TENSE = ("If less than", "If the whole goal", "اگر تا")


def closed(slug, owner, status, **kw):
    return CampaignFactory(
        slug=slug, owner=owner, status=status, starts_at=DEADLINE - dt.timedelta(days=30), deadline=DEADLINE, **kw
    )


def page(client, campaign) -> str:
    response = client.get(reverse("campaign", args=[campaign.platform.slug, campaign.pk]))
    assert response.status_code == 200
    return response.content.decode()


def rule(html: str) -> str:
    return html.split('<p class="rule">', 1)[1].split("</p>", 1)[0]


def test_funded_threshold_campaign_says_it_passed_its_threshold_and_was_funded_in_persian(client, site_owner):
    text = rule(page(client, closed("arts", site_owner, "paid", funding_model="threshold")))
    assert text == ("این پروژه تا ۱۴ مهر ۱۴۰۵، ساعت ۰۰:۳۰ دست‌کم ۲۵٪ از مبلغ هدف خود را جذب کرد و تأمین مالی شد.")


def test_funded_all_or_nothing_campaign_says_it_raised_its_whole_goal(client, site_owner):
    text = rule(page(client, closed("civic", site_owner, "completed", funding_model="all_or_nothing")))
    assert text == "By 5 Oct 2026, 22:00 this campaign had raised its whole goal, so it was funded."


def test_refunded_threshold_campaign_says_it_was_not_funded_and_everyone_was_refunded(client, site_owner):
    campaign = closed("civic", site_owner, "refunded", funding_model="threshold")
    assert rule(page(client, campaign)) == (
        "By 5 Oct 2026, 22:00 this campaign had raised less than 25% of its goal, so it was not funded "
        "and everyone was refunded in full."
    )


def test_failed_campaign_still_refunding_says_everyone_is_being_refunded_in_persian(client, site_owner):
    text = rule(page(client, closed("charity", site_owner, "refunding", funding_model="all_or_nothing")))
    assert text == (
        "این پروژه تا ۱۴ مهر ۱۴۰۵، ساعت ۰۰:۳۰ تمام مبلغ هدف خود را جذب نکرد و تأمین مالی نشد؛ "
        "بازپرداخت تمام مبلغ همه حامیان در جریان است."
    )


def test_live_campaign_past_its_deadline_says_its_result_is_on_its_way(client, site_owner):
    now = timezone.now()
    campaign = CampaignFactory(
        slug="civic",
        owner=site_owner,
        funding_model="all_or_nothing",
        starts_at=now - dt.timedelta(days=30),
        deadline=now - dt.timedelta(minutes=1),
    )
    text = rule(page(client, campaign))
    assert text.startswith("This campaign ended on ") and text.endswith("; its result will be announced shortly.")


def test_live_campaign_before_its_deadline_keeps_the_rule_in_the_future_tense(client, site_owner):
    campaign = CampaignFactory(slug="civic", owner=site_owner, funding_model="all_or_nothing")
    assert rule(page(client, campaign)).startswith("If the whole goal is not raised by ")


def test_receipt_of_a_pledge_to_a_failed_campaign_says_what_happened(backer_client, site_backer, site_owner, pledge):
    campaign = CampaignFactory(slug="civic", owner=site_owner, funding_model="all_or_nothing", goal=1_000_000)
    made = pledge(campaign, site_backer, 5_000)
    Campaign.objects.filter(pk=campaign.pk).update(
        status="refunded", starts_at=DEADLINE - dt.timedelta(days=30), deadline=DEADLINE
    )
    response = backer_client.get(reverse("pledge-receipt", args=[made.pk]))
    text = rule(response.content.decode())
    assert not text.startswith(FUTURE_TENSE)
    assert text == (
        "By 5 Oct 2026, 22:00 this campaign had not raised its whole goal, so it was not funded "
        "and everyone was refunded in full."
    )


# --- the "funded" e-mail ------------------------------------------------------------------------


def test_funded_email_of_a_threshold_campaign_says_it_reached_its_threshold_not_its_goal(
    owner, backer, backer2, pledge, run_on_commit
):
    campaign = closed("arts", owner, "live", title="فیلم کوتاه", goal=2_000_000, funding_model="threshold")
    tier = TierFactory(campaign=campaign, amount=15_000)
    for who, amount in ((backer, 300_000), (backer2, 200_000)):  # exactly 25%
        pledge(campaign, who, amount, tier=tier, now=BEFORE)
    mail_clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == "succeeded"
    body = mail.outbox[0].body
    assert "به هدف مالی خود رسید" not in body
    assert "خبر خوب: پروژه‌ی فیلم کوتاه به حد نصاب ۲۵٪ مبلغ هدف خود رسید و تأمین مالی شد." in body


def test_funded_email_of_an_all_or_nothing_campaign_says_it_reached_its_goal(owner, backer, pledge, run_on_commit):
    campaign = closed("civic", owner, "live", title="Pocket park", goal=10_000, funding_model="all_or_nothing")
    pledge(campaign, backer, 10_000, now=BEFORE)
    mail_clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == "succeeded"
    assert "Good news: Pocket park reached its funding target." in mail.outbox[0].body


def test_failed_email_of_a_threshold_campaign_names_its_threshold(owner, backer, pledge, run_on_commit):
    campaign = closed("civic", owner, "live", title="Pocket park", goal=1_000_000, funding_model="threshold")
    pledge(campaign, backer, 5_000, now=BEFORE)
    mail_clear()
    with run_on_commit():
        assert campaign_close(campaign_id=campaign.pk, now=DEADLINE) == "refunding"
    failed = [m for m in mail.outbox if "did not reach" in m.subject]
    assert "Pocket park did not reach its threshold of 25% of its goal by the deadline." in failed[0].body
