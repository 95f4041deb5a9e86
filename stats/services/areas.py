"""The areas' side of participation: a backer's home area (asked once), and the populations a
platform uploads as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError
from core.text import TO_ASCII_DIGITS
from platforms.models import Area, Platform

from ..models import HomeArea

MAX_POPULATION = 2_000_000_000


def home_area_asked(user: Any, platform: Platform) -> bool:
    """The backer has answered (or declined) the home-area question on this platform."""
    return HomeArea.objects.filter(user_id=user.pk, platform=platform).exists()


def home_area_set(*, user: Any, platform: Platform, area_slug: str) -> HomeArea:
    """Record the backer's answer: an area of the platform's list, or "" for "prefer not to say".
    Raises ApplicationError for an area not on the platform's list (nothing written)."""
    area = None
    if area_slug:
        area = Area.objects.filter(platform=platform, slug=area_slug).first()
        if area is None:
            raise ApplicationError(_("Choose an area from the list."), code="unknown_area", field="area")
    home, _created = HomeArea.objects.update_or_create(user_id=user.pk, platform=platform, defaults={"area": area})
    return home


def populations_import(platform: Platform, text: str) -> int:
    """Set the populations of the platform's areas from CSV text with the columns `area` (the area's
    slug, or its English or Persian name) and `population` (a whole number; Persian digits and
    thousands separators welcome). All or nothing: any bad line raises ApplicationError naming every
    bad line, and nothing is written. Returns how many areas were set."""
    areas = list(Area.objects.filter(platform=platform))
    by_key: dict[str, Area] = {}
    for area in areas:
        for key in (area.slug, area.name, area.name_fa):
            if key:
                by_key[key.strip().casefold()] = area
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not reader.fieldnames or {"area", "population"} - {(f or "").strip().lower() for f in reader.fieldnames}:
        raise ApplicationError(
            _("The file needs two columns with the headers “area” and “population”."), code="bad_csv", field="file"
        )
    problems: list[str] = []
    found: dict[int, int] = {}
    for number, row in enumerate(reader, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
        chosen = by_key.get(row["area"].casefold())
        digits = row["population"].translate(TO_ASCII_DIGITS).replace(",", "").replace("٬", "").replace(" ", "")
        if chosen is None:
            problems.append(_("line %(n)s: no area “%(area)s” on this platform") % {"n": number, "area": row["area"]})
        elif not digits.isdigit() or int(digits) > MAX_POPULATION:
            problems.append(
                _("line %(n)s: “%(value)s” is not a whole number of people") % {"n": number, "value": row["population"]}
            )
        else:
            found[chosen.pk] = int(digits)
    if problems:
        raise ApplicationError("; ".join(problems), code="bad_csv", field="file")
    if not found:
        raise ApplicationError(_("The file has no lines to read."), code="bad_csv", field="file")
    with transaction.atomic():
        for area in areas:
            if area.pk in found:
                area.population = found[area.pk]
                area.save(update_fields=["population"])
    return len(found)
