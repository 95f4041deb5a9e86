"""The e-mails to backers and owners, registered as outbox kinds (core.outbox.MAIL_KINDS) when the
app is ready. Each takes the ids its outbox row stores and returns how many messages it sent."""

from __future__ import annotations

from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, site_url
from payments.models import AttemptKind
from projects.models import FAILED_STATUSES, Campaign, CampaignUpdate, FinalReport, UpdateKind

from . import hooks
from .models import COUNTING, Pledge, PledgeStatus

# Who hears that a campaign closed: every backer whose pledge counted or was given back.
CLOSED_NEWS = (*COUNTING, PledgeStatus.REFUNDING, PledgeStatus.REFUNDED, PledgeStatus.RELEASED)


def _backer_emails(campaign_id: int, statuses: tuple[str, ...] = COUNTING) -> list[str]:
    qs = Pledge.objects.filter(campaign_id=campaign_id, status__in=statuses)
    return list(qs.values_list("backer__email", flat=True).distinct())


def _campaign_url(campaign: Campaign) -> str:
    return site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk]))


@MAIL_KINDS.register("pledge_receipt")
def pledge_receipt(*, pledge_id: int) -> int:
    pledge = Pledge.objects.select_related("campaign__platform", "tier", "backer").get(pk=pledge_id)
    platform = pledge.campaign.platform
    context = {
        "pledge": pledge,
        "campaign": pledge.campaign,
        "platform": platform,
        "url": site_url(reverse("pledge-receipt", args=[pledge.pk])),
    }
    return mail_send("pledge_receipt", [pledge.backer.email], context, platform=platform)


@MAIL_KINDS.register("campaign_closed")
def campaign_closed(*, campaign_id: int) -> int:
    """Funded or failed: to the owner and every backer whose pledge counted or was refunded."""
    campaign = Campaign.objects.select_related("platform", "owner").get(pk=campaign_id)
    funded = campaign.status not in FAILED_STATUSES
    recipients = [campaign.owner.email] + _backer_emails(campaign_id, CLOSED_NEWS)
    context = {"campaign": campaign, "platform": campaign.platform, "url": _campaign_url(campaign)}
    template = "campaign_funded" if funded else "campaign_failed"
    return mail_send(template, recipients, context, platform=campaign.platform)


@MAIL_KINDS.register("refunds_issued")
def refunds_issued(*, pledge_ids: list[int]) -> int:
    sent = 0
    for pledge in Pledge.objects.filter(pk__in=pledge_ids).select_related("campaign__platform", "backer"):
        platform = pledge.campaign.platform
        context = {
            "pledge": pledge,
            "campaign": pledge.campaign,
            "platform": platform,
            "url": site_url(reverse("dashboard")),
        }
        sent += mail_send("refund_issued", [pledge.backer.email], context, platform=platform)
    return sent


@MAIL_KINDS.register("update_posted")
def update_posted(*, update_id: int) -> int:
    """News: to every backer whose pledge counts; delivery news: to those whose reward ships."""
    update = CampaignUpdate.objects.select_related("campaign__platform", "campaign__owner").get(pk=update_id)
    taken = [sent for sent in hooks.update_mail.run(update=update) if sent is not None]
    if taken:  # an app above mails the backers (and others) itself
        return int(sum(taken))
    campaign = update.campaign
    context = {"update": update, "campaign": campaign, "platform": campaign.platform, "url": _campaign_url(campaign)}
    if update.kind == UpdateKind.DELIVERY:
        shipped = Pledge.objects.filter(campaign_id=campaign.pk, status__in=COUNTING, tier__ships=True)
        recipients = list(shipped.values_list("backer__email", flat=True).distinct())
    else:
        recipients = _backer_emails(campaign.pk)
    return mail_send("update_posted", recipients, context, platform=campaign.platform)


@MAIL_KINDS.register("report_approved")
def report_approved(*, report_id: int) -> int:
    report = FinalReport.objects.select_related("campaign__platform", "campaign__owner").get(pk=report_id)
    campaign = report.campaign
    recipients = [campaign.owner.email] + _backer_emails(campaign.pk)
    context = {"report": report, "campaign": campaign, "platform": campaign.platform, "url": _campaign_url(campaign)}
    return mail_send("report_approved", recipients, context, platform=campaign.platform)


@MAIL_KINDS.register("pledge_retry")
def pledge_retry(*, pledge_id: int) -> int:
    """Charge on success: the card failed at collection; pay on-session or with another card."""
    pledge = Pledge.objects.select_related("campaign__platform", "backer").get(pk=pledge_id)
    platform = pledge.campaign.platform
    attempt = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
    context = {
        "pledge": pledge,
        "campaign": pledge.campaign,
        "platform": platform,
        "reason": attempt.message if attempt else "",
        "url": site_url(reverse("payments:pledge_retry", args=[pledge.pk])),
    }
    return mail_send("pledge_retry", [pledge.backer.email], context, platform=platform)
