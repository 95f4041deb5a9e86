"""A platform's own pages: about, FAQ, terms and privacy, as its staff wrote them in the admin
(platforms.PlatformPage), in the visitor's language where written, else the platform's."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import get_language

from platforms.models import PageKind
from platforms.selectors import platform_by_slug, platform_page


def platform_page_view(request, slug, kind):
    platform = platform_by_slug(slug)
    if platform is None or kind not in PageKind.values:
        raise Http404
    page = platform_page(platform, kind, (get_language() or platform.language).split("-")[0])
    return render(request, "projects/page.html", {"platform": platform, "page": page})
