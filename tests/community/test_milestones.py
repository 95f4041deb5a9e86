"""Following a campaign: e-mails at its milestones, each once per follower, and one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from community.milestones import campaign_milestones_check, milestones_check_all
from community.models import Follow, Milestone, MilestoneNotice
from community.services import follow_set, follow_unsubscribe, unsubscribe_token
from core.outbox import outbox_send
from funding.services.close import campaign_close
from projects.services import update_post
from tests.factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_follower_gets_one_email_when_the_campaign_is_half_way(campaign, fan, pledge, sent):
    follow_set(user=fan, campaign=campaign, follow=True)
    pledge(campaign, UserFactory(), 40_000)
    assert "fan@example.org" not in sent()
    pledge(campaign, UserFactory(), 10_000)  # exactly 50%
    pledge(campaign, UserFactory(), 10_000)  # and more: no second e-mail
    campaign_milestones_check(campaign_id=campaign.pk)
    assert sent()["fan@example.org"] == ["Community garden is half-way to its goal"]


def test_a_pledge_crossing_half_way_and_the_goal_at_once_says_funded_only(campaign, fan, pledge, sent):
    follow_set(user=fan, campaign=campaign, follow=True)
    pledge(campaign, UserFactory(), 100_000)
    assert sent()["fan@example.org"] == ["Community garden reached its goal"]
    assert set(MilestoneNotice.objects.values_list("milestone", flat=True)) == {Milestone.HALF_WAY, Milestone.FUNDED}


def test_backers_follow_by_default_and_an_opt_out_silences_them(campaign, pledge, sent):
    backer, quiet = UserFactory(username="backer"), UserFactory(username="quiet")
    pledge(campaign, quiet, 1_000)
    follow_set(user=quiet, campaign=campaign, follow=False)
    pledge(campaign, backer, 60_000)
    assert sent()["backer@example.org"][-1] == "Community garden is half-way to its goal"
    assert "Community garden is half-way to its goal" not in sent().get("quiet@example.org", [])


def test_the_owner_is_not_mailed_milestones_of_their_own_campaign(campaign, owner, pledge, sent):
    pledge(campaign, UserFactory(), 60_000)
    assert "maker@example.org" not in sent()


def test_two_checks_at_once_or_again_send_a_milestone_once(campaign, fan, pledge):
    follow_set(user=fan, campaign=campaign, follow=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("community.milestones._check_soon", lambda campaign_id: None)  # no check after the pledge
        pledge(campaign, UserFactory(), 55_000)
    mail.outbox.clear()
    assert campaign_milestones_check(campaign_id=campaign.pk) == 1
    assert campaign_milestones_check(campaign_id=campaign.pk) == 0
    assert milestones_check_all() == 0
    assert [m.subject for m in mail.outbox if m.to == ["fan@example.org"]] == [
        "Community garden is half-way to its goal"
    ]


def test_a_check_killed_before_commit_leaves_nothing_and_the_next_sends_it(campaign, fan, pledge):
    follow_set(user=fan, campaign=campaign, follow=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("community.milestones._check_soon", lambda campaign_id: None)
        pledge(campaign, UserFactory(), 55_000)
        mail.outbox.clear()

        def killed(*args, **kwargs):
            raise SystemExit("worker killed")

        mp.setattr("community.milestones.notify", killed)
        with pytest.raises(SystemExit):
            campaign_milestones_check(campaign_id=campaign.pk)
    assert not MilestoneNotice.objects.exists() and not mail.outbox
    assert milestones_check_all() == 1
    assert [m.subject for m in mail.outbox if m.to == ["fan@example.org"]] == [
        "Community garden is half-way to its goal"
    ]


def test_followers_hear_48_hours_before_the_deadline_once(campaign, fan):
    follow_set(user=fan, campaign=campaign, follow=True)
    now = campaign.deadline - dt.timedelta(hours=49)
    assert milestones_check_all(now=now) == 0
    now = campaign.deadline - dt.timedelta(hours=47)
    assert milestones_check_all(now=now) == 1
    assert milestones_check_all(now=now + dt.timedelta(hours=1)) == 0
    assert [m.subject for m in mail.outbox] == ["48 hours left for Community garden"]


def test_at_the_close_followers_hear_the_outcome_and_backers_get_only_the_close_email(campaign, fan, pledge, sent):
    follow_set(user=fan, campaign=campaign, follow=True)
    backer = UserFactory(username="backer")
    pledge(campaign, backer, 10_000)
    mail.outbox.clear()
    campaign_close(campaign_id=campaign.pk, now=campaign.deadline + dt.timedelta(seconds=1))
    outbox_send()
    assert sent()["fan@example.org"] == ["Community garden did not reach its goal"]
    # the backer gets the close's own e-mail (about their money) and the refund's, not the followers' too
    assert sent()["backer@example.org"] == [
        "Community garden did not reach its target",
        "Refund of your pledge to Community garden",
    ]


def test_an_update_reaches_followers_and_backers_once_each_with_an_unsubscribe_link(campaign, owner, fan, pledge):
    follow_set(user=fan, campaign=campaign, follow=True)
    backer = UserFactory(username="backer")
    pledge(campaign, backer, 1_000)
    mail.outbox.clear()
    update_post(campaign=campaign, user=owner, title="Seeds bought", body="We bought 40 kinds & more.")
    by_to = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_to) == ["backer@example.org", "fan@example.org"]
    for message in by_to.values():
        assert message.subject == "News from Community garden: Seeds bought"
        assert "We bought 40 kinds & more." in message.body  # plain text, not escaped
        link = re.search(r"http\S+/unsubscribe/\S+/", message.body).group(0)
        assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_unsubscribe_link_works_without_signing_in_by_one_post(client, campaign, fan, pledge):
    follow_set(user=fan, campaign=campaign, follow=True)
    token = unsubscribe_token(user_id=fan.pk, campaign_id=campaign.pk)
    page = client.get(f"/unsubscribe/{token}/")
    assert page.status_code == 200 and Follow.objects.get(user=fan).active  # a link scanner changes nothing
    # what a mail client sends for List-Unsubscribe-Post (RFC 8058): no cookie, no CSRF token
    done = client.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no more e-mails" in done.content.decode()
    assert not Follow.objects.get(user=fan).active
    pledge(campaign, UserFactory(), 60_000)
    assert "fan@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_forged_unsubscribe_link_is_refused(client, campaign, fan):
    token = unsubscribe_token(user_id=fan.pk, campaign_id=campaign.pk)
    assert client.post(f"/unsubscribe/{token[:-2]}xx/").status_code == 404
    with pytest.raises(Exception, match="not valid"):
        follow_unsubscribe(token="nonsense")


def test_the_unsubscribe_page_speaks_the_platform_language(client, fan):
    from tests.factories import CampaignFactory

    persian = CampaignFactory(slug="arts", title="فیلم کوتاه")
    token = unsubscribe_token(user_id=fan.pk, campaign_id=persian.pk)
    page = client.get(f"/unsubscribe/{token}/").content.decode()
    assert 'dir="rtl"' in page and "لغو" in page


def test_following_by_the_site_form_and_stopping(client, campaign, fan):
    client.force_login(fan)
    url = f"/civic/campaigns/{campaign.pk}/follow/"
    client.post(url, {"follow": "1"})
    assert Follow.objects.get(user=fan, campaign=campaign).active
    page = client.get(f"/civic/campaigns/{campaign.pk}/").content.decode()
    assert "You follow this campaign" in page
    client.post(url, {"follow": "0"})
    assert not Follow.objects.get(user=fan, campaign=campaign).active
    assert timezone.now()


def test_a_delivery_update_keeps_its_own_email_to_the_backers_whose_reward_ships(campaign, owner, fan, pledge):
    """Delivery news is about a reward, not news to follow: followers do not get it (presale's rule)."""
    from projects.models import CampaignUpdate, UpdateKind

    follow_set(user=fan, campaign=campaign, follow=True)
    update = CampaignUpdate.objects.create(campaign=campaign, title="Boxes", body="Sent", kind=UpdateKind.DELIVERY)
    from pledges.mails import update_posted

    mail.outbox.clear()
    update_posted(update_id=update.pk)
    assert "fan@example.org" not in [m.to[0] for m in mail.outbox]


def test_a_busy_campaign_queues_one_milestone_check_per_window(campaign, settings, monkeypatch):
    """Pledges in one CIVICFUND_MILESTONE_SECONDS window (windows follow the clock) share one check, run
    a second after the window ends (other hosts' clocks); another campaign gets its own. Another process
    asks the shared cache once in that window, and queues the next window's check."""
    from types import SimpleNamespace

    from django.core.cache import cache

    from community import milestones

    clock = SimpleNamespace(now=1_000.0)  # the window [960, 1020)
    monkeypatch.setattr(milestones, "time", SimpleNamespace(time=lambda: clock.now))
    settings.CIVICFUND_MILESTONE_SECONDS = 60
    queued: list[tuple] = []
    monkeypatch.setattr(milestones, "later", lambda name, *args, **kw: queued.append((args, kw)))
    monkeypatch.setattr(milestones, "_asked_until", {})
    other = CampaignFactory(slug="civic", owner=campaign.owner, title="Other")
    for _ in range(3):
        milestones._check_soon(campaign.pk)
    milestones._check_soon(other.pk)
    assert queued == [((campaign.pk,), {"countdown": 21.0}), ((other.pk,), {"countdown": 21.0})]

    monkeypatch.setattr(milestones, "_asked_until", {})  # a second worker process, 10 s later
    clock.now = 1_010.0
    asked: list[str] = []
    real_add = cache.add
    monkeypatch.setattr(cache, "add", lambda key, *a, **kw: asked.append(key) or real_add(key, *a, **kw))
    for _ in range(5):
        milestones._check_soon(campaign.pk)
        clock.now += 1.9  # the last at 1017.6: the first process's check (at 1021) reads it
    assert len(queued) == 2
    assert len(asked) == 1  # once in the window, not once per pledge
    clock.now = 1_020.0  # the next window: its first pledge queues its check
    milestones._check_soon(campaign.pk)
    assert queued[2:] == [((campaign.pk,), {"countdown": 61.0})]
    assert len(asked) == 2
