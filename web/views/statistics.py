"""The public statistics page of a platform (stats.selectors: maintained tallies, never the pledges)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext

from stats.selectors import bars_set, platform_statistics
from web.templatetags.civic import area_name, category_name, stat_month

from .public import _platform


def platform_statistics_page(request, slug):
    platform = _platform(slug)
    s = platform_statistics(platform)
    for row in s.by_category:
        row.label_text = category_name(row.label)
    for row in s.by_area:
        row.label_text = area_name(row.label) if row.label else gettext("No area given")
    for row in s.by_month:
        row.label_text = stat_month(row.label, platform)
    for rows in (s.by_category, s.by_area, s.by_month):
        bars_set(rows)
    return render(request, "stats/statistics.html", {"platform": platform, "s": s})
