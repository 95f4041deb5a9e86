"""Issue 15, claims on the site and in the API: the backer files from the receipt and sees the decision;
the owner answers; staff decide; evidence is private to those three; the API refuses bad claims with
their codes and writes nothing."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from funding.audit import ledger_audit
from presale.models import Claim, ClaimStatus
from tests.factories import StaffFactory, UserFactory

from .conftest import GRACE_OVER, answered, file, scan

pytestmark = pytest.mark.django_db


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def api_as(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_backer_files_a_claim_from_the_receipt_page(world, client):
    pledge_ = world["a"]
    client.force_login(pledge_.backer)
    with at(GRACE_OVER):
        receipt = client.get(reverse("pledge-receipt", args=[pledge_.pk])).content.decode()
        assert reverse("claim-new", args=[pledge_.pk]) in receipt
        response = client.post(
            reverse("claim-new", args=[pledge_.pk]),
            {"ground": "late", "amount": "120000", "description": "Nothing came.", "evidence": [scan("a.pdf")]},
        )
    claim = Claim.objects.get(pledge=pledge_)
    assert response.status_code == 302 and response["Location"] == reverse("claim", args=[claim.pk])
    assert (claim.amount, claim.evidence.count()) == (120_000, 1)
    page = client.get(reverse("claim", args=[claim.pk])).content.decode()
    assert "Nothing came." in page


def test_a_refused_claim_form_says_why_and_writes_nothing(world, client):
    pledge_ = world["a"]
    client.force_login(pledge_.backer)
    with at(dt.datetime(2026, 6, 10, 9, tzinfo=dt.UTC)):  # within the grace
        response = client.post(
            reverse("claim-new", args=[pledge_.pk]), {"ground": "late", "amount": "1000", "description": "Late."}
        )
    assert response.status_code == 200 and not Claim.objects.exists()
    assert 'class="errors' in response.content.decode()


def test_the_owner_answers_and_staff_decide_on_the_claims_page(world, client):
    claim = file(world["a"], 50_000)
    owner, staff = world["campaign"].owner, StaffFactory()
    client.force_login(owner)
    with at(GRACE_OVER):
        client.post(reverse("claim-answer", args=[claim.pk]), {"answer": "Shipped yesterday."})
    claim.refresh_from_db()
    assert (claim.status, claim.answer) == (ClaimStatus.ANSWERED, "Shipped yesterday.")
    client.force_login(staff)
    with at(GRACE_OVER):
        response = client.post(
            reverse("claim-decide", args=[claim.pk]),
            {"outcome": "partly", "accepted_amount": "20000", "reason": "Part of the order came."},
        )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.accepted_amount, claim.from_held) == (ClaimStatus.PARTLY_ACCEPTED, 20_000, 20_000)
    client.force_login(world["a"].backer)
    page = client.get(reverse("claim", args=[claim.pk])).content.decode()
    assert "Part of the order came." in page
    assert ledger_audit() == []


def test_a_claim_and_its_evidence_are_private_to_the_backer_the_owner_and_staff(world, client):
    claim = file(world["a"], 50_000, evidence=[scan("proof.pdf")])
    evidence = claim.evidence.get()
    for user, status in [(UserFactory(), 404), (world["b"].backer, 404), (world["a"].backer, 200)]:
        client.force_login(user)
        assert client.get(reverse("claim", args=[claim.pk])).status_code == status
        assert client.get(reverse("claim-evidence", args=[evidence.pk])).status_code == status
    client.force_login(world["campaign"].owner)
    assert client.get(reverse("claim-evidence", args=[evidence.pk])).status_code == 200


def test_the_api_files_lists_answers_and_decides_claims(world):
    pledge_ = world["b"]
    backer = api_as(pledge_.backer)
    with at(GRACE_OVER):
        response = backer.post(
            f"/api/v1/pledges/{pledge_.pk}/claim/",
            {"ground": "late", "amount": 30_000, "description": "Not here.", "evidence": [scan("p.pdf")]},
            format="multipart",
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["amount"], body["evidence"]) == ("filed", 30_000, 1)
    assert [c["id"] for c in backer.get("/api/v1/claims/").json()["results"]] == [body["id"]]
    assert api_as(world["a"].backer).get("/api/v1/claims/").json()["results"] == []
    assert api_as(world["a"].backer).get(f"/api/v1/claims/{body['id']}/").status_code == 404

    with at(GRACE_OVER):
        answer = api_as(world["campaign"].owner).post(f"/api/v1/claims/{body['id']}/answer/", {"answer": "Soon."})
    assert answer.json()["status"] == "answered"
    refused = backer.post(f"/api/v1/claims/{body['id']}/decide/", {"accepted_amount": 30_000, "reason": "Me."})
    assert refused.status_code == 403
    with at(GRACE_OVER):
        decided = api_as(StaffFactory()).post(
            f"/api/v1/claims/{body['id']}/decide/", {"accepted_amount": 30_000, "reason": "Never shipped."}
        )
    assert decided.json()["status"] == "accepted" and decided.json()["reason"] == "Never shipped."
    assert ledger_audit() == []


def test_the_api_refuses_bad_claims_with_their_codes(world):
    pledge_ = world["a"]
    backer = api_as(pledge_.backer)
    with at(GRACE_OVER):
        too_much = backer.post(
            f"/api/v1/pledges/{pledge_.pk}/claim/", {"ground": "late", "amount": 600_001, "description": "x"}
        )
        someone_elses = api_as(world["b"].backer).post(
            f"/api/v1/pledges/{pledge_.pk}/claim/", {"ground": "late", "amount": 1_000, "description": "x"}
        )
    assert too_much.status_code == 400 and too_much.json()["code"] == "claim_amount"
    assert someone_elses.status_code == 404
    answered(file(pledge_, 1_000))
    with at(GRACE_OVER):
        second = backer.post(
            f"/api/v1/pledges/{pledge_.pk}/claim/", {"ground": "late", "amount": 1_000, "description": "x"}
        )
    assert second.status_code == 400 and second.json()["code"] == "claim_exists"
    assert Claim.objects.count() == 1


def test_staff_see_claims_and_guarantee_calls_in_the_admin(world, client):
    claim = file(world["a"], 50_000)
    client.force_login(StaffFactory())
    listing = client.get("/admin/presale/claim/")
    assert listing.status_code == 200 and f'value="{claim.pk}"' in listing.content.decode()
    assert client.get(f"/admin/presale/claim/{claim.pk}/change/").status_code == 200
    assert client.get("/admin/presale/guaranteecall/").status_code == 200
    assert client.get("/admin/presale/guarantee/").status_code == 200


def test_the_demo_files_an_answered_claim_on_a_late_guaranteed_reward_once(world):
    from web.demo_claims import demo_claims_load

    claim = demo_claims_load(now=GRACE_OVER)
    assert claim is not None and claim.status == ClaimStatus.ANSWERED and claim.evidence.count() == 1
    assert claim.pledge_id == world["a"].pk  # the first late reward
    assert demo_claims_load(now=GRACE_OVER) is None and Claim.objects.count() == 1
    assert ledger_audit() == []


def test_the_final_report_shows_claims_accepted_and_paid(world, client, admin_user, run_on_commit):
    from funding.services import report_approve
    from payouts.models import Payout, PayoutKind, PayoutStatus
    from payouts.services import payout_confirm, release_due_payouts
    from presale.claims import claim_decide
    from projects.reports import report_submit

    campaign = world["campaign"]
    release_due_payouts(now=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC))
    payout_confirm(payout_id=Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST).pk, reference="BANK-1")
    decided = answered(file(world["a"], 70_000))
    file(world["b"], 5_000)  # still waiting for staff
    with run_on_commit():
        claim_decide(
            claim=decided, staff=StaffFactory(), accepted_amount=70_000, reason="Never shipped.", now=GRACE_OVER
        )
    report = report_submit(
        campaign=campaign,
        user=campaign.owner,
        text="Most lamps shipped.",
        spending=[{"item": "Parts", "amount": 855_000}],
    )
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    assert Payout.objects.get(campaign=campaign, kind=PayoutKind.HELD).status == PayoutStatus.SCHEDULED  # frozen
    client.force_login(UserFactory())
    html = client.get(f"/presale/campaigns/{campaign.pk}/").content.decode()  # the pre-sale platform speaks Persian
    section = html[html.index('class="report-claims"') :]
    assert "claims-accepted" in section and "۷۰٬۰۰۰" in section  # one accepted, 70,000 paid (Persian digits)
    assert section.count("۷۰٬۰۰۰") == 2  # accepted and paid
    assert ledger_audit() == []
