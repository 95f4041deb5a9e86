"""Final reports that prove something: due a platform-set number of days after the first payout,
reminders before it is due (each once), overdue reports in public, spending against what was raised,
and attachments checked by content and shown only once approved."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.errors import ApplicationError
from funding.services import report_approve
from impact.models import ReportReminder
from impact.reports import report_reminders_send
from impact.reports import report_reminders_send as send
from projects.models import CampaignStatus, ReportAttachment
from projects.reports import report_submit

from .conftest import SPENDING, completed, first_payout_paid, funded

S = CampaignStatus
pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue(), content_type="image/png")


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("invoice.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def test_the_report_is_due_the_platform_s_number_of_days_after_the_first_payout(civic, owner, pledge, admin_user):
    civic.report_due_days = 30
    civic.save()
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    today = timezone.now().astimezone(civic.tz).date()
    assert campaign.report_due_on == today + dt.timedelta(days=30)


def test_owners_are_reminded_14_and_3_days_before_and_once_overdue_each_only_once(
    civic, owner, pledge, admin_user, mailoutbox, run_on_commit
):
    civic.report_due_days = 30
    civic.save()
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    due = dt.datetime.combine(campaign.report_due_on, dt.time(12), tzinfo=civic.tz)
    mail.outbox.clear()

    def report_reminders_send(now):
        with run_on_commit():
            return send(now=now)

    assert report_reminders_send(now=due - dt.timedelta(days=20)) == 0
    assert report_reminders_send(now=due - dt.timedelta(days=14)) == 1
    assert report_reminders_send(now=due - dt.timedelta(days=13)) == 0  # sent once
    assert report_reminders_send(now=due - dt.timedelta(days=3)) == 1
    assert report_reminders_send(now=due + dt.timedelta(days=1)) == 1
    assert report_reminders_send(now=due + dt.timedelta(days=9)) == 0
    assert sorted(ReportReminder.objects.values_list("kind", flat=True)) == ["due_in_14", "due_in_3", "overdue"]
    subjects = [m.subject for m in mail.outbox if m.to == [owner.email]]
    assert subjects[-1] == f"The final report of {campaign.title} is overdue"
    assert sum("due soon" in s for s in subjects) == 2


def test_a_filed_report_gets_no_reminder(civic, owner, pledge, admin_user):
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    report_submit(campaign=campaign, user=owner, text="Done.", spending=SPENDING)
    later = timezone.now() + dt.timedelta(days=400)
    assert report_reminders_send(now=later) == 0


def test_an_overdue_report_is_listed_on_the_log_page_and_the_owner_s_profile(client, civic, owner, pledge, admin_user):
    civic.report_due_days = 1
    civic.save()
    late = first_payout_paid(funded("civic", owner, pledge, title="Late park"), admin_user)
    type(late).objects.filter(pk=late.pk).update(report_due_on=dt.date(2020, 1, 1))
    log = client.get(reverse("decision-log", args=["civic"])).content.decode()
    assert "Late park" in log.split("Overdue final reports")[1].split("</section>")[0]
    profile = client.get(reverse("owner-profile", args=[owner.username])).content.decode()
    assert "Late park" in profile and "Overdue" in profile


def test_the_page_shows_spent_of_raised_and_flags_spending_above_the_payout(
    client, civic, owner, pledge, admin_user, run_on_commit
):
    campaign = funded("civic", owner, pledge)  # raised 1,000,000 pence
    spending = [{"item": "Everything", "amount": campaign.collected + 1}]  # 1p above what the owner was paid
    first_payout_paid(campaign, admin_user)
    report = report_submit(campaign=campaign, user=owner, text="Done.", spending=spending)
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "Spent £10,000.01 of £10,000.00 raised" in page
    assert "Spending above the payout" in page


def test_attachments_are_checked_by_content_and_nothing_is_written_when_one_is_refused(
    civic, owner, pledge, admin_user
):
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ApplicationError, match="PDF files only"):
        report_submit(
            campaign=campaign, user=owner, text="Done.", spending=SPENDING, attachments=[(_png(), ""), (fake, "")]
        )
    campaign.refresh_from_db()
    assert campaign.status == S.PAID and not ReportAttachment.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(civic, owner, pledge, admin_user, settings):
    settings.CIVICFUND_ATTACHMENT_MAX_BYTES = 100
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    with pytest.raises(ApplicationError, match="too large"):
        report_submit(
            campaign=campaign,
            user=owner,
            text="Done.",
            spending=SPENDING,
            attachments=[(_png(), "")] * 1 + [(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200), "")],
        )


def test_attachments_are_served_as_downloads_of_their_type_and_public_only_once_approved(
    client, civic, owner, pledge, admin_user, run_on_commit
):
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    report = report_submit(
        campaign=campaign, user=owner, text="Done.", spending=SPENDING, attachments=[(_png(), "Receipt"), (_pdf(), "")]
    )
    png, pdf = report.attachments.order_by("id")
    url = reverse("report-attachment", args=[png.pk])
    assert client.get(url).status_code == 404  # under review: not public
    client.force_login(owner)
    assert client.get(url).status_code == 200
    client.logout()
    with run_on_commit():
        report_approve(report=report, admin=admin_user)
    response = client.get(reverse("report-attachment", args=[pdf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert f'src="{url}"' in page and 'alt="Receipt"' in page


def test_a_completed_campaign_s_owner_profile_shows_the_report_approved(
    client, civic, owner, pledge, admin_user, run_on_commit
):
    campaign = completed(funded("civic", owner, pledge, title="Done park"), owner, admin_user, run_on_commit)
    assert campaign.status == S.COMPLETED
    profile = client.get(reverse("owner-profile", args=[owner.username])).content.decode()
    assert "Done park" in profile and "filed on time" in profile
