"""The backer's dashboard lists pledges of several platforms: each shows its date in its own
platform's time zone, not the server's."""

import datetime as dt

import pytest
from django.conf import settings

from pledges.models import Pledge

pytestmark = pytest.mark.django_db

LATE_EVENING_UTC = dt.datetime(2026, 11, 27, 21, 30, tzinfo=dt.UTC)  # already the 28th in Tehran


def test_each_pledge_shows_its_platforms_date(backer_client, pledge, site_backer, arts_campaign, civic_campaign):
    tehran = pledge(arts_campaign, site_backer, 15_000, tier=arts_campaign.tiers.first())
    london = pledge(civic_campaign, site_backer, 2_500, tier=civic_campaign.tiers.first())
    Pledge.objects.filter(pk__in=[tehran.pk, london.pk]).update(created_at=LATE_EVENING_UTC)
    backer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = backer_client.get("/me/").content.decode()

    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split("<tr>") if "pledge" in row}
    assert "28 Nov 2026" in rows[arts_campaign.title]
    assert "27 Nov 2026" in rows[civic_campaign.title]
