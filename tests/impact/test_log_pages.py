"""The decision log in public: a campaign's dated timeline, the platform's log page with its filters and
overdue reports, its Atom feed, and the API; who decided by role unless the platform names people."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import ActorRole
from decisions.services import decision_record
from projects.models import CampaignStatus
from projects.services import campaign_send_back, campaign_submit

from ..factories import CampaignFactory
from .conftest import first_payout_paid, funded

S = CampaignStatus
pytestmark = pytest.mark.django_db


def test_the_campaign_page_shows_its_dated_timeline_by_role(client, civic, owner, pledge, admin_user):
    campaign = funded("civic", owner, pledge)
    first_payout_paid(campaign, admin_user)
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "Timeline of decisions" in page
    assert "Funded at the deadline" in page and "First payout made" in page
    assert "Decided by: Finance" in page
    assert admin_user.username not in page  # by role only


def test_a_platform_that_names_its_people_shows_who_decided(client, civic, owner, pledge, admin_user):
    civic.decision_log_shows_names = True
    civic.save()
    campaign = funded("civic", owner, pledge)
    first_payout_paid(campaign, admin_user)
    page = client.get(reverse("decision-log", args=["civic"])).content.decode()
    assert f"Finance ({admin_user.username})" in page


def test_the_log_page_filters_by_kind_campaign_and_dates(client, civic, owner, pledge, admin_user):
    one = funded("civic", owner, pledge)
    two = funded("civic", owner, pledge)
    first_payout_paid(one, admin_user)
    url = reverse("decision-log", args=["civic"])
    page = client.get(url, {"kind": "campaign.first_payout_paid"}).content.decode()
    assert f'href="/civic/campaigns/{one.pk}/"' in page and f'href="/civic/campaigns/{two.pk}/"' not in page
    page = client.get(url, {"campaign": two.pk}).content.decode()
    assert "<strong>Funded at the deadline</strong>" in page and "<strong>First payout made</strong>" not in page
    tomorrow = (timezone.now() + dt.timedelta(days=2)).date().isoformat()
    assert "No decisions yet." in client.get(url, {"since": tomorrow}).content.decode()


def test_a_draft_s_history_stays_private_until_it_goes_live(client, civic, owner, admin_user):
    draft = CampaignFactory(slug="civic", owner=owner, status=S.DRAFT, title="Secret draft")
    campaign_submit(campaign=draft, user=owner)
    campaign_send_back(campaign=draft, admin=admin_user, reason="Not yet.")
    page = client.get(reverse("decision-log", args=["civic"])).content.decode()
    assert "Secret draft" not in page
    assert client.get(reverse("api:platform-decisions", args=["civic"])).json()["count"] == 0


def test_the_atom_feed_lists_the_decisions(client, civic, owner, pledge):
    campaign = funded("civic", owner, pledge)
    response = client.get(reverse("decision-feed", args=["civic"]))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert f"Funded at the deadline: {campaign.title}" in body
    assert f"/civic/campaigns/{campaign.pk}/#decision-" in body


def test_the_api_gives_the_platform_s_and_the_campaign_s_decisions(client, civic, owner, pledge, admin_user):
    campaign = funded("civic", owner, pledge)
    first_payout_paid(campaign, admin_user)
    data = client.get(reverse("api:platform-decisions", args=["civic"]), {"kind": "campaign.succeeded"}).json()
    assert [(d["kind"], d["actor_role"], d["actor_name"]) for d in data["results"]] == [
        ("campaign.succeeded", ActorRole.SYSTEM, "")
    ]
    timeline = client.get(reverse("api:campaign-decisions", args=[campaign.pk])).json()["results"]
    assert [d["kind"] for d in timeline] == ["campaign.succeeded", "campaign.first_payout_paid"]
    assert client.get(reverse("api:platform-decisions", args=["civic"]), {"kind": "nonsense"}).status_code == 400


def test_a_civic_decision_of_another_app_appears_in_the_log(client, civic):
    decision_record(
        platform=civic, kind="pot.opened", actor_role=ActorRole.ORGANISATION_ADMIN, on_behalf_of="Riverside Council"
    )
    page = client.get(reverse("decision-log", args=["civic"])).content.decode()
    assert "Riverside Council" in page and "Organisation" in page


def test_the_platform_page_links_its_decision_log(client, civic):
    page = client.get(reverse("platform", args=["civic"])).content.decode()
    assert reverse("decision-log", args=["civic"]) in page
