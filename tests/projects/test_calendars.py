import datetime as dt

import pytest

from platforms.calendars import is_working_day, nth_working_day_after, payout_due_date

IRAN = {"country": "IR", "weekend_days": [4]}
ENGLAND = {"country": "GB", "subdivision": "ENG", "weekend_days": [5, 6]}
D = dt.date


def test_friday_is_the_iranian_weekend_and_saturday_a_working_day():
    assert not is_working_day(D(2026, 10, 9), **IRAN)  # Friday
    assert is_working_day(D(2026, 10, 10), **IRAN)  # Saturday
    assert is_working_day(D(2026, 10, 8), **IRAN)  # Thursday


def test_counting_skips_the_iranian_friday():
    # Thursday 8 Oct 2026: Friday 9 is skipped, Saturday 10 is the first working day.
    assert nth_working_day_after(D(2026, 10, 8), 1, **IRAN) == D(2026, 10, 10)
    assert nth_working_day_after(D(2026, 10, 7), 1, **IRAN) == D(2026, 10, 8)


def test_counting_skips_an_iranian_public_holiday():
    # 22 Bahman (Islamic Revolution Day) is Wednesday 11 Feb 2026; Friday 13 is the weekend.
    assert not is_working_day(D(2026, 2, 11), **IRAN)
    assert nth_working_day_after(D(2026, 2, 9), 1, **IRAN) == D(2026, 2, 10)
    assert nth_working_day_after(D(2026, 2, 9), 2, **IRAN) == D(2026, 2, 12)
    assert nth_working_day_after(D(2026, 2, 9), 3, **IRAN) == D(2026, 2, 14)


def test_counting_skips_the_uk_weekend():
    # Friday 9 Oct 2026 → Monday 12 Oct.
    assert nth_working_day_after(D(2026, 10, 9), 1, **ENGLAND) == D(2026, 10, 12)
    assert is_working_day(D(2026, 10, 9), **ENGLAND)  # a Friday works in England


def test_counting_skips_christmas_boxing_day_and_the_observed_boxing_day():
    # Christmas is Friday 25 Dec 2026, Boxing Day Saturday 26, observed Monday 28.
    assert not is_working_day(D(2026, 12, 25), **ENGLAND)
    assert not is_working_day(D(2026, 12, 28), **ENGLAND)
    assert nth_working_day_after(D(2026, 12, 23), 1, **ENGLAND) == D(2026, 12, 24)
    assert nth_working_day_after(D(2026, 12, 23), 2, **ENGLAND) == D(2026, 12, 29)
    assert nth_working_day_after(D(2026, 12, 23), 3, **ENGLAND) == D(2026, 12, 30)


def test_counting_crosses_into_the_next_year_with_its_holidays():
    # 31 Dec 2026 (Thu) → New Year's Day Friday 1 Jan 2027 is a holiday → Monday 4 Jan.
    assert nth_working_day_after(D(2026, 12, 31), 1, **ENGLAND) == D(2027, 1, 4)


def test_counting_starts_the_day_after_even_when_that_day_is_a_working_day():
    monday = D(2026, 10, 12)
    assert nth_working_day_after(monday, 1, **ENGLAND) == D(2026, 10, 13)


def test_first_payout_is_due_on_the_fifteenth_iranian_working_day(arts):
    # Closed Tuesday 6 Oct 2026 (Tehran). Fridays 9, 16 and 23 are skipped: 15th day = Sat 24 Oct.
    closed_at = dt.datetime(2026, 10, 6, 12, 0, tzinfo=dt.UTC)
    assert payout_due_date(arts, closed_at) == D(2026, 10, 24)


def test_close_at_21_utc_is_already_the_next_day_in_tehran(arts):
    # 21:00 UTC on Monday 5 Oct is 00:30 on Tuesday 6 Oct in Tehran (UTC+3:30).
    late = dt.datetime(2026, 10, 5, 21, 0, tzinfo=dt.UTC)
    early = dt.datetime(2026, 10, 5, 20, 29, tzinfo=dt.UTC)  # 23:59 in Tehran, still Monday
    assert payout_due_date(arts, late) == D(2026, 10, 24)
    assert payout_due_date(arts, early) == D(2026, 10, 22)


def test_first_payout_on_the_civic_portal_skips_uk_weekends_and_christmas(civic):
    # Closed Friday 11 Dec 2026 in London. Working days: 14-18 (5), 21-24 (9), 29-31 (12),
    # 1 Jan 2027 is a holiday, 4-6 Jan (15).
    closed_at = dt.datetime(2026, 12, 11, 17, 0, tzinfo=dt.UTC)
    assert payout_due_date(civic, closed_at) == D(2027, 1, 6)


@pytest.mark.parametrize("n", [0, -1])
def test_no_delay_means_due_on_the_close_day(n):
    assert nth_working_day_after(D(2026, 10, 9), n, **IRAN) == D(2026, 10, 9)
