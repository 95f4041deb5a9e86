"""The public statistics page of a platform (stats.selectors: maintained tallies, never the pledges)
and its open data (files generated daily by stats.tasks)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import http_date
from django.utils.translation import gettext

from stats.models import LICENCE_URLS, Licence
from stats.selectors import bars_set, platform_statistics
from stats.services.open_data import DATASETS, licence_of, open_data_files
from stats.services.open_data import open_data_file as open_data_file_get
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


def open_data_page(request, slug):
    """What the platform publishes, each field documented, under which licence, and the files."""
    platform = _platform(slug)
    code, title, url = licence_of(platform)
    files = {f.name: f for f in open_data_files(platform)}
    return render(
        request,
        "stats/open_data.html",
        {
            "platform": platform,
            "sections": [
                {"d": d, "files": [(f"{d.name}.{ext}", f"{d.name}.{ext}" in files) for ext in ("csv", "json")]}
                for d in DATASETS
            ],
            "licence": {"id": code, "title": title, "url": url},
            "generated_at": max((f.generated_at for f in files.values()), default=None),
        },
    )


def open_data_file(request, slug, name):
    """A stored open-data file, as generated, with its licence (HTTP Link rel="license")."""
    stored = open_data_file_get(_platform(slug), name)
    if stored is None:
        raise Http404
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = f'inline; filename="{slug}-{stored.name}"'
    response["Link"] = f'<{LICENCE_URLS[Licence(stored.licence)]}>; rel="license"'
    response["Last-Modified"] = http_date(stored.generated_at.timestamp())
    response["Access-Control-Allow-Origin"] = "*"
    return response
