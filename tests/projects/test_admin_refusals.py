"""What the admin says when an action is refused, in the admin's language: approving a live campaign
again says it is already live, not "A campaign that is approved / live cannot become approved / live"."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from projects.models import CampaignStatus

from ..factories import CampaignFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _approve(admin_client, campaign) -> list[str]:
    response = admin_client.post(
        reverse("admin:projects_campaign_changelist"), {"action": "approve", "_selected_action": [campaign.pk]}
    )
    assert response.status_code == 302
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_approving_a_live_campaign_again_says_it_is_already_live(admin_client):
    campaign = CampaignFactory(slug="civic", title="Pocket park")
    assert _approve(admin_client, campaign) == ["Pocket park: This campaign is already live."]


def test_approving_a_live_campaign_again_in_persian_says_it_is_already_live(admin_client):
    campaign = CampaignFactory(slug="arts", title="فیلم کوتاه")
    admin_client.cookies["django_language"] = "fa"
    assert _approve(admin_client, campaign) == ["فیلم کوتاه: این پروژه پیش‌تر تأیید شده و در حال جذب حمایت است."]


def test_approving_a_draft_in_persian_says_what_it_is_and_what_it_cannot_do(admin_client):
    campaign = CampaignFactory(slug="arts", title="فیلم کوتاه", status=CampaignStatus.DRAFT)
    admin_client.cookies["django_language"] = "fa"
    assert _approve(admin_client, campaign) == ["فیلم کوتاه: این پروژه پیش‌نویس است و نمی‌تواند تأیید شود."]
