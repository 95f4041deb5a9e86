"""The e-mails of accountability: the final report's reminders and the follow-up requests, registered as
outbox kinds (core.outbox.MAIL_KINDS) when the app is ready."""

from __future__ import annotations

from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, site_url
from projects.models import Campaign

from .models import FollowUp


@MAIL_KINDS.register("report_reminder")
def report_reminder(*, campaign_id: int, stage: str) -> int:
    campaign = Campaign.objects.select_related("platform", "owner").get(pk=campaign_id)
    context = {
        "campaign": campaign,
        "platform": campaign.platform,
        "kind": stage,
        "url": site_url(reverse("owner-campaign", args=[campaign.pk])),
    }
    return mail_send("report_reminder", [campaign.owner.email], context, platform=campaign.platform)


@MAIL_KINDS.register("follow_up_request")
def follow_up_request(*, follow_up_id: int, reminder: bool = False) -> int:
    follow_up = FollowUp.objects.select_related("campaign__platform", "campaign__owner").get(pk=follow_up_id)
    campaign = follow_up.campaign
    context = {
        "campaign": campaign,
        "platform": campaign.platform,
        "follow_up": follow_up,
        "reminder": reminder,
        "url": site_url(reverse("owner-campaign", args=[campaign.pk])),
    }
    return mail_send("follow_up_request", [campaign.owner.email], context, platform=campaign.platform)
