"""The e-mails of pre-sale trust, registered as outbox kinds (core.outbox.MAIL_KINDS) when the app is
ready. Each takes the ids its outbox row stores and returns how many messages it sent."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, site_url
from pledges.models import COUNTING, Pledge

from .models import Claim, Guarantee, GuaranteeCall


def staff_emails() -> list[str]:
    users = get_user_model().objects.filter(is_staff=True, is_active=True).exclude(email="")
    return list(users.values_list("email", flat=True))


def backer_emails(campaign_id: int) -> list[str]:
    qs = Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING)
    return list(qs.values_list("backer__email", flat=True).distinct())


@MAIL_KINDS.register("guarantee_news")
def guarantee_news(*, guarantee_id: int, news: str) -> int:
    """submitted: to staff; verified: to the owner; withdrawn or expired: to the owner, the backers and
    staff."""
    guarantee = Guarantee.objects.select_related("campaign__platform", "campaign__owner").get(pk=guarantee_id)
    campaign = guarantee.campaign
    if news == "submitted":
        recipients = staff_emails()
    elif news == "verified":
        recipients = [campaign.owner.email]
    else:
        recipients = [campaign.owner.email, *backer_emails(campaign.pk), *staff_emails()]
    context = {
        "guarantee": guarantee,
        "campaign": campaign,
        "platform": campaign.platform,
        "news": news,
        "url": site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
    }
    return mail_send("guarantee_news", recipients, context, platform=campaign.platform)


@MAIL_KINDS.register("claim_news")
def claim_news(*, claim_id: int, news: str) -> int:
    """filed: to the owner (to answer), staff and the backer (a receipt); answered: to the backer and
    staff; decided: to the backer, the owner and staff; paid: to the backer; payment_failed (the card
    declined the claim's payment; staff will pay it to the wallet): to the backer."""
    claim = Claim.objects.select_related("campaign__platform", "campaign__owner", "backer").get(pk=claim_id)
    campaign = claim.campaign
    owner, backer = campaign.owner.email, claim.backer.email
    recipients = {
        "filed": [owner, *staff_emails(), backer],
        "answered": [backer, *staff_emails()],
        "decided": [backer, owner, *staff_emails()],
        "paid": [backer],
        "payment_failed": [backer],
    }[news]
    context = {
        "claim": claim,
        "campaign": campaign,
        "platform": campaign.platform,
        "news": news,
        "url": site_url(reverse("claim", args=[claim.pk])),
    }
    return mail_send("claim_news", recipients, context, platform=campaign.platform)


@MAIL_KINDS.register("claim_guarantee_news")
def claim_guarantee_news(*, call_id: int, news: str) -> int:
    """called: staff called on the guarantee (to the owner and staff); received: the issuer's money is
    in (to staff)."""
    call = GuaranteeCall.objects.select_related("guarantee__campaign__platform", "guarantee__campaign__owner").get(
        pk=call_id
    )
    campaign = call.guarantee.campaign
    recipients = [campaign.owner.email, *staff_emails()] if news == "called" else staff_emails()
    context = {
        "call": call,
        "guarantee": call.guarantee,
        "campaign": campaign,
        "platform": campaign.platform,
        "news": news,
        "url": site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk])),
    }
    return mail_send("claim_guarantee_news", recipients, context, platform=campaign.platform)


@MAIL_KINDS.register("delivery_news")
def delivery_news(*, pledge_id: int, news: str) -> int:
    """shipped: to the backer (with the tracking reference); problem: to the campaign's owner and staff."""
    pledge = Pledge.objects.select_related("campaign__platform", "campaign__owner", "backer", "tier", "delivery").get(
        pk=pledge_id
    )
    campaign = pledge.campaign
    if news == "shipped":
        recipients = [pledge.backer.email]
        url = site_url(reverse("pledge-receipt", args=[pledge.pk]))
    else:
        recipients = [campaign.owner.email, *staff_emails()]
        url = site_url(reverse("owner-deliveries", args=[campaign.pk]))
    context = {
        "pledge": pledge,
        "delivery": pledge.delivery,
        "campaign": campaign,
        "platform": campaign.platform,
        "news": news,
        "url": url,
    }
    return mail_send("delivery_news", recipients, context, platform=campaign.platform)
