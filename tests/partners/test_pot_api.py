"""Pots and matches through the REST API: an organisation's pots with their balance (paid in, committed,
available), the matches of a pot and of a campaign, the pledge's match in the pledge's answer; and bad
input (a rule that cannot work, an unverified organisation, a member of another organisation, another
platform's campaign) answered with a clear error and nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from partners.models import Match, Pot
from tests.api.conftest import assert_error, client_for
from tests.factories import CampaignFactory, UserFactory, wallet_top_up

from .conftest import organisation_make

pytestmark = pytest.mark.django_db


def _terms(organisation, **change):
    now = timezone.now()
    body = {
        "organisation": organisation.pk,
        "name": "Riverside match fund",
        "budget": 500_000,
        "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=30)).isoformat(),
        "rule": "linear",
        "ratio": "1",
        "cap_per_campaign": 500_000,
    }
    body.update(change)
    return body


def test_an_organisations_admin_opens_a_pot_and_anyone_reads_its_balance(council, org_admin, staff):
    created = client_for(org_admin).post("/api/v1/pots/", _terms(council), format="json")
    assert created.status_code == 201, created.json()
    pot = created.json()
    assert (pot["platform"], pot["currency"], pot["paid_in"], pot["available"]) == ("civic", "GBP", 0, 0)
    assert_error(client_for(org_admin).post(f"/api/v1/pots/{pot['id']}/pay-in/", {"amount": 1, "reference": "A"}), 403)
    paid = client_for(staff).post(f"/api/v1/pots/{pot['id']}/pay-in/", {"amount": 320_000, "reference": "BACS-1"})
    assert paid.status_code == 200, paid.json()
    assert (paid.json()["paid_in"], paid.json()["available"], paid.json()["balance"]) == (320_000, 320_000, 320_000)
    listed = client_for().get(f"/api/v1/pots/?organisation={council.pk}").json()["results"]
    assert [p["name"] for p in listed] == ["Riverside match fund"]


def test_the_pledge_answer_and_the_pots_matches_say_the_match(civic, make_pot, backer, council):
    pot = make_pot(paid_in=320_000, cap_per_campaign=500_000)
    campaign, other = CampaignFactory(slug="civic", goal=100_000), CampaignFactory(slug="civic", goal=100_000)
    wallet_top_up(backer, currency="GBP", amount=100_000, platform_slug="civic")
    answer = client_for(backer).post(f"/api/v1/campaigns/{campaign.pk}/pledges/", {"amount": 2_500, "source": "wallet"})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["matched"] == 2_500
    second = client_for(backer).post(f"/api/v1/campaigns/{campaign.pk}/pledges/", {"amount": 1_000, "source": "wallet"})
    assert second.json()["matched"] == 0  # one matched pledge per backer and campaign
    mine = client_for(backer).get("/api/v1/pledges/").json()["results"]
    assert sorted(p["matched"] for p in mine) == [0, 2_500]
    assert client_for(backer).get(f"/api/v1/pledges/{answer.json()['id']}/").json()["matched"] == 2_500
    matches = client_for().get(f"/api/v1/pots/{pot.pk}/matches/").json()["results"]
    assert [(m["campaign"], m["amount"], m["kind"], m["status"]) for m in matches] == [
        (campaign.pk, 2_500, "pledge", "committed")
    ]
    assert matches[0]["organisation_name"] == "Riverside Council"
    assert client_for().get(f"/api/v1/campaigns/{campaign.pk}/matches/").json()["results"] == matches
    assert client_for().get(f"/api/v1/campaigns/{other.pk}/matches/").json()["results"] == []
    detail = client_for().get(f"/api/v1/pots/{pot.pk}/").json()
    assert (detail["paid_in"], detail["committed"], detail["available"], detail["balance"]) == (
        320_000,
        2_500,
        317_500,
        320_000,
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ratio": "0"}, "ratio"),
        ({"ratio": "-2"}, "ratio"),
        ({"cap_per_pledge": 0}, "cap_per_pledge"),
        ({"cap_per_campaign": 0}, "cap_per_campaign"),
        ({"budget": 0}, "budget"),
        ({"closes_at": "2020-01-01T00:00:00Z"}, "closes_at"),
        ({"matched_pledges_per_backer": 0}, "matched_pledges_per_backer"),
        ({"matched_pledges_per_backer": 40_000}, "matched_pledges_per_backer"),
        (
            {"rule": "milestone", "milestone_percent": 50, "milestone_backers": 10**12, "grant_amount": 5},
            "milestone_backers",
        ),
    ],
)
def test_a_pot_rule_that_cannot_work_is_a_400_and_nothing_is_written(council, org_admin, change, field):
    assert_error(
        client_for(org_admin).post("/api/v1/pots/", _terms(council, **change), format="json"), 400, field=field
    )
    assert not Pot.objects.exists()


def test_who_may_open_or_close_a_pot_through_the_api(council, org_admin, org_reviewer, company, civic, make_pot):
    # a reviewer of the council, a member of another organisation, an unverified organisation's admin
    assert_error(client_for(org_reviewer).post("/api/v1/pots/", _terms(council), format="json"), 403)
    stranger = organisation_make(civic, "Other Council", admin=UserFactory())
    assert_error(client_for(stranger.members.get().user).post("/api/v1/pots/", _terms(council), format="json"), 403)
    assert_error(
        client_for(company.members.get().user).post("/api/v1/pots/", _terms(company), format="json"),
        400,
        "organisation_unverified",
    )
    elsewhere = CampaignFactory(slug="arts")
    assert_error(
        client_for(org_admin).post("/api/v1/pots/", _terms(council, campaigns=[elsewhere.pk]), format="json"),
        400,
        field="campaigns",
    )
    assert not Pot.objects.exists()
    pot = make_pot(paid_in=10_000)
    assert_error(client_for(stranger.members.get().user).post(f"/api/v1/pots/{pot.pk}/close/", {"reason": "x"}), 403)
    assert_error(client_for(org_admin).post(f"/api/v1/pots/{pot.pk}/close/", {"reason": ""}), 400)
    closed = client_for(org_admin).post(f"/api/v1/pots/{pot.pk}/close/", {"reason": "Budget moved to the call"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["available"] == 0
    assert not Match.objects.exists()
