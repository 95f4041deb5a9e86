"""Pages of open calls: a platform's calls, a call's public page (with the owner's apply form), its
reviewers' screen, and the small forms of their decisions. Every change goes through
partners.services.calls; the rules live there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from partners import selectors_calls as selectors
from partners.models import Application
from partners.services import calls as call_services
from projects.models import Campaign
from web.labels import error_text

from .partners import _platform


def calls_list(request, slug):
    platform = _platform(slug)
    return render(
        request,
        "partners/calls.html",
        {"platform": platform, "calls": list(selectors.calls_of_platform(platform)), "now": timezone.now()},
    )


def call_detail(request, slug, pk):
    platform = _platform(slug)
    call = selectors.call_of_platform(platform, pk)
    if call is None:
        raise Http404
    now = timezone.now()
    return render(
        request,
        "partners/call.html",
        {
            "platform": platform,
            "call": call,
            "accepting": call_services.call_accepting(call, now),
            "campaigns": selectors.call_campaigns(call),
            "pot_use": selectors.call_pot_use(call),
            "counts": selectors.call_counts(call),
            "decisions": list(selectors.call_decisions(call)[:50]),
            "is_reviewer": selectors.call_reviewer(call, request.user),
            "drafts": selectors.drafts_for_call(call, request.user),
            "mine": selectors.application_of_user(call, request.user),
            "categories": list(call.categories.all()),
            "areas": list(call.areas.all()),
        },
    )


@login_required
@require_POST
def call_apply(request, slug, pk):
    platform = _platform(slug)
    call = selectors.call_of_platform(platform, pk)
    if call is None:
        raise Http404
    campaign = get_object_or_404(Campaign, pk=request.POST.get("campaign") or 0, owner=request.user)
    try:
        call_services.application_submit(call=call, campaign=campaign, user=request.user)
        messages.success(request, _("Your application was sent. The organisation's reviewers will decide."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect("call", platform.slug, call.pk)


@login_required
def call_review(request, slug, pk):
    """The reviewers' screen: every application with its draft campaign, and the decision forms."""
    platform = _platform(slug)
    call = selectors.call_of_platform(platform, pk)
    if call is None:
        raise Http404
    if not selectors.call_reviewer(call, request.user):
        raise PermissionDenied(_("Only a reviewer of %(name)s may do this.") % {"name": call.organisation.name})
    return render(
        request,
        "partners/call_review.html",
        {"platform": platform, "call": call, "applications": list(selectors.call_applications(call))},
    )


DECISIONS: dict[str, tuple[Callable[..., Application], str, Any]] = {
    "shortlist": (call_services.application_shortlist, "note", gettext_lazy("Application shortlisted")),
    "approve": (call_services.application_approve, "note", gettext_lazy("Application approved")),
    "decline": (call_services.application_decline, "reason", gettext_lazy("Application declined")),
}


@login_required
@require_POST
def application_decide(request, pk, action):
    if action not in DECISIONS:
        raise Http404
    application = get_object_or_404(Application.objects.select_related("call__platform"), pk=pk)
    decide, text_field, done = DECISIONS[action]
    try:
        decide(application=application, user=request.user, **{text_field: request.POST.get(text_field, "")})
        messages.success(request, str(done))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    call = application.call
    return redirect("call-review", call.platform.slug, call.pk)
