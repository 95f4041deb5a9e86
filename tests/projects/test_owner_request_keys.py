"""The same owner form sent twice at once (a double click reaches two workers): neither copy has found
the other's row when it writes its own, so the database's unique (campaign, request_key) decides, and
the loser answers with the winner's row without a second e-mail."""

import threading
import time

import pytest
from django.db import connection, transaction

from core.models import OutboxMail
from pledges.services import pledge_create
from projects import services
from projects.models import CampaignUpdate
from tests.concurrency.support import GOOD_CARD, backers_make, campaign_live, presets_ensure, threads_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def test_an_update_sent_twice_at_once_is_posted_once_and_mailed_once(settings):
    settings.CIVICFUND_OUTBOX_KICK_SECONDS = 10**9  # the mails stay in the outbox, to be counted
    presets_ensure()
    campaign = campaign_live("civic", goal=1_000_000)
    backer = backers_make(1)[0]
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=campaign.platform.min_pledge, card=GOOD_CARD)
    OutboxMail.objects.all().delete()
    first_wrote, first_may_commit = threading.Event(), threading.Event()

    def post():
        return services.update_post(campaign=campaign, user=campaign.owner, title="News", body="x", request_key="k1")

    def first():
        with transaction.atomic():  # holds its update, uncommitted, while the second copy arrives
            made = post()
            first_wrote.set()
            assert first_may_commit.wait(30)
        return made

    def second():
        assert first_wrote.wait(30)
        return post()  # finds nothing committed, so it writes, and waits on the unique index

    def release_when_second_waits():
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not _someone_waits_for_a_lock():
            time.sleep(0.02)
        first_may_commit.set()

    run = threads_run([first, second, release_when_second_waits])
    assert run.errors == []
    made, again, _ = run.values
    assert again.pk == made.pk
    assert CampaignUpdate.objects.filter(campaign=campaign).count() == 1
    assert list(OutboxMail.objects.values_list("kind", "ids")) == [("update_posted", {"update_id": made.pk})]
