"""Public pages of the citizen site: the platforms, a platform's home, browsing and a campaign's page.
Thin views over selectors; each page runs a fixed number of queries (tests/web/test_query_counts.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from platforms.models import Category, Platform
from pledges.selectors import campaigns_browse, campaigns_public, platform_totals
from projects.models import CampaignUpdate, FinalReport, ReportStatus, RewardTier
from web.forms.campaigns import BrowseForm

PAGE_SIZE = 12


def home(request):
    """The deployment's front page; on a platform's own domain, that platform's home."""
    platform = getattr(request, "platform", None)
    if platform is not None and platform.domain:
        return platform_detail(request, platform.slug)
    platforms = Platform.objects.all()
    return render(request, "projects/home.html", {"platforms": platforms})


def platform_detail(request, slug):
    platform = get_object_or_404(Platform, slug=slug)
    live = campaigns_public(platform).filter(status="live")
    featured = list(live.order_by("-raised", "-id")[:3])
    ending = list(live.order_by("deadline", "id")[:6])
    return render(
        request,
        "projects/platform.html",
        {
            "platform": platform,
            "featured": featured,
            "ending": ending,
            "totals": platform_totals(platform),
            "categories": list(platform.categories.all()),
        },
    )


def browse(request, slug=None):
    """Filter, search, sort and page through campaigns, of one platform or of all."""
    platform = get_object_or_404(Platform, slug=slug) if slug else None
    platforms = list(Platform.objects.all()) if platform is None else [platform]
    categories = Category.objects.filter(platform__in=platforms).order_by("name")
    regions_qs = campaigns_public(platform).exclude(region="").order_by("region")
    regions = list(dict.fromkeys(regions_qs.values_list("region", flat=True)))
    form = BrowseForm(
        request.GET or None, platforms=platforms, categories=categories, regions=regions, fixed_platform=platform
    )
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = platform
    if platform is None and filters.get("platform"):
        chosen = next((p for p in platforms if p.slug == filters["platform"]), None)
    qs = campaigns_browse(
        platform=chosen,
        category=filters.get("category", ""),
        region=filters.get("region", ""),
        state=filters.get("state", ""),
        funding_model=filters.get("funding_model", ""),
        q=filters.get("q", ""),
        sort=filters.get("sort") or "newest",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/browse.html",
        {"platform": platform, "form": form, "page": page, "campaigns": page.object_list},
    )


def campaign_detail(request, slug, pk):
    campaign = get_object_or_404(
        campaigns_public()
        .filter(platform__slug=slug)
        .prefetch_related(
            Prefetch("tiers", RewardTier.objects.order_by("amount", "id")),
            Prefetch("updates", CampaignUpdate.objects.order_by("-created_at", "-id")),
            Prefetch(
                "final_reports", FinalReport.objects.filter(status=ReportStatus.APPROVED), to_attr="public_reports"
            ),
        ),
        pk=pk,
    )
    return render(
        request,
        "projects/campaign.html",
        {
            "campaign": campaign,
            "platform": campaign.platform,
            "tiers": list(campaign.tiers.all()),
            "updates": list(campaign.updates.all()),
            "report": next(iter(campaign.public_reports), None),  # type: ignore[attr-defined]
            "threshold": campaign.platform.success_threshold_percent,
        },
    )
