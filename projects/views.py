"""Public pages: thin views over selectors and services. The full citizen site is its own issue."""
from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from civicfund.errors import ApplicationError
from pledges.models import PaymentSource, Pledge
from pledges.services import pledge_cancel, pledge_create

from .models import Campaign, CampaignStatus, FinalReport, Platform, ReportStatus
from .selectors import campaigns_with_totals


def home(request):
    platforms = Platform.objects.prefetch_related("categories")
    return render(request, "projects/home.html", {"platforms": platforms})


def platform_detail(request, slug):
    platform = get_object_or_404(Platform, slug=slug)
    campaigns = campaigns_with_totals(Campaign.objects.filter(platform=platform).exclude(
        status__in=[CampaignStatus.DRAFT, CampaignStatus.SUBMITTED])).order_by("deadline")
    return render(request, "projects/platform.html", {"platform": platform, "campaigns": campaigns})


class PledgeForm(forms.Form):
    amount = forms.IntegerField(min_value=1, help_text="In the currency's smallest unit.")
    tier = forms.IntegerField(required=False)
    source = forms.ChoiceField(choices=PaymentSource.choices, initial=PaymentSource.CARD)
    card = forms.CharField(required=False, initial="4242424242424242",
                           help_text="Sandbox: 4242424242424242 pays, 4000000000000002 is declined.")


def campaign_detail(request, slug, pk):
    campaign = get_object_or_404(
        campaigns_with_totals(Campaign.objects.filter(platform__slug=slug)).prefetch_related(
            "tiers", "updates", "status_changes",
            Prefetch("final_reports", FinalReport.objects.filter(status=ReportStatus.APPROVED),
                     to_attr="public_reports")),
        pk=pk)
    form = PledgeForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/admin/login/?next={request.path}")
        if form.is_valid():
            try:
                pledge_create(campaign_id=campaign.pk, backer=request.user, amount=form.cleaned_data["amount"],
                              tier_id=form.cleaned_data["tier"], source=form.cleaned_data["source"],
                              card=form.cleaned_data["card"])
                return redirect(request.path + "?pledged=1")
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    mine = Pledge.objects.filter(campaign=campaign, backer=request.user) if request.user.is_authenticated else []
    return render(request, "projects/campaign.html", {
        "campaign": campaign, "platform": campaign.platform, "form": form, "mine": mine,
        "now": timezone.now(), "threshold": campaign.platform.success_threshold_percent,
    })


@login_required
def pledge_cancel_view(request, pk):
    pledge = get_object_or_404(Pledge.objects.select_related("campaign__platform"), pk=pk)
    if request.method == "POST":
        try:
            pledge_cancel(pledge_id=pk, backer=request.user)
        except ApplicationError:
            pass
    return redirect("campaign", slug=pledge.campaign.platform.slug, pk=pledge.campaign_id)
