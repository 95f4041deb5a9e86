"""The community's e-mails, registered as outbox kinds (core.outbox.MAIL_KINDS) when the app is ready:
a campaign's news to its followers (each with its own one-click unsubscribe link and the List-Unsubscribe
headers), a new question to the owner, an answer to the asker, an abuse report to the staff who moderate."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from core.outbox import MAIL_KINDS, mail_send, mail_send_unsubscribable, site_url
from pledges import hooks as pledge_hooks
from pledges.mails import CLOSED_NEWS
from projects.models import Campaign, CampaignUpdate, UpdateKind

from .models import Milestone, Question, QuestionReport
from .selectors import audience, moderator_addresses
from .services import unsubscribe_token


def _campaign_url(campaign: Campaign) -> str:
    return site_url(reverse("campaign", args=[campaign.platform.slug, campaign.pk]))


def _with_links(campaign: Campaign, people: dict[str, int]) -> dict[str, str]:
    return {
        email: site_url(reverse("unsubscribe", args=[unsubscribe_token(user_id=user_id, campaign_id=campaign.pk)]))
        for email, user_id in people.items()
    }


@MAIL_KINDS.register("follow_news")
def follow_news(*, campaign_id: int, milestone: str) -> int:
    """A milestone to the followers. At the close, the backers (whose money it concerns) and the owner
    get the close's own e-mail (pledges.mails.campaign_closed), so they are left out here."""
    campaign = Campaign.objects.select_related("platform").get(pk=campaign_id)
    closing = milestone in (Milestone.SUCCEEDED, Milestone.FAILED)
    people = audience(campaign, without_statuses=CLOSED_NEWS if closing else ())
    context = {
        "campaign": campaign,
        "platform": campaign.platform,
        "milestone": milestone,
        "threshold": campaign.platform.success_threshold_percent,
        "url": _campaign_url(campaign),
    }
    return mail_send_unsubscribable("follow_news", _with_links(campaign, people), context, platform=campaign.platform)


@pledge_hooks.update_mail.register
def update_to_followers(*, update: CampaignUpdate) -> int | None:
    """A news update: one e-mail to every follower and backer who did not opt out (instead of the
    backers' default update e-mail, so no one gets it twice). A delivery update stays with its default
    e-mail (to the backers whose reward ships: it is about their reward, not news to follow)."""
    if update.kind != UpdateKind.NEWS:
        return None
    campaign = update.campaign
    people = audience(campaign)
    context: dict[str, Any] = {
        "update": update,
        "campaign": campaign,
        "platform": campaign.platform,
        "url": _campaign_url(campaign),
    }
    return mail_send_unsubscribable("follow_update", _with_links(campaign, people), context, platform=campaign.platform)


@MAIL_KINDS.register("question_asked")
def question_asked(*, question_id: int) -> int:
    question = Question.objects.select_related("campaign__platform", "campaign__owner", "author").get(pk=question_id)
    campaign = question.campaign
    context = {
        "question": question,
        "campaign": campaign,
        "platform": campaign.platform,
        "url": _campaign_url(campaign) + f"#question-{question.pk}",
    }
    return mail_send("question_asked", [campaign.owner.email], context, platform=campaign.platform)


@MAIL_KINDS.register("question_answered")
def question_answered(*, question_id: int) -> int:
    question = Question.objects.select_related("campaign__platform", "author").get(pk=question_id)
    campaign = question.campaign
    context = {
        "question": question,
        "campaign": campaign,
        "platform": campaign.platform,
        "url": _campaign_url(campaign) + f"#question-{question.pk}",
    }
    return mail_send("question_answered", [question.author.email], context, platform=campaign.platform)


@MAIL_KINDS.register("question_reported")
def question_reported(*, report_id: int) -> int:
    """A question's first open abuse report, to the staff who may hide it."""
    report = QuestionReport.objects.select_related("question__campaign__platform").get(pk=report_id)
    campaign = report.question.campaign
    context = {
        "report": report,
        "question": report.question,
        "campaign": campaign,
        "platform": campaign.platform,
        "url": _campaign_url(campaign) + f"#question-{report.question_id}",
        "admin_url": site_url(reverse("admin:community_question_change", args=[report.question_id])),
    }
    return mail_send("question_reported", moderator_addresses(), context, platform=campaign.platform)
