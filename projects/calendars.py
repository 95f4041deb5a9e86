"""Working days of a platform's calendar (DOMAIN.md, "Working days")."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


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


def payout_due_date(platform, deadline: dt.datetime) -> dt.date:
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
