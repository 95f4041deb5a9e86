"""Under load (issue 12): the public pages anonymous visitors see are kept for a few seconds
(CIVICFUND_ANON_PAGE_SECONDS, on in production), per address and language; signed-in visitors always
get fresh pages, every visitor's forms carry their own CSRF token, and what moderation hides is gone
from every kept page at once."""

from __future__ import annotations

import re

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.services import question_ask, question_hide
from projects.models import Campaign
from tests.factories import CampaignFactory, UserFactory
from tests.web.conftest import verified

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def kept(settings):
    settings.CIVICFUND_ANON_PAGE_SECONDS = 10
    cache.clear()
    yield
    cache.clear()


def test_an_anonymous_visitor_gets_the_kept_page_without_its_queries(kept, civic):
    campaign = CampaignFactory(slug="civic", title="Library roof")
    url = f"/civic/campaigns/{campaign.pk}/"
    with CaptureQueriesContext(connection) as first:
        assert "Library roof" in Client().get(url).content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(title="Library roof, renamed")
    with CaptureQueriesContext(connection) as again:
        page = Client().get(url).content.decode()
    assert "Library roof" in page and "renamed" not in page  # kept
    assert len(again.captured_queries) < len(first.captured_queries) // 2


def test_signed_in_visitors_always_get_a_fresh_page(kept, civic, owner):
    campaign = CampaignFactory(slug="civic", title="Library roof")
    url = f"/civic/campaigns/{campaign.pk}/"
    Client().get(url)
    Campaign.objects.filter(pk=campaign.pk).update(title="Library roof, renamed")
    signed_in = Client()
    signed_in.force_login(verified(owner))
    assert "renamed" in signed_in.get(url).content.decode()


def test_each_language_and_query_is_kept_apart(kept, civic):
    CampaignFactory(slug="civic", title="Library roof")
    english, persian = Client(), Client()
    persian.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "fa"
    english.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in english.get("/civic/browse/").content.decode()
    assert 'lang="fa"' in persian.get("/civic/browse/").content.decode()
    assert 'lang="en"' in english.get("/civic/browse/").content.decode()
    assert "Library roof" not in english.get("/civic/browse/?q=nothing-matches").content.decode()


def test_a_kept_page_carries_each_visitors_own_csrf_token(kept, civic):
    CampaignFactory(slug="civic")
    Client().get("/civic/")  # kept
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/civic/").content.decode()
    token = TOKEN.search(page).group(1)
    answer = visitor.post("/i18n/setlang/", {"csrfmiddlewaretoken": token, "language": "fa", "next": "/civic/"})
    assert answer.status_code == 302


def test_a_question_hidden_is_gone_from_the_kept_page_at_once(kept, civic, run_on_commit):
    campaign = CampaignFactory(slug="civic", title="Library roof")
    question = question_ask(campaign=campaign, user=verified(UserFactory()), body="Buy cheap watches here")
    url = f"/civic/campaigns/{campaign.pk}/"
    assert "Buy cheap watches" in Client().get(url).content.decode()  # kept now
    with run_on_commit():
        question_hide(question=question, user=verified(campaign.owner), reason="Advertising")
    page = Client().get(url).content.decode()
    assert "Buy cheap watches" not in page and "Advertising" in page


def test_a_visitor_who_signed_out_is_told_so_on_the_kept_front_page_once(kept, civic):
    CampaignFactory(slug="civic", title="Library roof")
    with CaptureQueriesContext(connection) as built:
        Client().get("/")  # kept for anonymous visitors
    building = len(built.captured_queries)  # read now: each request clears the connection's log
    visitor = Client()
    visitor.force_login(verified(UserFactory()))
    assert visitor.post("/accounts/logout/")["Location"] == "/"
    with CaptureQueriesContext(connection) as served:
        page = visitor.get("/").content.decode()
    assert "You have signed out." in page and "Library roof" in page
    assert len(served.captured_queries) < building // 2  # the kept page, not built again
    assert "You have signed out." not in visitor.get("/").content.decode()  # said once
