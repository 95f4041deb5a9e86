"""The statistics as plain data: one shape for the API and the open-data files."""

from __future__ import annotations

from typing import Any

from .periods import period_iso, uses_jalali
from .selectors import Figures, PlatformStatistics


def _row(figures: Figures, *, name: str = "", name_fa: str = "") -> dict[str, Any]:
    return {
        "key": figures.key,
        "name": name,
        "name_fa": name_fa,
        "raised": figures.raised,
        "backers": figures.backers,
        "funded": figures.funded,
        "failed": figures.failed,
        "success_rate": figures.success_rate,
    }


def statistics_data(s: PlatformStatistics) -> dict[str, Any]:
    """Amounts in minor units of `currency`; months as "YYYY-MM" of `calendar` (jalali or gregorian);
    `success_rate` in whole percent of the closed campaigns (null before any close)."""
    platform = s.platform
    return {
        "platform": platform.slug,
        "currency": platform.currency,
        "calendar": "jalali" if uses_jalali(platform) else "gregorian",
        "totals": _row(s.totals),
        "by_category": [_row(f, name=f.label.name, name_fa=f.label.name_fa) for f in s.by_category],
        "by_area": [
            _row(f, name=f.label.name if f.label else "", name_fa=f.label.name_fa if f.label else "") for f in s.by_area
        ],
        "by_month": [_row(f, name=period_iso(platform, f.label)) for f in s.by_month],
    }
