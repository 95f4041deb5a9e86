"""Anonymous page views write no session row (a crawler would fill the table); expired sessions are
deleted by a beat job (docs/security.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.tasks import clear_expired_sessions
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_anonymous_page_views_create_no_session_rows(client, arts, civic):
    campaign = CampaignFactory(slug="arts")
    for url in ("/", "/arts/", f"/arts/campaigns/{campaign.pk}/", "/civic/", "/browse/", "/accounts/login/"):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
    assert Session.objects.count() == 0
    # the language of the platform last viewed still carries to platformless pages, by a cookie
    client.get("/arts/")
    assert client.get("/browse/").headers["Content-Language"] == "fa"
    assert Session.objects.count() == 0


def test_expired_sessions_are_cleared_on_a_schedule(client, backer):
    client.force_login(backer)
    Session.objects.create(session_key="old", session_data="", expire_date=timezone.now() - dt.timedelta(days=1))
    assert clear_expired_sessions() == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [client.session.session_key]
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "accounts.tasks.clear_expired_sessions" in schedule
