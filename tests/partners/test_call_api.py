"""Open calls through the API: the public list and page (campaigns, the pot's use, the match each got,
decisions), publishing by the organisation's administrator, applying with a draft, and the reviewers'
decisions with their permission checks (a reviewer of another organisation gets 403, nothing written)."""

import datetime as dt

import pytest
from django.utils import timezone

from decisions.models import Decision
from partners.models import Application, ApplicationStatus, Call
from partners.services.calls import application_submit
from partners.services.rounds import round_close
from tests.api.conftest import assert_error, client_for

from ..factories import UserFactory
from .calls_helpers import approved_live, call_make, draft_make
from .conftest import organisation_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(council, org_admin, make_pot):
    pot = make_pot(rule="quadratic", ratio=None, paid_in=10_000, cap_percent=100)
    return call_make(council, org_admin, pot=pot)


def test_api_lists_calls_and_shows_a_call_with_its_campaigns_matches_and_decisions(call, make_backers, pledge):
    many, one = approved_live(call, title="Street trees"), approved_live(call, title="Big giver")
    for backer in make_backers(4):
        pledge(many, backer, 100)
    pledge(one, make_backers(1)[0], 5_000)
    round_close(call=call, now=call.pot.closes_at)
    listed = client_for().get("/api/v1/calls/?platform=civic").json()
    assert [c["title"] for c in listed["results"]] == ["Greener streets 2026"]
    body = client_for().get(f"/api/v1/calls/{call.pk}/").json()
    assert body["pot_rule"] == "quadratic" and body["organisation_name"] == "Riverside Council"
    assert {c["title"]: (c["raised"], c["backers"], c["matched"]) for c in body["campaigns"]} == {
        "Street trees": (400, 4, 10_000),
        "Big giver": (5_000, 1, 0),
    }
    assert body["pot_use"]["committed"] == 10_000 and body["pot_use"]["available"] == 0
    assert [d["kind"] for d in body["decisions"]] == ["call.round_closed", "call.published"]


def test_api_publishes_a_call_for_the_organisations_administrator_only(council, org_admin, org_reviewer):
    now = timezone.now()
    body = {
        "organisation": council.pk,
        "title": "Play streets",
        "theme": "Children's play",
        "description": "Streets closed to traffic for play.",
        "criteria": "Neighbours' support.",
        "applications_open_at": now.isoformat(),
        "applications_close_at": (now + dt.timedelta(days=10)).isoformat(),
        "campaigns_deadline": (now + dt.timedelta(days=40)).isoformat(),
    }
    assert_error(client_for(org_reviewer).post("/api/v1/calls/", body, format="json"), 403)
    bad = {**body, "applications_close_at": (now - dt.timedelta(days=1)).isoformat()}
    assert_error(client_for(org_admin).post("/api/v1/calls/", bad, format="json"), 400, field="applications_close_at")
    assert not Call.objects.exists()
    created = client_for(org_admin).post("/api/v1/calls/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "published"


def test_api_owner_applies_and_a_reviewer_decides(call, org_reviewer):
    draft = draft_make(title="Pocket park")
    assert_error(client_for(UserFactory()).post(f"/api/v1/calls/{call.pk}/apply/", {"campaign": draft.pk}), 403)
    applied = client_for(draft.owner).post(f"/api/v1/calls/{call.pk}/apply/", {"campaign": draft.pk})
    assert applied.status_code == 201, applied.json()
    pk = applied.json()["id"]
    reviewer = client_for(org_reviewer)
    assert [a["campaign_title"] for a in reviewer.get(f"/api/v1/calls/{call.pk}/applications/").json()["results"]] == [
        "Pocket park"
    ]
    assert reviewer.post(f"/api/v1/applications/{pk}/shortlist/").json()["status"] == "shortlisted"
    assert_error(reviewer.post(f"/api/v1/applications/{pk}/decline/", {}), 400, field="reason")
    declined = reviewer.post(f"/api/v1/applications/{pk}/decline/", {"reason": "Outside the borough."})
    assert declined.json()["status"] == "declined" and declined.json()["reason"] == "Outside the borough."


def test_api_a_reviewer_of_another_organisation_is_refused_and_nothing_written(call, civic):
    draft = draft_make()
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    outsider = UserFactory()
    organisation_make(civic, "Other Trust", reviewer=outsider)
    as_outsider = client_for(outsider)
    assert_error(as_outsider.post(f"/api/v1/applications/{application.pk}/approve/"), 403)
    assert as_outsider.get(f"/api/v1/calls/{call.pk}/applications/").json()["results"] == []
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
    assert not Decision.objects.filter(subject_type="application").exists()


def test_api_a_campaign_of_another_platform_cannot_apply(call):
    from projects.models import CampaignStatus

    from ..factories import CampaignFactory

    elsewhere = CampaignFactory(slug="arts", status=CampaignStatus.DRAFT)
    response = client_for(elsewhere.owner).post(f"/api/v1/calls/{call.pk}/apply/", {"campaign": elsewhere.pk})
    assert_error(response, 400)
    assert not Application.objects.exists()
