"""The public statistics of a platform, read from the maintained tallies only (a few hundred rows
whatever the number of pledges): totals, and the same figures by category, by area and by month."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Sum

from core.money import percent_reached
from platforms.models import Area, Category, Platform

from .models import Tally
from .periods import period_iso


@dataclass
class Figures:
    """One row of a statistics table. `success_rate`: percent of the campaigns closed (funded +
    failed) that were funded; None before any close."""

    key: str
    label: Any  # a Category, an Area, a month number, or "" for the platform's totals
    raised: int = 0
    backers: int = 0
    funded: int = 0
    failed: int = 0
    label_text: str = ""  # the label as a page shows it (set by the page)
    bar: int = 0  # its bar's length in a chart, percent of the largest (`bars_set`)

    @property
    def closed(self) -> int:
        return self.funded + self.failed

    @property
    def success_rate(self) -> int | None:
        return round(self.funded * 100 / self.closed) if self.closed else None


@dataclass
class PlatformStatistics:
    platform: Platform
    totals: Figures
    by_category: list[Figures]
    by_area: list[Figures]
    by_month: list[Figures]


_SUMS = {"raised": Sum("raised"), "backers": Sum("backers"), "funded": Sum("funded"), "failed": Sum("failed")}


def _figures(key: str, label: Any, row: dict[str, Any] | None) -> Figures:
    row = row or {}
    return Figures(
        key=key,
        label=label,
        raised=row.get("raised") or 0,
        backers=row.get("backers") or 0,
        funded=row.get("funded") or 0,
        failed=row.get("failed") or 0,
    )


def platform_figures(platform: Platform) -> Figures:
    """A platform's totals (its home page): one aggregate over its tallies."""
    return _figures("", "", Tally.objects.filter(platform=platform).aggregate(**_SUMS))


def platforms_figures() -> dict[int, Figures]:
    """Every platform's totals by its id (the front page), one grouped query over the tallies: a
    platform without a tally row is absent (the page shows zeros)."""
    rows = Tally.objects.values("platform_id").annotate(**_SUMS).order_by()
    return {row["platform_id"]: _figures("", "", row) for row in rows}


def platform_statistics(platform: Platform) -> PlatformStatistics:
    """Totals and the figures by category (every category, even empty), by area (areas with any
    figure, then "no area"), and by month (oldest first): four small queries on the tallies."""
    tallies = Tally.objects.filter(platform=platform).order_by()
    by_category = {r["category_id"]: r for r in tallies.values("category_id").annotate(**_SUMS)}
    by_area = {r["area_id"]: r for r in tallies.values("area_id").annotate(**_SUMS)}
    by_month = tallies.values("period").annotate(**_SUMS).order_by("period")
    categories = list(Category.objects.filter(platform=platform))
    areas = {a.pk: a for a in Area.objects.filter(platform=platform, pk__in=[k for k in by_area if k])}
    area_rows = [_figures(areas[k].slug, areas[k], r) for k, r in by_area.items() if k in areas]
    area_rows.sort(key=lambda f: (-f.raised, f.label.name))
    if None in by_area:
        area_rows.append(_figures("", None, by_area[None]))
    return PlatformStatistics(
        platform=platform,
        totals=platform_figures(platform),
        by_category=sorted(
            (_figures(c.slug, c, by_category.get(c.pk)) for c in categories), key=lambda f: (-f.raised, f.label.name)
        ),
        by_area=area_rows,
        by_month=[_figures(period_iso(platform, r["period"]), r["period"], r) for r in by_month],
    )


def bars_set(rows: list[Figures], field: str = "raised") -> list[Figures]:
    """Set each row's `bar`: its `field` in whole percent of the largest (0 when nothing is positive)."""
    top = max((getattr(r, field) for r in rows), default=0)
    for row in rows:
        row.bar = min(100, percent_reached(max(getattr(row, field), 0), top)) if top > 0 else 0
    return rows
