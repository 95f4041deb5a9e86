"""The owner's dashboard: draft a campaign in steps, submit it, post updates, download the backers,
see the payouts and file the final report. Every change goes through projects.services."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from community.selectors import questions_waiting
from core.errors import ApplicationError
from core.text import digits
from impact.indicators import final_report_file
from impact.selectors import indicators_of
from payments.gateways import gateway_for
from payouts.selectors import payout_account_of, payouts_of_campaign
from platforms.middleware import platform_locale_activate
from platforms.selectors import platform_by_slug, platforms_all
from pledges.selectors import campaign_backers, campaign_owned, campaigns_owned
from presale.selectors import claims_of_campaign, guarantees_of
from projects import services
from projects.models import FAILED_STATUSES, FUNDED_STATUSES, Campaign, CampaignStatus, RewardTier
from projects.selectors import campaign_for_owner_page
from web.forms.campaigns import CampaignForm, StoryImageForm, TierForm, UpdateForm
from web.forms.impact import FinalReportForm
from web.forms.presale import GuaranteeForm
from web.labels import error_text, form_error
from web.views.owner_impact import owner_impact_context
from web.views.pictures import files_with_kept, gallery_add_post, gallery_owner_context, keep_after_error, kept_done

S = CampaignStatus


def _own(request, pk) -> Campaign:
    """The user's own campaign `pk` (404 otherwise); the page speaks its platform's language and time."""
    campaign = campaign_owned(request.user, pk)
    if campaign is None:
        raise Http404
    platform_locale_activate(request, campaign.platform)  # /me/ addresses name no platform
    return campaign


@login_required
def owner_dashboard(request):
    campaigns = list(campaigns_owned(request.user).select_related("platform"))
    waiting = questions_waiting([c.pk for c in campaigns])
    for campaign in campaigns:
        campaign.questions_waiting = waiting.get(campaign.pk, 0)  # type: ignore[attr-defined]
    return render(request, "projects/owner/dashboard.html", {"campaigns": campaigns, "platforms": platforms_all()})


@login_required
def campaign_new(request, slug):
    platform = platform_by_slug(slug)
    if platform is None:
        raise Http404
    platform_locale_activate(request, platform)  # the form's calendar and time zone are the platform's
    files, kept = files_with_kept(request) if request.method == "POST" else (None, None)
    form = CampaignForm(request.POST or None, files or None, platform=platform)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                owner=request.user,
                platform=platform,
                category=data["category"],
                title=data["title"],
                story=data["story"],
                goal=data["goal"],
                starts_at=data["starts_at"] or timezone.now(),
                deadline=data["deadline"],
                funding_model=data["funding_model"],
                area=data.get("area"),
                image=data["image"],
                image_alt=data["image_alt"],
                video_url=data["video_url"],
                video_embed=data["video_embed"],
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            kept_done(request, kept)
            messages.success(request, _("Draft saved. Next: reward tiers, then submit it for review."))
            for note in form.time_notes():
                messages.info(request, note)
            return redirect("owner-campaign", pk=campaign.pk)
    if request.method == "POST":
        keep_after_error(request, form, kept)
    return render(request, "projects/owner/campaign_form.html", {"form": form, "platform": platform})


@login_required
def campaign_edit(request, pk):
    campaign = _own(request, pk)
    files, kept = files_with_kept(request) if request.method == "POST" else (None, None)
    form = CampaignForm(
        request.POST or None,
        files or None,
        platform=campaign.platform,
        campaign=campaign,
        initial=CampaignForm.initial_for(campaign),
    )
    if campaign.status != S.DRAFT:
        messages.error(request, error_text(ApplicationError("", code="not_draft")))
        return redirect("owner-campaign", pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_edit(campaign=campaign, user=request.user, **form.service_fields())
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            kept_done(request, kept)
            messages.success(request, _("Changes saved."))
            for note in form.time_notes():
                messages.info(request, note)
            return redirect("owner-campaign", pk=pk)
    if request.method == "POST":
        keep_after_error(request, form, kept)
    return render(
        request,
        "projects/owner/campaign_form.html",
        {"form": form, "platform": campaign.platform, "campaign": campaign},
    )


@login_required
def campaign_manage(
    request,
    pk,
    *,
    tier_form=None,
    update_form=None,
    report_form=None,
    guarantee_form=None,
    image_form=None,
    gallery_form=None,
):
    totals = _own(request, pk)  # the owner's campaign with its totals; the page's own read has the rest
    campaign = campaign_for_owner_page(totals.pk)
    return render(
        request,
        "projects/owner/campaign.html",
        {
            "campaign": campaign,
            "platform": campaign.platform,
            "raised": totals.raised,  # type: ignore[attr-defined]  # annotated by campaigns_with_totals
            "backers": totals.backers,  # type: ignore[attr-defined]
            "tier_form": tier_form or TierForm(currency=campaign.currency, goal=campaign.goal),
            "update_form": update_form
            or UpdateForm(
                ships=services.campaign_ships(campaign),
                initial={"kind": "delivery"} if request.GET.get("kind") == "delivery" else None,
            ),
            "image_form": image_form or StoryImageForm(),
            "story_images": campaign.story_images.all(),
            "report_form": report_form
            or FinalReportForm(
                currency=campaign.currency,
                initial=FinalReportForm.initial_for(campaign),
                indicators=indicators_of(campaign),
            ),
            "payouts": payouts_of_campaign(campaign.pk),
            "can_report": campaign.status in (S.PAID, S.REPORT_REJECTED),
            "guarantees": guarantees_of(campaign),
            "claims": claims_of_campaign(campaign),
            "ships_rewards": campaign.status in FUNDED_STATUSES and any(t.ships for t in campaign.tiers.all()),
            "guarantee_form": guarantee_form or GuaranteeForm(currency=campaign.currency),
            **owner_impact_context(campaign),
            **gallery_owner_context(campaign, gallery_form),
            **_stripe_payouts(request.user, campaign.platform),
        },
    )


def _stripe_payouts(user, platform) -> dict:
    """On a platform whose gateway pays owners' connected accounts (Stripe Connect): the owner's
    account (None before they connect one)."""
    if not gateway_for(platform).capabilities.connected_payouts:
        return {"stripe_payouts": False}
    return {"stripe_payouts": True, "stripe_account": payout_account_of(user)}


def _form_post(
    request, pk, form_class, service, *, done: str | Callable[[Any], str], form_name: str, with_currency: bool = False
):
    """One owner form posted: the service does the work; its refusal shows next to the field and
    the page is shown again with what the owner typed. The same form sent twice (its request key)
    is done once and both copies land on the same page. When the campaign's page no longer shows
    this form, the refusal is said at the top of the page instead."""
    campaign = _own(request, pk)
    extra: dict[str, Any] = {"currency": campaign.currency} if with_currency else {}
    if form_name == "report_form":
        extra["indicators"] = indicators_of(campaign)
    if form_name == "tier_form":
        extra["goal"] = campaign.goal
    if form_name == "update_form":
        extra["ships"] = services.campaign_ships(campaign)
    form = form_class(request.POST, request.FILES or None, **extra)
    if form.is_valid():
        try:
            fields = form.service_fields() if hasattr(form, "service_fields") else form.cleaned_data
            result = service(campaign=campaign, user=request.user, **fields)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect("owner-campaign", pk=pk)
    campaign.refresh_from_db(fields=["status"])
    if not _FORM_SHOWN[form_name](campaign):
        messages.error(request, _refusal_text(campaign, form_name, form))
        return redirect("owner-campaign", pk=pk)
    return campaign_manage(request, pk, **{form_name: form})


# When the owner's page shows each form (as templates/projects/owner/campaign.html decides).
_FORM_SHOWN = {
    "tier_form": lambda c: c.status == S.DRAFT and c.platform.allow_reward_tiers,
    "update_form": lambda c: c.status not in (S.DRAFT, S.SUBMITTED, *FAILED_STATUSES),
    "report_form": lambda c: c.status in (S.PAID, S.REPORT_REJECTED),
    "image_form": lambda c: True,
}


def _refusal_text(campaign, form_name, form) -> str:
    """Why a form the page does not show was refused."""
    if form_name == "report_form" and campaign.status == S.REPORT_SUBMITTED:
        return _("Your final report is waiting for review: you can file it again only if it is rejected.")
    if errors := form.non_field_errors():
        return errors[0]
    return error_text(ApplicationError("", code="invalid_transition"))


@login_required
@require_POST
def tier_add(request, pk):
    return _form_post(
        request, pk, TierForm, services.tier_add, done=_("Reward added."), form_name="tier_form", with_currency=True
    )


def _own_tier(request, pk, tier_pk) -> tuple[Campaign, RewardTier]:
    campaign = _own(request, pk)
    tier = RewardTier.objects.filter(campaign=campaign, pk=tier_pk).first()
    if tier is None:
        raise Http404
    return campaign, tier


@login_required
def tier_edit(request, pk, tier_pk):
    """A reward of the owner's draft, changed: a refusal is shown next to its field with what was typed."""
    campaign, tier = _own_tier(request, pk, tier_pk)
    if campaign.status != S.DRAFT:
        messages.error(request, error_text(ApplicationError("", code="not_draft")))
        return redirect("owner-campaign", pk=pk)
    form = TierForm(
        request.POST or None,
        currency=campaign.currency,
        goal=campaign.goal,
        initial=TierForm.initial_for(tier, campaign.currency),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.tier_edit(tier=tier, user=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Reward saved."))
            return redirect("owner-campaign", pk=pk)
    return render(
        request,
        "projects/owner/tier_form.html",
        {"form": form, "campaign": campaign, "tier": tier, "platform": campaign.platform},
    )


@login_required
@require_POST
def tier_delete(request, pk, tier_pk):
    campaign, tier = _own_tier(request, pk, tier_pk)
    try:
        services.tier_delete(tier=tier, user=request.user)
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Reward “%(title)s” removed.") % {"title": tier.title})
    return redirect("owner-campaign", pk=pk)


@login_required
@require_POST
def campaign_submit(request, pk):
    campaign = _own(request, pk)
    submitted = _("Submitted for review. You will see the result here.")
    try:
        services.campaign_submit(campaign=campaign, user=request.user)
        messages.success(request, submitted)
    except ApplicationError as exc:
        campaign.refresh_from_db(fields=["status"])
        if campaign.status == S.SUBMITTED:  # the same form sent twice: the first copy submitted it
            messages.success(request, submitted)
        else:
            messages.error(request, error_text(exc))
    return redirect("owner-campaign", pk=pk)


def _update_done(update) -> str:
    if update.mailed:
        return _("Update posted; backers are e-mailed.")
    return _(
        "Update posted, but not e-mailed: this campaign has e-mailed its backers %(n)s times in the last "
        "7 days, the most its platform allows. Backers see it on the campaign's page."
    ) % {"n": digits(update.campaign.platform.update_mails_per_week)}


@login_required
@require_POST
def story_image_upload(request, pk):
    """A picture for the story or an update: the page then shows what to paste into the text."""
    return _form_post(
        request,
        pk,
        StoryImageForm,
        services.story_image_add,
        done=lambda image: (
            _("Picture uploaded. To show it, paste this into the story or an update: %(code)s")
            % {"code": image.markdown}
        ),
        form_name="image_form",
    )


@login_required
@require_POST
def gallery_add(request, pk):
    """A picture for the campaign's gallery (web.views.pictures)."""
    return gallery_add_post(request, pk, manage=campaign_manage)


@login_required
@require_POST
def update_post(request, pk):
    return _form_post(
        request,
        pk,
        UpdateForm,
        services.update_post,
        done=_update_done,
        form_name="update_form",
    )


@login_required
@require_POST
def report_submit(request, pk):
    return _form_post(
        request,
        pk,
        FinalReportForm,
        final_report_file,
        done=_("Final report submitted for review."),
        form_name="report_form",
        with_currency=True,
    )


@login_required
def backers_csv(request, pk):
    """Backers and their chosen rewards, for fulfilment."""
    campaign = _own(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{campaign.pk}-backers.csv"'
    response.write("\ufeff")  # so spreadsheet programs read Persian names as UTF-8
    writer = csv.writer(response)
    writer.writerow(["pledge", "backer", "email", "amount", "currency", "reward", "status", "pledged_at"])
    for p in campaign_backers(campaign.pk).iterator(chunk_size=2000):
        writer.writerow(
            [
                p.pk,
                _cell(p.backer.get_username()),
                _cell(p.backer.email),
                p.amount,
                p.currency,
                _cell(p.tier.title if p.tier else ""),
                p.status,
                p.created_at.isoformat(),
            ]
        )
    return response


def _cell(text: str) -> str:
    """Text a spreadsheet must not take for a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
