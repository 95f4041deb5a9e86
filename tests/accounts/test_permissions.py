"""Who may do what (docs/security.md): reviewers approve or send back campaigns and final reports, finance
records payouts; being staff opens the admin but acts on nothing; the API and the admin ask the same
permission. An account whose e-mail was never verified gets no API token, as it gets no website login."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token

from core.errors import PermissionDenied
from payouts.models import Payout, PayoutKind, PayoutStatus
from payouts.services import payout_confirm
from pledges.models import Pledge
from projects.models import CampaignStatus, FinalReport
from tests.api.conftest import client_for
from tests.factories import GOOD_CARD, CampaignFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns/"


@pytest.fixture
def submitted(presale, owner):
    return CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUBMITTED)


def test_staff_alone_cannot_approve_or_send_back_a_campaign_through_the_api(submitted):
    bare_staff = client_for(StaffFactory(groups=[]))
    response = bare_staff.post(f"{URL}{submitted.pk}/approve/")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert bare_staff.post(f"{URL}{submitted.pk}/send-back/", {"reason": "x"}, format="json").status_code == 403
    finance = client_for(StaffFactory(groups=["Finance"]))
    assert finance.post(f"{URL}{submitted.pk}/approve/").status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == CampaignStatus.SUBMITTED


def test_a_reviewer_approves_a_campaign(submitted):
    reviewer = client_for(StaffFactory(groups=["Reviewers"]))
    assert reviewer.post(f"{URL}{submitted.pk}/approve/").json()["status"] == "live"


@pytest.fixture
def report(presale, owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.REPORT_SUBMITTED)
    Payout.objects.create(
        campaign=campaign, kind=PayoutKind.HELD, amount=10_000, currency=campaign.currency, status=PayoutStatus.WAITING
    )
    return FinalReport.objects.create(campaign=campaign, text="Built", spending=[{"item": "wood", "amount": 1}])


def test_staff_alone_cannot_approve_a_report_and_release_the_held_part(report):
    for client in (client_for(StaffFactory(groups=[])), client_for(StaffFactory(groups=["Finance"]))):
        assert client.post(f"/api/v1/reports/{report.pk}/approve/").status_code == 403
    assert Payout.objects.get(campaign=report.campaign, kind=PayoutKind.HELD).status == PayoutStatus.WAITING
    reviewer = client_for(StaffFactory(groups=["Reviewers"]))
    assert reviewer.post(f"/api/v1/reports/{report.pk}/approve/").json()["status"] == "approved"
    assert Payout.objects.get(campaign=report.campaign, kind=PayoutKind.HELD).status != PayoutStatus.WAITING


def admin_post_action(client, url, action, pk, **extra):
    return client.post(url, {"action": action, "_selected_action": [pk], **extra}, follow=True)


def test_the_admin_offers_the_review_actions_only_to_reviewers(client, submitted):
    bare = StaffFactory(groups=[])
    bare.user_permissions.add(*_perms("view_campaign"))
    client.force_login(bare)
    page = client.get("/admin/projects/campaign/")
    assert page.status_code == 200 and 'value="approve"' not in page.text
    admin_post_action(client, "/admin/projects/campaign/", "approve", submitted.pk)
    submitted.refresh_from_db()
    assert submitted.status == CampaignStatus.SUBMITTED
    client.force_login(StaffFactory(groups=["Reviewers"]))
    assert 'value="approve"' in client.get("/admin/projects/campaign/").text
    admin_post_action(client, "/admin/projects/campaign/", "approve", submitted.pk)
    submitted.refresh_from_db()
    assert submitted.status == CampaignStatus.LIVE


def test_only_finance_records_a_payouts_transfer(client, presale, owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUCCEEDED)
    payout = Payout.objects.create(
        campaign=campaign, kind=PayoutKind.FIRST, amount=0, currency=campaign.currency, status=PayoutStatus.PROCESSING
    )
    client.force_login(StaffFactory(groups=["Reviewers"]))
    assert 'value="record_transfer"' not in client.get("/admin/payouts/payout/").text
    client.force_login(StaffFactory(groups=["Finance"]))
    assert 'value="record_transfer"' in client.get("/admin/payouts/payout/").text
    with pytest.raises(PermissionDenied):
        payout_confirm(payout_id=payout.pk, reference="T-1", actor=StaffFactory(groups=["Reviewers"]))
    with pytest.raises(PermissionDenied):
        payout_confirm(payout_id=payout.pk, reference="T-1", actor=StaffFactory(groups=[]))
    payout_confirm(payout_id=payout.pk, reference="T-1", actor=StaffFactory(groups=["Finance"]))
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.PAID and payout.reference == "T-1"


def _perms(*codenames):
    return Permission.objects.filter(codename__in=codenames)


def test_an_unverified_account_gets_no_api_token(anon):
    UserFactory(username="fresh", email_verified=False)
    response = anon.post("/api/v1/auth/token/", {"username": "fresh", "password": "secret"}, format="json")
    assert response.status_code == 400 and "Verify your e-mail" in response.json()["message"]
    assert not Token.objects.filter(user__username="fresh").exists()


def test_an_unverified_accounts_old_token_cannot_pledge(live):
    fresh = UserFactory(username="fresh", email_verified=False)
    client = client_for(fresh)  # a token handed out before the rule
    response = client.post(f"{URL}{live.pk}/pledges/", {"amount": 20_000, "card": GOOD_CARD}, format="json")
    assert response.status_code == 401 and "Verify your e-mail" in response.json()["message"]
    assert not Pledge.objects.filter(backer=fresh).exists()
