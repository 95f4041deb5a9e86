"""Titles are one visible line (no control characters, no bidi overrides, not only zero-width
characters), and a deadline is at most the platform's longest campaign after the start: refused with a
clear error, nothing written. `repair_bad_input` reports and repairs rows written before the rules."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.models import Campaign, CampaignUpdate
from tests.api.test_campaigns import URL, draft_body
from tests.factories import CampaignFactory
from tests.web.test_owner_forms import draft, in_persian

from .conftest import assert_error

pytestmark = pytest.mark.django_db

BAD_TITLES = {
    "Park\nRide": "title_control",
    "Park\r\nBcc: everyone@example.org": "title_control",
    "Tab\there": "title_control",
    "Line\u2028separator": "title_control",
    "\u202eedir kraP": "title_bidi",
    "Park \u2066isolate\u2069": "title_bidi",
    "\u200b\u200c\u200d": "title_invisible",
    " \u00a0\u200b ": "title_invisible",
}


@pytest.mark.parametrize("title,code", BAD_TITLES.items())
def test_a_campaign_title_with_control_bidi_or_only_invisible_characters_is_refused(as_owner, presale, title, code):
    # the schema's pattern refuses control and bidi characters first; the service says which rule
    expected = code if code == "title_invisible" else None
    assert_error(as_owner.post(URL, draft_body(title=title), format="json"), 400, expected, "title")
    assert not Campaign.objects.exists()


def test_persian_titles_with_zwnj_and_marks_are_accepted(as_owner, presale):
    title = "کتابخانهٔ مدرسه\u200cای \u200fروستا"
    created = as_owner.post(URL, draft_body(title=title), format="json")
    assert created.status_code == 201, created.json()
    assert Campaign.objects.get().title == title


def test_an_edited_title_and_a_tier_title_are_checked_too(as_owner, presale):
    pk = as_owner.post(URL, draft_body(), format="json").json()["id"]
    assert_error(as_owner.patch(f"{URL}{pk}/", {"title": "A\nB"}, format="json"), 400, None, "title")
    tier = as_owner.post(f"{URL}{pk}/tiers/", {"amount": 50_000, "title": "\u202eplaque"}, format="json")
    assert_error(tier, 400, None, "title")
    assert Campaign.objects.get().title == "A bench for the park"


@pytest.mark.parametrize("title,code", list(BAD_TITLES.items())[:5:2])
def test_an_update_title_is_checked(as_owner, owner, title, code):
    campaign = CampaignFactory(owner=owner)
    response = as_owner.post(f"{URL}{campaign.pk}/updates/", {"title": title, "body": "News"}, format="json")
    assert_error(response, 400, None, "title")
    assert not CampaignUpdate.objects.exists()


def test_a_deadline_beyond_the_platforms_longest_campaign_is_refused(as_owner, presale):
    assert presale.max_campaign_days == 120
    for deadline in ("9999-12-31T23:59:59+03:30", (timezone.now() + dt.timedelta(days=122)).isoformat()):
        response = as_owner.post(URL, draft_body(deadline=deadline), format="json")
        body = assert_error(response, 400, "deadline_too_far", "deadline")
        assert "120 days" in body["message"]
    assert not Campaign.objects.exists()
    far_start = (timezone.now() + dt.timedelta(days=400)).isoformat()
    far = draft_body(starts_at=far_start, deadline=(timezone.now() + dt.timedelta(days=410)).isoformat())
    assert_error(as_owner.post(URL, far, format="json"), 400, "start_too_far", "starts_at")
    ok = as_owner.post(URL, draft_body(deadline=(timezone.now() + dt.timedelta(days=119)).isoformat()), format="json")
    assert ok.status_code == 201


def test_the_owner_form_says_why_a_deadline_or_title_is_refused_in_persian(client, site_owner, civic):
    client.force_login(site_owner)
    in_persian(client)
    response = client.post("/me/campaigns/new/civic/", draft("civic", deadline="9999-12-31T12:00"))
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "حداکثر ۳۶۵ روز" in response.content.decode()
    response = client.post("/me/campaigns/new/civic/", draft("civic", title="\u202ePark"))
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "نویسه‌های جهت‌نما" in response.content.decode()


def test_repair_reports_then_fixes_old_titles_and_deadlines(presale):
    bad = CampaignFactory(slug="presale", title="Park\nRide")
    far = CampaignFactory(slug="presale", deadline=dt.datetime(9999, 12, 31, tzinfo=dt.UTC))
    invisible = CampaignFactory(slug="presale", title="\u200b")
    out = StringIO()
    call_command("repair_bad_input", stdout=out)
    assert "3 found" in out.getvalue()
    bad.refresh_from_db()
    assert bad.title == "Park\nRide"  # only reported
    call_command("repair_bad_input", "--fix", stdout=StringIO())
    for campaign in (bad, far, invisible):
        campaign.refresh_from_db()
    assert bad.title == "Park Ride" and invisible.title == f"Untitled {invisible.pk}"
    assert far.deadline <= timezone.now() + dt.timedelta(days=121)
    out = StringIO()
    call_command("repair_bad_input", stdout=out)
    assert "0 found" in out.getvalue()
