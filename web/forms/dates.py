"""Dates and months typed as the page writes them: Jalali on a Persian page, day first on an English one
(month first for a platform in the United States), with examples of this year. The form fields of
campaigns, rewards and guarantees use them."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import jdatetime
from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from platforms.calendars import local_moment

# Persian and Arabic-Indic digits to ASCII, for dates typed on a Persian keyboard.
_DATE_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
# 1404/05/20, 1404-5-20 14:30, 1404/05/20T14:30 (and 2025-08-11 ...): year, month, day[, hour, minute].
_DATE_RE = re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})(?:[ T،,]+(\d{1,2})[:٫.](\d{2}))?$")
# 11/08/2025 18:00 as a British platform writes it (day first; month first where the platform's country
# is the United States): day or month, month or day, year[, hour, minute].
_DMY_RE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2}))?$")


def date_example(tz: zoneinfo.ZoneInfo, *, jalali: bool, month_first: bool = False) -> str:
    """Today at 18:00 in `tz`, written as the form asks for it: the examples show this year's dates,
    computed, so they never go stale (the walkthrough found 2025 and 1404 a year on)."""
    today = timezone.localtime(timezone.now(), tz).replace(hour=18, minute=0, second=0, microsecond=0)
    return local_datetime_text(today, tz, jalali=jalali, month_first=month_first).replace("T", " ")


# In Persian a year from here on is taken as Gregorian (a pasted date); Jalali years are around 1400.
GREGORIAN_FROM_YEAR = 1800


def is_persian() -> bool:
    return (get_language() or "en").split("-")[0] == "fa"


def local_datetime_parse(text: str, tz: zoneinfo.ZoneInfo, *, jalali: bool, month_first: bool = False) -> dt.datetime:
    """A date and time typed by a person, as an aware datetime in `tz` (the platform's time zone).

    `jalali=True` (a Persian page): "۱۴۰۴/۰۵/۲۰ ۱۸:۰۰" is 20 Mordad 1404, 18:00 in `tz`, converted exactly
    with jdatetime; a year of 1800 or more is read as Gregorian. Otherwise Gregorian only: "11/08/2025 18:00",
    day first (`month_first`: the United States' order), or "2025-08-11 18:00" (year first). A date
    without a time means 00:00. The local time becomes an instant as in the API
    (`calendars.local_moment`: a time the clocks skip is refused, a repeated one is the first).
    Raises forms.ValidationError for anything else.
    """
    raw = " ".join((text or "").translate(_DATE_DIGITS).split())
    match = _DATE_RE.match(raw)
    if match:
        year, month, day = (int(g) for g in match.group(1, 2, 3))
    elif not jalali and (match := _DMY_RE.match(raw)):
        first, second, year = (int(g) for g in match.group(1, 2, 3))
        month, day = (first, second) if month_first else (second, first)
    else:
        example = date_example(tz, jalali=jalali, month_first=month_first)
        raise forms.ValidationError(_("Enter a date and time like %(example)s.") % {"example": example}, code="invalid")
    hour, minute = (int(match.group(4) or 0), int(match.group(5) or 0))
    try:
        if jalali and year < GREGORIAN_FROM_YEAR:
            naive = jdatetime.datetime(year, month, day, hour, minute).togregorian()
        else:
            naive = dt.datetime(year, month, day, hour, minute)
    except ValueError:
        raise forms.ValidationError(
            _("There is no such date or time: %(text)s.") % {"text": text.strip()}, code="invalid"
        ) from None
    return local_moment(naive, tz)


def local_datetime_text(value: dt.datetime, tz: zoneinfo.ZoneInfo, *, jalali: bool, month_first: bool = False) -> str:
    """The reverse of `local_datetime_parse`, for a form's initial value."""
    local = timezone.localtime(value, tz)
    if jalali:
        j = jdatetime.datetime.fromgregorian(datetime=local.replace(tzinfo=None))
        return f"{j.year:04d}/{j.month:02d}/{j.day:02d} {j.hour:02d}:{j.minute:02d}".translate(
            str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        )
    return local.strftime("%m/%d/%Y %H:%M" if month_first else "%d/%m/%Y %H:%M")


class PlatformDateTimeField(forms.Field):
    """A moment in the platform's time zone, typed as the platform writes dates: Jalali (Persian digits
    welcome) on a Persian page, day/month/year on an English one (month first for a platform in the
    United States). A text box, not the browser's date-time picker: the picker writes dates as the
    browser's own locale does (mm/dd/yyyy in an American browser), whatever the platform is.
    `tz`, `jalali` and `month_first` are set by the form."""

    def __init__(self, **kwargs):
        self.tz = zoneinfo.ZoneInfo("UTC")
        self.jalali = False
        self.month_first = False
        super().__init__(**kwargs)

    def setup(self, *, tz: zoneinfo.ZoneInfo, jalali: bool, month_first: bool = False) -> None:
        self.tz, self.jalali, self.month_first = tz, jalali, month_first
        example = date_example(tz, jalali=jalali, month_first=month_first)
        self.widget = forms.TextInput(
            attrs={"placeholder": example, "dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
        )
        if jalali:
            hint = _("Solar Hijri (Jalali) date and time, like %(example)s.") % {"example": example}
        elif month_first:
            hint = _("Date and time, month first, like %(example)s.") % {"example": example}
        else:
            hint = _("Date and time, day first, like %(example)s.") % {"example": example}
        self.widget.is_required = self.required
        self.help_text = f"{hint} {self.help_text}".strip() if self.help_text else hint

    def prepare_value(self, value):
        if isinstance(value, dt.datetime):
            return local_datetime_text(value, self.tz, jalali=self.jalali, month_first=self.month_first)
        return value

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 40:
            raise forms.ValidationError(
                _("Enter a date and time like %(example)s.")
                % {"example": date_example(self.tz, jalali=self.jalali, month_first=self.month_first)},
                code="invalid",
            )
        return local_datetime_parse(value, self.tz, jalali=self.jalali, month_first=self.month_first)


# 1405/09, 2027-03 (year first), 03/2027 (month first): a month typed as a person writes it.
_YEAR_MONTH_RE = re.compile(r"^(\d{4})[/\-.](\d{1,2})$")
_MONTH_YEAR_RE = re.compile(r"^(\d{1,2})[/\-.](\d{4})$")


def month_text(value: dt.date, *, jalali: bool) -> str:
    """A Gregorian month (its 1st) as the form shows it: "03/2027"; on a Persian page the Solar Hijri
    month that ends within it, "۱۴۰۵/۱۲" (each Gregorian month holds exactly one Jalali month's end, so
    the two map one to one: the Jalali month of the Gregorian month's 15th)."""
    if jalali:
        j = jdatetime.date.fromgregorian(date=value.replace(day=15))
        return f"{j.year:04d}/{j.month:02d}".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    return f"{value.month:02d}/{value.year:04d}"


def month_example(*, jalali: bool) -> str:
    """This month, as the form asks for it (never a stale year)."""
    return month_text(timezone.localdate().replace(day=1), jalali=jalali)


def month_parse(text: str, *, jalali: bool) -> dt.date:
    """A month typed by a person, as the 1st of a Gregorian month. On a Persian page "۱۴۰۵/۱۲" is the
    Solar Hijri month, taken as the Gregorian month its last day falls in (the promise is then that
    month's end: never earlier than the owner said); a year of 1800 or more is Gregorian ("2027-03").
    On an English page "03/2027" or "2027-03". Raises forms.ValidationError for anything else."""
    raw = "".join((text or "").translate(_DATE_DIGITS).split())
    if match := _YEAR_MONTH_RE.match(raw):
        year, month = int(match.group(1)), int(match.group(2))
    elif match := _MONTH_YEAR_RE.match(raw):
        month, year = int(match.group(1)), int(match.group(2))
    else:
        year = month = 0
    if not 1 <= month <= 12:
        raise forms.ValidationError(
            _("Enter a month like %(example)s.") % {"example": month_example(jalali=jalali)}, code="invalid"
        )
    if jalali and year < GREGORIAN_FROM_YEAR:
        following = jdatetime.date(year + (month == 12), month % 12 + 1, 1).togregorian()
        return (following - dt.timedelta(days=1)).replace(day=1)
    return dt.date(year, month, 1)


class PlatformMonthField(forms.Field):
    """A month as the page writes it: Solar Hijri year/month on a Persian page, month/year on an English
    one. A text box, not the browser's month picker (it speaks the browser's locale, and has no Jalali)."""

    def __init__(self, **kwargs):
        self.jalali = False
        super().__init__(**kwargs)

    def setup(self, *, jalali: bool) -> None:
        self.jalali = jalali
        example = month_example(jalali=jalali)
        self.widget = forms.TextInput(
            attrs={"placeholder": example, "dir": "ltr", "inputmode": "numeric", "autocomplete": "off"}
        )
        self.widget.is_required = self.required
        hint = (
            _("Solar Hijri (Jalali) year and month, like %(example)s.")
            if jalali
            else _("Month and year, like %(example)s.")
        ) % {"example": example}
        self.help_text = f"{hint} {self.help_text}".strip() if self.help_text else hint

    def prepare_value(self, value):
        return month_text(value, jalali=self.jalali) if isinstance(value, dt.date) else value

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 20:
            raise forms.ValidationError(
                _("Enter a month like %(example)s.") % {"example": month_example(jalali=self.jalali)}, code="invalid"
            )
        return month_parse(value, jalali=self.jalali)


class PlatformDateField(PlatformDateTimeField):
    """A day (no time) as the page writes dates: Jalali on a Persian page, day/month/year on an English
    one (month first for a platform in the United States)."""

    def setup(self, *, tz: zoneinfo.ZoneInfo, jalali: bool, month_first: bool = False) -> None:
        super().setup(tz=tz, jalali=jalali, month_first=month_first)
        example = self._example()
        self.widget.attrs["placeholder"] = example
        if jalali:
            hint = _("Solar Hijri (Jalali) date, like %(example)s.") % {"example": example}
        elif month_first:
            hint = _("Date, month first, like %(example)s.") % {"example": example}
        else:
            hint = _("Date, day first, like %(example)s.") % {"example": example}
        self.help_text = hint

    def _example(self) -> str:
        return date_example(self.tz, jalali=self.jalali, month_first=self.month_first).split(" ")[0]

    def prepare_value(self, value):
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = dt.datetime.combine(value, dt.time(12), tzinfo=self.tz)
            return local_datetime_text(value, self.tz, jalali=self.jalali, month_first=self.month_first).split(" ")[0]
        return value

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        if len(value) > 20 or ":" in value:
            raise forms.ValidationError(
                _("Enter a date like %(example)s.") % {"example": self._example()}, code="invalid"
            )
        try:
            moment = local_datetime_parse(value, self.tz, jalali=self.jalali, month_first=self.month_first)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Enter a date like %(example)s.") % {"example": self._example()}, code="invalid"
            ) from None
        return timezone.localtime(moment, self.tz).date()
