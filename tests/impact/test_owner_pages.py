"""The owner's pages: indicators and the upkeep plan on a draft, the final report with receipts and
each indicator's achieved value, and a requested follow-up, all through the site's forms."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from impact.models import FollowUp, Indicator, StandardIndicator, UpkeepPlan
from projects.models import CampaignStatus

from ..factories import CampaignFactory
from .conftest import completed, first_payout_paid, funded

S = CampaignStatus
pytestmark = pytest.mark.django_db


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue(), content_type="image/png")


def test_an_owner_adds_indicators_and_an_upkeep_plan_to_a_draft(client, civic, owner):
    trees = StandardIndicator.objects.create(platform=civic, name="trees planted", unit="trees")
    draft = CampaignFactory(slug="civic", owner=owner, status=S.DRAFT)
    client.force_login(owner)
    client.post(reverse("owner-indicator-add", args=[draft.pk]), {"standard": trees.pk, "target": "200"})
    client.post(reverse("owner-indicator-add", args=[draft.pk]), {"name": "benches", "unit": "benches", "target": "4"})
    response = client.post(reverse("owner-indicator-add", args=[draft.pk]), {"target": "4"}, follow=True)
    assert "give yours a name and a unit" in response.content.decode()
    assert list(Indicator.objects.filter(campaign=draft).values_list("name", "target")) == [
        ("trees planted", 200),
        ("benches", 4),
    ]
    client.post(
        reverse("owner-upkeep", args=[draft.pk]),
        {"creates_asset": "on", "maintainer": "Parks team", "months": "60", "funding": "Council budget"},
    )
    assert UpkeepPlan.objects.get(campaign=draft).complete
    page = client.get(reverse("owner-campaign", args=[draft.pk])).content.decode()
    assert "trees planted: 200 trees" in page


def test_an_owner_files_the_report_with_receipts_and_achieved_values(client, civic, owner, pledge, admin_user):
    campaign = funded("civic", owner, pledge)
    indicator = Indicator.objects.create(campaign=campaign, name="benches", unit="benches", target=4)
    first_payout_paid(campaign, admin_user)
    client.force_login(owner)
    page = client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()
    assert 'enctype="multipart/form-data"' in page and "Achieved: benches (benches), target 4" in page
    response = client.post(
        reverse("owner-report-submit", args=[campaign.pk]),
        {
            "text": "Done.",
            "spending": "Benches: 5000",
            f"achieved_{indicator.pk}": "3",
            f"evidence_{indicator.pk}": "Photos",
            "attachments": [_png()],
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    report = campaign.final_reports.get()
    assert campaign.status == S.REPORT_SUBMITTED
    assert [a.content_type for a in report.attachments.all()] == ["image/png"]
    indicator.refresh_from_db()
    assert (indicator.achieved, indicator.evidence) == (3, "Photos")


def test_a_report_with_a_fake_picture_is_refused_on_the_form(client, civic, owner, pledge, admin_user):
    campaign = first_payout_paid(funded("civic", owner, pledge), admin_user)
    client.force_login(owner)
    fake = SimpleUploadedFile("x.png", b"MZ\x90\x00not a picture", content_type="image/png")
    response = client.post(
        reverse("owner-report-submit", args=[campaign.pk]),
        {"text": "Done.", "spending": "Benches: 5000", "attachments": [fake]},
    )
    assert "PDF files only" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == S.PAID


def test_an_owner_posts_a_requested_follow_up(client, civic, owner, pledge, admin_user, run_on_commit):
    campaign = funded("civic", owner, pledge)
    UpkeepPlan.objects.create(campaign=campaign, creates_asset=True, maintainer="Parks", months=12, funding="Budget")
    completed(campaign, owner, admin_user, run_on_commit)
    six = FollowUp.objects.get(campaign=campaign, months=6)
    FollowUp.objects.filter(pk=six.pk).update(requested_at=timezone.now())
    client.force_login(owner)
    assert "Follow-up after 6 months" in client.get(reverse("owner-campaign", args=[campaign.pk])).content.decode()
    client.post(
        reverse("owner-follow-up", args=[campaign.pk, six.pk]),
        {f"f{six.pk}-status": "in_use", f"f{six.pk}-text": "Busy every weekend."},
    )
    six.refresh_from_db()
    assert (six.status, six.text) == ("in_use", "Busy every weekend.")
    public = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "Busy every weekend." in public and "In use" in public
    assets = client.get(reverse("assets", args=["civic"]), {"status": "in_use"}).content.decode()
    assert campaign.title in assets
