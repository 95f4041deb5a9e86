"""Public pages of the citizen site: the platforms, a platform's home, browsing and a campaign's page.
Thin views over selectors; each page runs a fixed number of queries (tests/web/test_query_counts.py)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from impact.selectors import indicator_sums
from partners.selectors import (
    campaign_matched,
    campaign_partners,
    campaigns_endorsed_filter,
    campaigns_matched_live,
    sponsors_of,
)
from partners.selectors_calls import calls_open
from platforms.models import Platform
from platforms.selectors import areas_of, categories_of, platform_by_slug, platforms_all
from pledges.selectors import (
    campaign_public_page,
    campaigns_browse,
    campaigns_ending_soon,
    campaigns_featured,
    campaigns_funded_lately,
)
from presale.selectors import delivery_summary, guarantee_public
from projects.models import FUNDED_STATUSES, CampaignStatus, UpdateKind
from stats.selectors import Figures, platform_figures, platforms_figures
from web.forms.campaigns import BrowseForm
from web.page_cache import anonymous_page_cache
from web.views.impact import campaign_accountability
from web.views.pictures import campaign_media_context
from web.views.share import share_context

PAGE_SIZE = 12


def _platform(slug: str, request=None) -> Platform:
    # The middleware looked the platform up by this very slug (request.platform): no second query.
    known = getattr(request, "platform", None)
    platform = known if known is not None and known.slug == slug else platform_by_slug(slug)
    if platform is None:
        raise Http404
    return platform


def _showcase(platform: Platform | None) -> dict:
    """The lists a front page shows (all platforms, or one): featured and ending-soon campaigns, those
    an organisation is matching, open calls and what was funded lately. One query per list, whatever
    the number of campaigns (tests/web/test_front_page.py)."""
    now = timezone.now()
    featured = campaigns_featured(platform=platform, now=now)
    return {
        "featured": featured,
        "ending": campaigns_ending_soon(platform=platform, now=now),
        "matched_campaigns": campaigns_matched_live(platform=platform, now=now),
        "open_calls": calls_open(platform=platform, now=now),
        "funded_lately": campaigns_funded_lately(platform=platform),
        "nothing_live": not featured,
    }


@anonymous_page_cache
def home(request):
    """The deployment's front page; on a platform's own domain, that platform's home."""
    platform = getattr(request, "platform", None)
    if platform is not None and platform.domain:
        return platform_detail(request, platform.slug)
    figures = platforms_figures()
    platforms = [(p, figures.get(p.pk) or Figures(key="", label="")) for p in platforms_all()]
    return render(request, "projects/home.html", {"platforms": platforms, **_showcase(None)})


@anonymous_page_cache
def platform_detail(request, slug):
    platform = _platform(slug, request)
    return render(
        request,
        "projects/platform.html",
        {
            "platform": platform,
            **_showcase(platform),
            "totals": platform_figures(platform),
            "categories": list(platform.categories.all()),
            "sponsors": sponsors_of(platform),
            "indicator_sums": indicator_sums(platform),
        },
    )


@anonymous_page_cache
def browse(request, slug=None):
    """Filter, search, sort and page through campaigns, of one platform or of all."""
    platform = _platform(slug, request) if slug else None
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


@anonymous_page_cache
def campaign_detail(request, slug, pk):
    campaign = campaign_public_page(slug=slug, campaign_id=pk)
    if campaign is None:
        raise Http404
    report = next(iter(campaign.public_reports), None)  # type: ignore[attr-defined]
    now = timezone.now()
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
            # After the deadline and before the close job: no button, no form (the close decides).
            "open_for_pledges": campaign.accepts_pledges(now),
            "past_deadline": campaign.status == CampaignStatus.LIVE and now >= campaign.deadline,
            **share_context(request, campaign),
            **campaign_media_context(campaign),
        },
    )
