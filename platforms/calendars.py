"""A platform's calendar: working days (DOMAIN.md, "Working days") and its local times."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@lru_cache(maxsize=64)
def _holidays(country: str, subdivision: str, year: int) -> frozenset[dt.date]:
    calendar = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(calendar.keys())


def is_working_day(day: dt.date, *, country: str, weekend_days: list[int], subdivision: str = "") -> bool:
    return day.weekday() not in weekend_days and day not in _holidays(country, subdivision, day.year)


def nth_working_day_after(
    day: dt.date, n: int, *, country: str, weekend_days: list[int], subdivision: str = ""
) -> dt.date:
    """The n-th working day counting from the day after `day` (n=15: the first payout's due date)."""
    if n < 1:
        return day
    found = 0
    while found < n:
        day += dt.timedelta(days=1)
        if is_working_day(day, country=country, weekend_days=weekend_days, subdivision=subdivision):
            found += 1
    return day


def payout_due_date(platform: Any, deadline: dt.datetime) -> dt.date:
    """Due date of the first payout: counted from the day after the campaign's deadline, by its date
    in the platform's time zone. The deadline, not the moment the close job ran: a close that runs
    late (a worker down for a day) must not move the owner's payday."""
    local_day = deadline.astimezone(platform.tz).date()
    return nth_working_day_after(
        local_day,
        platform.payout_delay_working_days,
        country=platform.holiday_country,
        weekend_days=list(platform.weekend_days),
        subdivision=platform.holiday_subdivision,
    )


# --- local times: a date and time without an offset is the platform's wall-clock time -----------


def local_moment(wall: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """The instant a wall-clock time (a naive datetime, or an aware one whose offset is ignored)
    means in time zone `tz`, for the owner's form and the API alike.

    A time the clocks skip when they go forward (London 2027-03-28 01:30) does not exist: raises
    ValidationError (code `nonexistent_time`) naming a time that does. A time the clocks show twice
    when they go back (London 2027-10-31 01:30) is taken as the first, the earlier instant;
    `repeated_time_note` says so to the person who typed it."""
    wall = wall.replace(tzinfo=None, fold=0)
    first = wall.replace(tzinfo=tz)
    try:
        shown = first.astimezone(dt.UTC).astimezone(tz)
    except OverflowError:  # within hours of year 1 or 9999
        raise ValidationError(
            _("There is no such date or time: %(text)s.") % {"text": f"{wall:%Y-%m-%d %H:%M}"}, code="invalid"
        ) from None
    if shown.replace(tzinfo=None) != wall:
        raise ValidationError(
            _(
                "There is no %(time)s on %(date)s in %(zone)s: the clocks go forward then. Choose another "
                "time, such as %(instead)s."
            )
            % {"time": f"{wall:%H:%M}", "date": f"{wall:%Y-%m-%d}", "zone": tz.key, "instead": f"{shown:%H:%M}"},
            code="nonexistent_time",
        )
    return first


def repeated_time_note(moment: dt.datetime, tz: zoneinfo.ZoneInfo) -> str:
    """Empty unless the wall-clock time of `moment` in `tz` happens twice (the clocks go back over it);
    then a sentence saying which of the two `moment` is."""
    local = moment.astimezone(tz)
    other = local.replace(fold=1 - local.fold)
    if other.utcoffset() == local.utcoffset():
        return ""
    values = {
        "time": f"{local:%H:%M}",
        "date": f"{local:%Y-%m-%d}",
        "zone": tz.key,
        "this": f"{local.tzname()}, UTC{_offset(local)}",
        "other": f"{other.tzname()}, UTC{_offset(other)}",
    }
    if local.fold == 0:
        return (
            _(
                "%(time)s on %(date)s happens twice in %(zone)s, as the clocks go back: it was taken as the "
                "first (%(this)s), not the second (%(other)s)."
            )
            % values
        )
    return (
        _(
            "%(time)s on %(date)s happens twice in %(zone)s, as the clocks go back: it was taken as the "
            "second (%(this)s), not the first (%(other)s)."
        )
        % values
    )


def _offset(moment: dt.datetime) -> str:
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
