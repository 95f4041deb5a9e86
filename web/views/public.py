"""Public pages of the citizen site: the platforms, a platform's home, browsing and a campaign's page.
Thin views over selectors; each page runs a fixed number of queries (tests/web/test_query_counts.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from impact.selectors import indicator_sums
from partners.selectors import campaign_matched, campaign_partners, campaigns_endorsed_filter, sponsors_of
from platforms.models import Platform
from platforms.selectors import areas_of, categories_of, platform_by_slug, platforms_all
from pledges.selectors import campaign_public_page, campaigns_browse, campaigns_live
from presale.selectors import delivery_summary, guarantee_public
from projects.models import FUNDED_STATUSES, UpdateKind
from stats.selectors import platform_figures
from web.forms.campaigns import BrowseForm
from web.views.impact import campaign_accountability
from web.views.pictures import campaign_media_context

PAGE_SIZE = 12


def _platform(slug: str) -> Platform:
    platform = platform_by_slug(slug)
    if platform is None:
        raise Http404
    return platform


def home(request):
    """The deployment's front page; on a platform's own domain, that platform's home."""
    platform = getattr(request, "platform", None)
    if platform is not None and platform.domain:
        return platform_detail(request, platform.slug)
    return render(request, "projects/home.html", {"platforms": platforms_all()})


def platform_detail(request, slug):
    platform = _platform(slug)
    live = campaigns_live(platform)
    featured = list(live.order_by("-raised", "-id")[:3])
    ending = list(live.order_by("deadline", "id")[:6])
    return render(
        request,
        "projects/platform.html",
        {
            "platform": platform,
            "featured": featured,
            "ending": ending,
            "totals": platform_figures(platform),
            "categories": list(platform.categories.all()),
            "sponsors": sponsors_of(platform),
            "indicator_sums": indicator_sums(platform),
        },
    )


def browse(request, slug=None):
    """Filter, search, sort and page through campaigns, of one platform or of all."""
    platform = _platform(slug) if slug else None
    platforms = list(platforms_all()) if platform is None else [platform]
    categories = categories_of(platforms)
    areas = list(areas_of(platforms))
    form = BrowseForm(
        request.GET or None, platforms=platforms, categories=categories, areas=areas, fixed_platform=platform
    )
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = platform
    if platform is None and filters.get("platform"):
        chosen = next((p for p in platforms if p.slug == filters["platform"]), None)
    qs = campaigns_browse(
        platform=chosen,
        category=filters.get("category", ""),
        area=filters.get("area", ""),
        state=filters.get("state", ""),
        funding_model=filters.get("funding_model", ""),
        q=filters.get("q", ""),
        sort=filters.get("sort") or "newest",
    )
    if filters.get("endorser"):
        qs = campaigns_endorsed_filter(qs, filters["endorser"])
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/browse.html",
        {"platform": platform, "form": form, "page": page, "campaigns": page.object_list},
    )


def _match_parts(campaign) -> dict:
    """The progress bar's second part: match money beside the citizen money."""
    matched = campaign_matched(campaign)
    if not matched or not campaign.goal:
        return {"matched": 0}
    citizen = min(100, campaign.raised * 100 // campaign.goal)
    both = min(100, (campaign.raised + matched) * 100 // campaign.goal)
    return {"matched": matched, "match_width": both - citizen}


def campaign_detail(request, slug, pk):
    campaign = campaign_public_page(slug=slug, campaign_id=pk)
    if campaign is None:
        raise Http404
    report = next(iter(campaign.public_reports), None)  # type: ignore[attr-defined]
    updates = list(campaign.updates.all())
    # ?updates=delivery: only the delivery news (an unknown value shows them all)
    updates_kind = request.GET.get("updates", "")
    updates_kind = updates_kind if updates_kind in UpdateKind.values else ""
    return render(
        request,
        "projects/campaign.html",
        {
            "campaign": campaign,
            "platform": campaign.platform,
            "tiers": list(campaign.tiers.all()),
            "updates": [u for u in updates if not updates_kind or u.kind == updates_kind],
            "updates_kind": updates_kind,
            "delivery_updates": any(u.kind == UpdateKind.DELIVERY for u in updates),
            "report": report,
            "threshold": campaign.platform.success_threshold_percent,
            "guarantee": guarantee_public(campaign),
            "delivery": delivery_summary(campaign) if campaign.status in FUNDED_STATUSES else None,
            "partners": campaign_partners(campaign, request.user),
            **_match_parts(campaign),
            **campaign_accountability(campaign, report),
            **campaign_media_context(campaign),
        },
    )
