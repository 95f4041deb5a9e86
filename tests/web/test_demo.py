"""`manage.py load_demo`: Persian campaigns on the Persian platforms, English on the civic portal; loading
twice changes nothing; the demo logins are printed every time."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from projects.models import Campaign, RewardTier
from stats.models import OpenDataFile

pytestmark = pytest.mark.django_db
PERSIAN = re.compile(r"[\u0600-\u06FF]")


def test_demo_is_persian_on_persian_platforms_english_on_civic_and_idempotent():
    first, second = StringIO(), StringIO()
    call_command("load_demo", stdout=first)
    counts = (Campaign.objects.count(), RewardTier.objects.count())
    call_command("load_demo", stdout=second)
    assert (Campaign.objects.count(), RewardTier.objects.count()) == counts
    assert "Demo data loaded" in first.getvalue() and "already loaded" in second.getvalue()
    for out in (first.getvalue(), second.getvalue()):
        for login in ("admin / admin", "owner / owner", "backer / backer", "backer2 / backer2"):
            assert login in out
    for campaign in Campaign.objects.select_related("platform").prefetch_related("tiers"):
        texts = [campaign.title, campaign.story] + [t.title for t in campaign.tiers.all()]
        if campaign.platform.slug in ("arts", "charity", "presale"):
            assert all(PERSIAN.search(t) for t in texts), texts
        else:
            assert not any(PERSIAN.search(t) for t in texts), texts
    assert {c.platform.slug for c in Campaign.objects.select_related("platform")} == {
        "arts",
        "charity",
        "presale",
        "civic",
    }
    # A council matches the civic garden's pledges: the civic portal publishes a 360Giving file.
    assert OpenDataFile.objects.filter(platform__slug="civic", name="grants-360giving.json").exists()
