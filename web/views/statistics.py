"""The public statistics page of a platform (stats.selectors: maintained tallies, never the pledges)
and its open data (files generated daily by stats.tasks)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from core.errors import ApplicationError
from core.text import digits
from stats.equity import participation, participation_csv_text, participation_viewer, populations_uploader
from stats.models import LICENCE_URLS, Licence
from stats.selectors import bars_set, platform_statistics
from stats.services import giving360
from stats.services.areas import home_area_set, populations_import
from stats.services.open_data import DATASETS, licence_of, open_data_files
from stats.services.open_data import open_data_file as open_data_file_get
from web.labels import error_text
from web.templatetags.civic import area_name, category_name, stat_month

from .public import _platform

MAX_UPLOAD = 1_000_000  # bytes of a populations CSV read (a few thousand areas at most)


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
    return render(
        request,
        "stats/statistics.html",
        {"platform": platform, "s": s, "can_see_participation": participation_viewer(request.user, platform)},
    )


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
            "giving": {
                "files": [name for name in (giving360.JSON_NAME, giving360.CSV_NAME) if name in files],
                "prefix": giving360.giving_prefix(platform),
                "fields": giving360.FIELDS,
            },
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


def _participation_allowed(request, platform) -> bool:
    """Participation figures are for the platform's staff holding `stats.view_participation` and the
    members of its verified organisations (stats.equity.participation_viewer)."""
    return participation_viewer(request.user, platform)


@login_required
def participation_page(request, slug):
    """Who takes part: backers by home area against population, first-time and returning backers,
    pledge sizes, campaigns per area; small groups suppressed. Staff upload area populations here."""
    platform = _platform(slug)
    if not _participation_allowed(request, platform):
        raise PermissionDenied
    if request.method == "POST":
        if not populations_uploader(request.user):
            raise PermissionDenied
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ApplicationError(gettext("Choose a CSV file to upload."), code="no_file", field="file")
            try:
                text = upload.read(MAX_UPLOAD).decode("utf-8")
            except UnicodeDecodeError:
                raise ApplicationError(
                    gettext("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again."),
                    code="bad_csv",
                    field="file",
                ) from None
            count = populations_import(platform, text)
            messages.success(
                request,
                ngettext("%(n)s area's population saved.", "%(n)s areas' populations saved.", count)
                % {"n": digits(count)},
            )
        except ApplicationError as exc:
            messages.error(request, error_text(exc))
        return redirect("platform-participation", slug=slug)
    p = participation(platform)
    return render(
        request,
        "stats/participation.html",
        {"platform": platform, "p": p, "can_upload": populations_uploader(request.user)},
    )


@login_required
def participation_csv(request, slug):
    """The participation tables as one CSV (suppressed cells empty, marked)."""
    platform = _platform(slug)
    if not _participation_allowed(request, platform):
        raise PermissionDenied
    response = HttpResponse(participation_csv_text(participation(platform)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-participation.csv"'
    return response


@login_required
@require_POST
def home_area_answer(request, slug):
    """The backer's answer to "where do you live?" (asked once; "" = prefer not to say)."""
    platform = _platform(slug)
    try:
        home_area_set(user=request.user, platform=platform, area_slug=request.POST.get("area", ""))
        messages.success(request, gettext("Thank you. You will not be asked again."))
    except ApplicationError as exc:
        messages.error(request, error_text(exc))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("platform", args=[slug])
    return redirect(back)
