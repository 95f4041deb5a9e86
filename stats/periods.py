"""Months of a platform's calendar: Jalali on a Persian platform, Gregorian otherwise. A month is kept
as one number, year × 100 + month (140309 is Azar 1403; 202611 is November 2026)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import jdatetime
from django.utils.translation import gettext

JALALI_MONTHS_FA = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]
JALALI_MONTHS_EN = [
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
]  # fmt: skip
GREGORIAN_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


def uses_jalali(platform: Any) -> bool:
    """A Persian platform counts its months in the Jalali calendar."""
    return (platform.language or "").split("-")[0] == "fa"


def period_of_day(platform: Any, day: dt.date) -> int:
    if uses_jalali(platform):
        return _jalali_month(day)
    return day.year * 100 + day.month


@functools.lru_cache(maxsize=1024)
def _jalali_month(day: dt.date) -> int:
    """Every pledge asks for its day's month: the conversion is worth remembering."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year * 100 + j.month


def period_of(platform: Any, moment: dt.datetime) -> int:
    """The month of `moment` in the platform's time zone and calendar."""
    return period_of_day(platform, moment.astimezone(platform.tz).date())


def period_label(platform: Any, period: int, *, persian: bool) -> str:
    """ "Azar 1403" / "آذر 1403" / "November 2026" (digits are the caller's: core.text.digits)."""
    year, month = divmod(period, 100)
    if uses_jalali(platform):
        names = JALALI_MONTHS_FA if persian else JALALI_MONTHS_EN
    else:
        names = GREGORIAN_MONTHS
    name = names[month - 1]
    if persian and not uses_jalali(platform):
        name = gettext(name)
    return f"{name} {year}"


def period_iso(platform: Any, period: int) -> str:
    """The month as open data writes it: "1403-09" (Jalali) or "2026-11" (Gregorian)."""
    year, month = divmod(period, 100)
    return f"{year:04d}-{month:02d}"
