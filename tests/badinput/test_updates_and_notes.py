"""Owners e-mail their backers through updates at most the platform's number of times in 7 days
(later updates are posted, not mailed, and the owner is told); staff's private note to an owner stays
out of the API and the public decision log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from decisions.models import Decision
from projects.models import CampaignUpdate
from projects.services import update_post
from tests.factories import CampaignFactory, mail_clear, wallet_top_up

from .conftest import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def backed(owner, backer, charity):
    from pledges.services import pledge_create

    campaign = CampaignFactory(slug="charity", owner=owner)
    wallet_top_up(backer, currency=campaign.currency, amount=10_000)
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=10_000, source="wallet")
    mail_clear()
    return campaign


def test_updates_beyond_the_weekly_limit_are_posted_but_not_mailed(as_owner, backed, charity, run_on_commit):
    assert charity.update_mails_per_week == 3
    url = f"/api/v1/campaigns/{backed.pk}/updates/"
    with run_on_commit():
        answers = [as_owner.post(url, {"title": f"News {n}", "body": "..."}, format="json") for n in range(5)]
    assert [a.status_code for a in answers] == [201] * 5
    assert [a.json()["mailed"] for a in answers] == [True, True, True, False, False]
    assert len(mail.outbox) == 3
    assert CampaignUpdate.objects.filter(campaign=backed).count() == 5
    # a week later the campaign may mail again
    CampaignUpdate.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert update_post(campaign=backed, user=backed.owner, title="Later", body="...").mailed


def test_the_owner_is_told_when_an_update_was_not_mailed(client, backed, charity):
    from tests.web.conftest import verified

    charity.update_mails_per_week = 0
    charity.save()
    client.force_login(verified(backed.owner))
    response = client.post(f"/me/campaigns/{backed.pk}/updates/", {"title": "News", "body": "..."}, follow=True)
    assert "ایمیل نشد" in response.content.decode()  # the charity platform speaks Persian
    assert mail.outbox == [] and CampaignUpdate.objects.get().mailed is False


def test_a_private_note_on_send_back_stays_out_of_the_api_and_the_public_log(as_admin, as_owner, owner, client):
    campaign = CampaignFactory(owner=owner, status="submitted")
    body = {"reason": "Add a map.", "private_note": "Call me, Sam: 0912"}
    answer = as_admin.post(f"/api/v1/campaigns/{campaign.pk}/send-back/", body, format="json")
    assert answer.status_code == 200, answer.json()
    assert "0912" not in answer.content.decode()
    assert "0912" not in as_owner.get(f"/api/v1/campaigns/{campaign.pk}/").content.decode()
    assert not Decision.objects.filter(reason__contains="0912").exists()
    campaign.refresh_from_db()
    assert campaign.review_private_note == "Call me, Sam: 0912" and campaign.review_note == "Add a map."
    from tests.web.conftest import verified

    client.force_login(verified(owner))
    assert "Call me, Sam: 0912" in client.get(f"/me/campaigns/{campaign.pk}/").content.decode()


def test_a_blank_reason_is_refused_even_with_a_private_note(as_admin, owner):
    campaign = CampaignFactory(owner=owner, status="submitted")
    body = {"reason": " ", "private_note": "only this"}
    assert_error(as_admin.post(f"/api/v1/campaigns/{campaign.pk}/send-back/", body, format="json"), 400, None, "reason")
