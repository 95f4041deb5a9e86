"""Following campaigns and their questions on the site: thin views over community.services. A refusal
is said at the top of the campaign's page (messages) and the typed text is kept for the form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.limits import limit_consume
from community import services
from community.selectors import question_of
from core.errors import ApplicationError
from platforms.middleware import platform_locale_activate
from pledges.selectors import campaigns_public
from projects.models import NOT_PUBLIC_STATUSES
from web.community_forms import DRAFT_KEY, spam_refusal
from web.labels import error_text


def _campaign(slug: str, pk: int):
    campaign = campaigns_public().filter(platform__slug=slug, pk=pk).select_related("platform").first()
    if campaign is None:
        raise Http404
    return campaign


def _back(campaign, anchor: str = "questions") -> HttpResponse:
    return redirect(reverse("campaign", args=[campaign.platform.slug, campaign.pk]) + f"#{anchor}")


@login_required
@require_POST
def follow(request, slug, pk):
    campaign = _campaign(slug, pk)
    wanted = request.POST.get("follow") == "1"
    try:
        services.follow_set(user=request.user, campaign=campaign, follow=wanted)
        if wanted:
            messages.success(request, _("You follow this campaign: it will e-mail you at its milestones."))
        else:
            messages.success(request, _("You no longer follow this campaign."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return _back(campaign, "follow")


@csrf_exempt  # RFC 8058: a mail client's one-click POST carries no cookie or token; the link's signature is the proof
def unsubscribe(request, token):
    """GET: a page with one button (a link scanner opening the link unsubscribes no one). POST: done, from
    that button or from a mail client's List-Unsubscribe-Post."""
    try:
        user_id, campaign_id = services.unsubscribe_read(token)
    except ApplicationError:
        raise Http404 from None
    campaign = campaigns_public().filter(pk=campaign_id).select_related("platform").first()
    if campaign is None:
        raise Http404
    platform_locale_activate(request, campaign.platform)
    done = False
    if request.method == "POST":
        services.follow_unsubscribe(token=token)
        done = True
    return render(
        request, "community/unsubscribe.html", {"campaign": campaign, "platform": campaign.platform, "done": done}
    )


@login_required
@require_POST
def question_ask(request, slug, pk):
    campaign = _campaign(slug, pk)
    body = request.POST.get("body", "")
    if spam_refusal(request):
        request.session[DRAFT_KEY % campaign.pk] = body[:4000]
        messages.error(request, _("Your question could not be sent. Please wait a moment and send it again."))
        return _back(campaign, "ask")
    if not limit_consume(request, action="community_post"):
        request.session[DRAFT_KEY % campaign.pk] = body[:4000]
        messages.error(request, _("You are posting too often. Please wait a few minutes."))
        return _back(campaign, "ask")
    try:
        question = services.question_ask(campaign=campaign, user=request.user, body=body)
    except ApplicationError as exc:
        request.session[DRAFT_KEY % campaign.pk] = body[:4000]
        messages.error(request, error_text(exc))
        return _back(campaign, "ask")
    messages.success(request, _("Your question is posted. The owner is told by e-mail."))
    return _back(campaign, f"question-{question.pk}")


def _question(pk: int):
    question = question_of(pk)
    if question is None or question.campaign.status in NOT_PUBLIC_STATUSES:
        raise Http404
    return question


@login_required
@require_POST
def question_answer(request, pk):
    question = _question(pk)
    try:
        services.question_answer(question=question, user=request.user, answer=request.POST.get("answer", ""))
        messages.success(request, _("Your answer is published."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return _back(question.campaign, f"question-{question.pk}")


@login_required
@require_POST
def question_hide(request, pk):
    question = _question(pk)
    try:
        services.question_hide(question=question, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The question is hidden."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return _back(question.campaign, f"question-{question.pk}")


@login_required
@require_POST
def question_report(request, pk):
    question = _question(pk)
    if not limit_consume(request, action="community_report"):
        messages.error(request, _("You are posting too often. Please wait a few minutes."))
        return _back(question.campaign, f"question-{question.pk}")
    try:
        services.question_report(question=question, user=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("Thank you: staff will look at it."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return _back(question.campaign, f"question-{question.pk}")
