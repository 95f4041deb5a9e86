"""The campaign's own admin page: Approve and Send back buttons while it waits for review (the list's
actions for this one campaign: the same services, the same permission), amounts written as their
currency is, and a final report shown as filed (its spending as a table), never editable by staff, with
Approve and Reject buttons while it waits for review."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from payouts.models import Payout, PayoutKind, PayoutStatus
from projects.models import CampaignStatus, FinalReport, ReportStatus
from projects.reports import report_submit
from tests.factories import CampaignFactory, StaffFactory
from tests.impact.conftest import SPENDING, first_payout_paid, funded

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def page(client, campaign) -> str:
    return client.get(reverse("admin:projects_campaign_change", args=[campaign.pk])).content.decode()


def with_reason(client, model: str, action: str, pk: int, reason: str) -> str:
    """A review action that asks for a reason, from the list: the form it asks with, then the reason sent."""
    changelist = reverse(f"admin:{model}_changelist")
    asked = client.post(changelist, {"action": action, "_selected_action": [pk]}).content.decode()
    client.post(changelist, {"action": action, "_selected_action": [pk], "apply": "1", "text": reason})
    return asked


def test_a_submitted_campaign_is_approved_from_its_own_page(reviewer_client):
    campaign = CampaignFactory(slug="civic", status=CampaignStatus.SUBMITTED, goal=200_000)
    html = page(reviewer_client, campaign)
    assert "Approve (go live)" in html and "Send back…" in html
    response = reviewer_client.post(
        reverse("admin:projects_campaign_changelist"), {"action": "approve", "_selected_action": [campaign.pk]}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.LIVE
    assert "Approve (go live)" not in page(reviewer_client, campaign)  # nothing left to review


def test_send_back_from_its_own_page_asks_for_the_reason(reviewer_client):
    campaign = CampaignFactory(slug="civic", status=CampaignStatus.SUBMITTED)
    asked = with_reason(reviewer_client, "projects_campaign", "send_back", campaign.pk, "Add a photo")
    assert "Reason (public" in asked
    campaign.refresh_from_db()
    assert (campaign.status, campaign.review_note) == (CampaignStatus.DRAFT, "Add a photo")


def test_staff_without_the_review_permission_see_no_review_buttons(client):
    staff = StaffFactory(is_superuser=False, groups=[])
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_campaign", "change_campaign"]))
    client.force_login(staff)
    campaign = CampaignFactory(slug="civic", status=CampaignStatus.SUBMITTED)
    html = page(client, campaign)
    assert campaign.title in html and "Approve (go live)" not in html


def test_amounts_on_the_change_page_are_written_as_their_currency(reviewer_client):
    campaign = CampaignFactory(slug="civic", status=CampaignStatus.LIVE, goal=200_000)
    html = page(reviewer_client, campaign)
    assert "£2,000.00" in html and ">200000<" not in html


def test_a_final_report_s_spending_is_a_table_and_its_text_is_read_only(reviewer_client):
    campaign = CampaignFactory(slug="civic", status=CampaignStatus.REPORT_SUBMITTED)
    report = FinalReport.objects.create(
        campaign=campaign,
        text="We planted <b>12</b> trees.",
        spending=[{"item": "Trees", "amount": 120_000}, {"item": "Benches", "amount": 30_050}],
    )
    html = reviewer_client.get(reverse("admin:projects_finalreport_change", args=[report.pk])).content.decode()
    assert "<td>Trees</td>" in html and "£1,200.00" in html and "£300.50" in html and "£1,500.50" in html
    assert 'name="text"' not in html and 'name="spending"' not in html
    assert "We planted &lt;b&gt;12&lt;/b&gt; trees." in html


@pytest.fixture
def report_waiting(civic, owner, pledge, admin_user):
    """A paid campaign's final report, filed and waiting for review."""
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    return report_submit(campaign=campaign, user=owner, text="Trees planted.", spending=SPENDING)


def report_page(client, report) -> str:
    return client.get(reverse("admin:projects_finalreport_change", args=[report.pk])).content.decode()


def test_a_final_report_is_approved_from_its_own_page_and_the_held_part_released(reviewer_client, report_waiting):
    assert "Approve (releases the held part)" in report_page(reviewer_client, report_waiting)
    response = reviewer_client.post(
        reverse("admin:projects_finalreport_changelist"), {"action": "approve", "_selected_action": [report_waiting.pk]}
    )
    assert response.status_code == 302
    report_waiting.refresh_from_db()
    assert report_waiting.status == ReportStatus.APPROVED
    assert report_waiting.campaign.status == CampaignStatus.COMPLETED
    held = Payout.objects.get(campaign=report_waiting.campaign, kind=PayoutKind.HELD)
    assert held.amount > 0 and held.status == PayoutStatus.SCHEDULED
    assert "Approve (releases the held part)" not in report_page(reviewer_client, report_waiting)


def test_a_final_report_is_rejected_from_its_own_page_with_a_reason(reviewer_client, report_waiting):
    assert "Reject…" in report_page(reviewer_client, report_waiting)
    asked = with_reason(reviewer_client, "projects_finalreport", "reject", report_waiting.pk, "Receipts missing")
    assert "Reason (public" in asked
    report_waiting.refresh_from_db()
    assert (report_waiting.status, report_waiting.reason) == (ReportStatus.REJECTED, "Receipts missing")


def test_staff_without_the_report_review_permission_see_no_report_buttons(client, report_waiting):
    staff = StaffFactory(is_superuser=False, groups=[])
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_finalreport", "change_finalreport"]))
    client.force_login(staff)
    html = report_page(client, report_waiting)
    assert "Trees planted." in html and "Approve (releases" not in html and "Reject…" not in html
