"""`manage.py load_demo`: Persian campaigns on the Persian platforms, English on the civic portal; loading
twice changes nothing; the demo logins are printed every time."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from presale.models import GuaranteeStatus
from presale.selectors import delivery_summary, is_late, platform_today
from projects.models import Campaign, RewardTier
from stats.models import OpenDataFile
from web.demo_delivery import demo_delivery_campaign, demo_late_pledge

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


def test_demo_campaigns_are_filed_under_their_own_categories():
    """The walkthrough found the short film and the street-theatre festival under "Accessory" and the
    solar lamp under "Art" (the first category by name): each is now where a visitor browsing looks for it."""
    call_command("load_demo", stdout=StringIO())
    category = {c.title: c.category.slug for c in Campaign.objects.select_related("category")}
    assert category["فیلم کوتاه: آخرین کاروانسرا"] == "short-film"
    assert category["جشنواره تئاتر خیابانی"] == "festival"
    assert category["چراغ مطالعه خورشیدی"] == "smart-gadgets"
    assert category["کتاب برای مدرسه‌ای روستایی"] == "education"
    assert category["لباس زمستانی برای کودکان"] == "children"
    assert category["Community garden on Mill Lane"] == "green-spaces"
    assert category["Riverside playground for all abilities"] == "sport-play"
    assert category["دستبند هوشمند سلامت"] == "smart-gadgets"
    assert "accessory" not in category.values() and "art" not in category.values()


def test_the_demo_has_a_guaranteed_presale_campaign_with_rewards_delivered_shipped_and_one_late():
    call_command("load_demo", stdout=StringIO())
    campaign = demo_delivery_campaign()
    assert campaign is not None and campaign.guarantees.get().status == GuaranteeStatus.VERIFIED
    summary = delivery_summary(campaign)
    assert (summary.delivered, summary.shipped, summary.outstanding, summary.late) == (2, 1, 2, 1)
    late = demo_late_pledge()
    assert late is not None and is_late(late, platform_today(campaign.platform))
    call_command("audit_ledger", stdout=StringIO())  # raises on any imbalance


def test_demo_has_a_matching_council_on_civic_and_a_sponsor_on_charity(client):
    from partners.models import Match, Organisation, Pot, Sponsorship

    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())  # twice: nothing more
    council = Organisation.objects.get(platform__slug="civic", slug="riverside-council")
    assert council.is_verified and council.members.filter(user__username="council", role="admin").exists()
    pot = Pot.objects.get(organisation=council, rule="linear")
    assert pot.paid_in == 2_000_000 and pot.available == 2_000_000 - 9_500
    assert Match.objects.filter(pot=pot).values("campaign").distinct().count() == 2
    unmatched = Campaign.objects.filter(platform__slug="civic").exclude(matches__isnull=False)
    assert unmatched.exists()  # some campaigns are not matched
    playground = Campaign.objects.get(title="Riverside playground for all abilities")
    page = client.get(f"/civic/campaigns/{playground.pk}/").content.decode()
    assert "Matched by Riverside Council: every £1.00 you give becomes £2.00, up to £5,000.00 per project" in page
    sponsor = Organisation.objects.get(platform__slug="charity", kind="company")
    assert Sponsorship.objects.filter(organisation=sponsor, campaign__isnull=True).exists()
    assert Sponsorship.objects.filter(organisation=sponsor, campaign__isnull=False).exists()
    assert sponsor.name in client.get("/charity/").content.decode()
    # The council's matches are published in the civic portal's 360Giving file.
    assert OpenDataFile.objects.filter(platform__slug="civic", name="grants-360giving.json").exists()
    from funding.audit import ledger_audit

    assert ledger_audit() == []


def test_the_demo_shows_featured_campaigns_and_one_ending_within_a_day(client):
    import datetime as dt

    from django.utils import timezone

    from web.demo import demo_load

    demo_load(soon_minutes=60 * 24 * 3)
    now = timezone.now()
    featured = set(Campaign.objects.filter(featured=True).values_list("title", flat=True))
    assert {"جشنواره تئاتر خیابانی", "Riverside playground for all abilities"} <= featured
    within_a_day = Campaign.objects.filter(status="live", deadline__gt=now, deadline__lt=now + dt.timedelta(days=1))
    assert within_a_day.count() >= 1
    html = client.get("/").content.decode()
    assert "Riverside playground for all abilities" in html and "کنسرت موسیقی محلی در باغ ارم" in html
