"""Public pages of the partners app (an organisation's page, the list of a platform's organisations) and
the small forms its members use (endorse, withdraw). Every change goes through partners' services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from decisions.selectors import decisions_of
from partners import selectors
from partners.models import Endorsement, Organisation
from partners.services import organisations as org_services
from platforms.models import Platform
from platforms.selectors import platform_by_slug
from projects.models import NOT_PUBLIC_STATUSES, Campaign
from web.labels import error_text


def _platform(slug: str) -> Platform:
    platform = platform_by_slug(slug)
    if platform is None:
        raise Http404
    return platform


def organisations_list(request, slug):
    platform = _platform(slug)
    return render(
        request,
        "partners/organisations.html",
        {"platform": platform, "organisations": list(selectors.organisations_of(platform))},
    )


def organisation_detail(request, slug, org_slug):
    platform = _platform(slug)
    organisation = selectors.organisation_by_slug(platform, org_slug)
    if organisation is None:
        raise Http404
    endorsements = [e for e in selectors.endorsements_of(organisation) if e.campaign.status not in NOT_PUBLIC_STATUSES]
    return render(
        request,
        "partners/organisation.html",
        {
            "platform": platform,
            "organisation": organisation,
            "members": list(organisation.members.all()),
            "endorsements": endorsements,
            "totals": selectors.organisation_totals(organisation),
            "pots": list(selectors.pots_of_organisation(organisation)),
            "calls": list(selectors.calls_of_organisation(organisation)),
            "decisions": list(decisions_of(platform=platform).filter(on_behalf_of=organisation.name)[:20]),
        },
    )


@login_required
@require_POST
def endorse(request, slug, pk):
    """A member endorses the campaign for one of their organisations (chosen in the form)."""
    platform = _platform(slug)
    campaign = get_object_or_404(Campaign, pk=pk, platform=platform)
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0, platform=platform)
    try:
        org_services.endorsement_create(
            organisation=organisation, campaign=campaign, user=request.user, note=request.POST.get("note", "")
        )
        messages.success(request, _("%(name)s now endorses this campaign.") % {"name": organisation.name})
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect("campaign", platform.slug, campaign.pk)


@login_required
@require_POST
def endorsement_withdraw(request, pk):
    endorsement = get_object_or_404(Endorsement.objects.select_related("campaign__platform"), pk=pk)
    campaign = endorsement.campaign
    try:
        org_services.endorsement_withdraw(
            endorsement=endorsement, user=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The endorsement was withdrawn."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    return redirect("campaign", campaign.platform.slug, campaign.pk)
