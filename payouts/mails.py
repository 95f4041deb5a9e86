"""The owner's e-mail when a payout is recorded as paid (by finance with the transfer's reference, or
by the payout provider), registered as an outbox kind (core.outbox.MAIL_KINDS) when the app is ready."""

from __future__ import annotations

from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, site_url

from .models import Payout


@MAIL_KINDS.register("payout_recorded")
def payout_recorded(*, payout_id: int) -> int:
    payout = Payout.objects.select_related("campaign__platform", "campaign__owner").get(pk=payout_id)
    campaign = payout.campaign
    context = {
        "payout": payout,
        "campaign": campaign,
        "platform": campaign.platform,
        "url": site_url(reverse("owner-campaign", args=[campaign.pk])),
    }
    return mail_send("payout_recorded", [campaign.owner.email], context, platform=campaign.platform)
