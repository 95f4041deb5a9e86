"""The e-mails to a campaign's owner about the platform's review: the campaign approved or sent back,
the final report rejected (its approval mail, which backers get too, is pledges.mails). Registered
as outbox kinds (core.outbox.MAIL_KINDS) when the app is ready; each is sent once, to the owner only,
in the platform's language."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from core.outbox import MAIL_KINDS, mail_send, site_url

from .models import Campaign, FinalReport


def _owner_page(campaign: Campaign) -> str:
    return site_url(reverse("owner-campaign", args=[campaign.pk]))


@MAIL_KINDS.register("campaign_approved")
def campaign_approved(*, campaign_id: int) -> int:
    campaign = Campaign.objects.select_related("platform", "owner").get(pk=campaign_id)
    context = {
        "campaign": campaign,
        "platform": campaign.platform,
        "url": site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
        "started": campaign.starts_at <= timezone.now(),
    }
    return mail_send("campaign_approved", [campaign.owner.email], context, platform=campaign.platform)


@MAIL_KINDS.register("campaign_sent_back")
def campaign_sent_back(*, campaign_id: int) -> int:
    """The reason and the private note for the owner (never shown publicly) as they are now."""
    campaign = Campaign.objects.select_related("platform", "owner").get(pk=campaign_id)
    context = {"campaign": campaign, "platform": campaign.platform, "url": _owner_page(campaign)}
    return mail_send("campaign_sent_back", [campaign.owner.email], context, platform=campaign.platform)


@MAIL_KINDS.register("report_rejected")
def report_rejected(*, report_id: int) -> int:
    report = FinalReport.objects.select_related("campaign__platform", "campaign__owner").get(pk=report_id)
    campaign = report.campaign
    context = {"report": report, "campaign": campaign, "platform": campaign.platform, "url": _owner_page(campaign)}
    return mail_send("report_rejected", [campaign.owner.email], context, platform=campaign.platform)
