"""The owner's part of accountability: a draft's impact indicators and upkeep plan, and the follow-ups
on a funded asset. Every change goes through impact's services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from impact.indicators import indicator_add, indicator_remove, standards_for
from impact.models import FollowUp, Indicator, UpkeepPlan
from impact.upkeep import follow_up_submit, upkeep_plan_set
from pledges.selectors import campaign_owned
from web.forms.impact import FollowUpForm, IndicatorForm, UpkeepForm
from web.labels import error_text


def _own(request, pk):
    campaign = campaign_owned(request.user, pk)
    if campaign is None:
        raise Http404
    return campaign


def _refused(request, form=None, exc=None) -> None:
    if exc is not None:
        messages.error(request, error_text(exc))
    elif form is not None:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))


def owner_impact_context(campaign) -> dict:
    """What the owner's campaign page shows of indicators, upkeep and follow-ups."""
    return {
        "indicators": list(Indicator.objects.filter(campaign=campaign).select_related("standard")),
        "indicator_form": IndicatorForm(standards=standards_for(campaign)),
        "upkeep_form": UpkeepForm(initial=_upkeep_initial(campaign)),
        "creates_asset_by_category": campaign.category.creates_asset,
        "follow_ups_due": [
            (f, FollowUpForm(prefix=f"f{f.pk}"))
            for f in FollowUp.objects.filter(campaign=campaign, requested_at__isnull=False, submitted_at__isnull=True)
        ],
    }


def _upkeep_initial(campaign) -> dict:
    plan = UpkeepPlan.objects.filter(campaign=campaign).first()
    if plan is None:
        return {"creates_asset": campaign.category.creates_asset}
    return {
        "creates_asset": plan.creates_asset,
        "maintainer": plan.maintainer,
        "months": plan.months,
        "funding": plan.funding,
    }


@login_required
@require_POST
def indicator_add_view(request, pk):
    campaign = _own(request, pk)
    form = IndicatorForm(request.POST, standards=standards_for(campaign))
    if form.is_valid():
        try:
            indicator_add(campaign=campaign, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(request, exc=exc)
        else:
            messages.success(request, _("Indicator added."))
    else:
        _refused(request, form=form)
    return redirect("owner-campaign", pk=pk)


@login_required
@require_POST
def indicator_remove_view(request, pk, indicator_pk):
    campaign = _own(request, pk)
    indicator = Indicator.objects.filter(campaign=campaign, pk=indicator_pk).first()
    if indicator is None:
        raise Http404
    try:
        indicator_remove(indicator=indicator, user=request.user)
    except ApplicationError as exc:
        _refused(request, exc=exc)
    return redirect("owner-campaign", pk=pk)


@login_required
@require_POST
def upkeep_view(request, pk):
    campaign = _own(request, pk)
    form = UpkeepForm(request.POST)
    if form.is_valid():
        try:
            upkeep_plan_set(campaign=campaign, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(request, exc=exc)
        else:
            messages.success(request, _("Upkeep plan saved."))
    else:
        _refused(request, form=form)
    return redirect("owner-campaign", pk=pk)


@login_required
@require_POST
def follow_up_view(request, pk, follow_up_pk):
    campaign = _own(request, pk)
    follow_up = FollowUp.objects.filter(campaign=campaign, pk=follow_up_pk).first()
    if follow_up is None:
        raise Http404
    form = FollowUpForm(request.POST, prefix=f"f{follow_up.pk}")
    if form.is_valid():
        try:
            follow_up_submit(follow_up=follow_up, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            _refused(request, exc=exc)
        else:
            messages.success(request, _("Follow-up posted."))
    else:
        _refused(request, form=form)
    return redirect("owner-campaign", pk=pk)
