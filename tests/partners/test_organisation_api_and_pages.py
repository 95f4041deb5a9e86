"""Organisations through the API and on the site: the public page (verified or not, members, what it
endorsed, totals), the campaign page's endorsers and sponsors, browse and the API filtered by endorser."""

import pytest
from django.urls import reverse

from partners.models import Endorsement
from partners.services import organisations as svc
from tests.api.conftest import assert_error, client_for

from ..factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_api_registers_lists_and_shows_an_organisation_with_members_and_totals(civic, backer, staff):
    created = client_for(backer).post(
        "/api/v1/organisations/", {"platform": "civic", "name": "Riverside Trust", "kind": "charitable_fund"}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["verified"] is False and body["members"] == [{"username": backer.username, "role": "admin"}]
    assert body["totals"] == {"endorsed": 0, "matched": 0, "funded": 0, "campaigns_matched": 0}
    listed = client_for().get("/api/v1/organisations/?platform=civic&verified=false").json()
    assert [o["name"] for o in listed["results"]] == ["Riverside Trust"]
    assert_error(client_for(backer).post(f"/api/v1/organisations/{body['id']}/verify/"), 403)
    verified = client_for(staff).post(f"/api/v1/organisations/{body['id']}/verify/")
    assert verified.json()["verified"] is True


def test_api_endorses_filters_campaigns_by_endorser_and_withdraws(council, org_admin, backer):
    endorsed, other = CampaignFactory(slug="civic"), CampaignFactory(slug="civic")
    assert_error(
        client_for(backer).post(f"/api/v1/organisations/{council.pk}/endorse/", {"campaign": endorsed.pk, "note": "x"}),
        403,
    )
    response = client_for(org_admin).post(
        f"/api/v1/organisations/{council.pk}/endorse/", {"campaign": endorsed.pk, "note": "Good for the ward"}
    )
    assert response.status_code == 201, response.json()
    ids = [c["id"] for c in client_for().get(f"/api/v1/campaigns/?endorser={council.pk}").json()["results"]]
    assert ids == [endorsed.pk] and other.pk not in ids
    pk = response.json()["id"]
    assert_error(client_for(org_admin).post(f"/api/v1/endorsements/{pk}/withdraw/", {"reason": ""}), 400)
    withdrawn = client_for(org_admin).post(f"/api/v1/endorsements/{pk}/withdraw/", {"reason": "Plans changed"})
    assert withdrawn.json()["withdrawn_reason"] == "Plans changed"
    assert client_for().get(f"/api/v1/campaigns/?endorser={council.pk}").json()["results"] == []
    listed = client_for().get(f"/api/v1/endorsements/?campaign={endorsed.pk}").json()["results"]
    assert [e["withdrawn_reason"] for e in listed] == ["Plans changed"]


def test_an_unverified_organisation_cannot_endorse_through_the_api(company):
    campaign = CampaignFactory(slug="civic")
    body = assert_error(
        client_for(company.members.get().user).post(
            f"/api/v1/organisations/{company.pk}/endorse/", {"campaign": campaign.pk, "note": "Yes"}
        ),
        400,
        "organisation_unverified",
    )
    assert "not verified" in body["message"]
    assert not Endorsement.objects.exists()


def test_the_organisation_page_shows_verification_members_endorsements_and_totals(client, council, company, org_admin):
    campaign = CampaignFactory(slug="civic", title="Riverside garden")
    svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="Good for the ward")
    page = client.get(reverse("organisation", args=["civic", council.slug])).content.decode()
    assert "Riverside Council" in page and "Verified by the platform" in page
    assert "council-admin" in page and "council-reviewer" in page
    assert "Riverside garden" in page and "Good for the ward" in page
    unverified = client.get(reverse("organisation", args=["civic", company.slug])).content.decode()
    assert "Not verified" in unverified
    listing = client.get(reverse("organisations", args=["civic"])).content.decode()
    assert "Riverside Council" in listing and "Acme Ltd" in listing


def test_the_campaign_page_shows_endorsers_and_lets_a_member_endorse_and_withdraw(client, council, org_admin, staff):
    campaign = CampaignFactory(slug="civic")
    svc.sponsorship_add(organisation=council, staff=staff, campaign=campaign)
    client.force_login(org_admin)
    url = reverse("campaign", args=["civic", campaign.pk])
    assert "Endorse this campaign" in client.get(url).content.decode()
    client.post(reverse("campaign-endorse", args=["civic", campaign.pk]), {"organisation": council.pk, "note": "Yes!"})
    page = client.get(url).content.decode()
    assert "Yes!" in page and "Sponsor" in page and "Withdraw the endorsement" in page
    endorsement = Endorsement.objects.get()
    client.post(reverse("endorsement-withdraw", args=[endorsement.pk]), {"reason": "Changed"})
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_reason == "Changed"
    browse = client.get(reverse("platform-browse", args=["civic"]) + f"?endorser={council.pk}").content.decode()
    assert campaign.title not in browse


def test_the_pages_speak_persian_on_the_persian_platforms(client, arts):
    from tests.partners.conftest import organisation_make

    organisation = organisation_make(arts, "Tehran Municipality", verified=False)
    page = client.get(reverse("organisation", args=["arts", organisation.slug])).content.decode()
    assert "تأیید نشده" in page
