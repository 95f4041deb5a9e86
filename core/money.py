"""Money as integer minor units plus an ISO-style currency code: the one home of its rules.

One place knows each currency's exponent, the largest amount anyone may type or pledge, how a share
of an amount is rounded, how a person's typed amount becomes minor units (Latin, Persian or
Arabic-Indic digits) and how an amount is written (Latin digits in English, Persian digits in Persian).
Toman (IRT, not an ISO code but the unit Iranians price in) and rial have no minor unit in practice;
pounds and dollars have two.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .text import FA_DIGITS, TO_ASCII_DIGITS, is_fa

EXPONENTS = {"IRR": 0, "IRT": 0, "GBP": 2, "EUR": 2, "USD": 2}
SYMBOLS = {"IRR": "rial", "IRT": "toman", "GBP": "£", "EUR": "€", "USD": "$"}
# What a person calls the currency, in each language of the site.
EN_UNITS = {"IRT": "toman", "IRR": "rials", "GBP": "pounds", "EUR": "euros", "USD": "dollars"}
FA_UNITS = {"IRT": "تومان", "IRR": "ریال", "GBP": "پوند", "EUR": "یورو", "USD": "دلار"}

# The largest amount (minor units) of a pledge, a goal, a reward or a typed amount: far above any real
# one, far below BigInteger's limit. The SQL function of wallet pledges takes it from here too.
MAX_AMOUNT = 10**15


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise ValueError(f"Unknown currency {currency!r}") from None


# ISO 4217 has no toman: where a standard wants an ISO code, 1 toman is written as 10 rials.
ISO_4217_OF = {"IRT": ("IRR", 10)}


def iso_major_units(amount: int, currency: str) -> tuple[Decimal, str]:
    """`amount` (minor units of `currency`) as an exact Decimal of the major unit and an ISO 4217 code,
    for formats that want "12.50 GBP" rather than 1250 pence (360Giving): tomans become rials."""
    code, factor = ISO_4217_OF.get(currency, (currency, 1))
    return Decimal(amount * factor).scaleb(-exponent(currency)), code


# --- shares of an amount, rounded down to the unit ---------------------------------------------


def percent_of(amount: int, percent: int) -> int:
    """`amount × percent / 100`, rounded down to the unit, in integer arithmetic (a share of money)."""
    return amount * percent // 100


def basis_points_of(amount: int, basis_points: int) -> int:
    """`amount × bp / 10000`, rounded down to the unit (1% = 100 bp)."""
    return amount * basis_points // 10_000


def percent_reached(raised: int | None, goal: int | None) -> int:
    """How far `raised` is towards `goal`, in whole percent rounded down (may pass 100; 0 without a goal).
    A progress figure for people, never a share of money (that is `percent_of`)."""
    goal = int(goal or 0)
    return int(raised or 0) * 100 // goal if goal else 0


# --- the value type --------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    amount: int  # minor units
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money amounts are whole minor units (int)")
        exponent(self.currency)

    def __str__(self) -> str:
        exp = exponent(self.currency)
        sign = "-" if self.amount < 0 else ""
        whole, frac = divmod(abs(self.amount), 10**exp) if exp else (abs(self.amount), 0)
        text = f"{whole:,}" + (f".{frac:0{exp}d}" if exp else "")
        symbol = SYMBOLS.get(self.currency, self.currency)
        if len(symbol) == 1:
            return f"{sign}{symbol}{text}"
        return f"{sign}{text} {symbol}"


# --- writing amounts for people --------------------------------------------------------------


def money_text(amount: int | None, currency: str) -> str:
    """Minor units as the currency is written in the active language: "15,000 toman", "£25.00",
    "۱۵٬۰۰۰ تومان" (Persian digits and separators)."""
    amount = int(amount or 0)
    if not is_fa():
        return str(Money(amount, currency))
    exp = exponent(currency)
    sign = "−" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**exp) if exp else (abs(amount), 0)
    text = f"{whole:,}".replace(",", "٬") + (f"٫{frac:0{exp}d}" if exp else "")
    return f"{sign}{text.translate(FA_DIGITS)} {FA_UNITS.get(currency, currency)}"


def currency_unit(currency: str) -> str:
    """What a person calls the currency: "toman", "pounds"; "تومان" on a Persian page."""
    return (FA_UNITS if is_fa() else EN_UNITS).get(currency, currency)


def major_units(amount: int | str | None, currency: str) -> str:
    """Minor units as a person would type them in a form: 2550 GBP -> "25.50"."""
    if amount in (None, ""):
        return ""
    exp = exponent(currency)
    if not exp:
        return str(int(amount))  # type: ignore[arg-type]
    whole, frac = divmod(int(amount), 10**exp)  # type: ignore[arg-type]
    return f"{whole}.{frac:0{exp}d}"


# --- reading amounts people type ---------------------------------------------------------------

_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def _not_a_number(currency: str) -> ValidationError:
    """ "Enter the amount as a number, like 15000." with an example the currency can hold (25.50 for
    pounds), in the page's digits."""
    example = "15000" if exponent(currency) == 0 else "25." + "50".ljust(exponent(currency), "0")
    if is_fa():
        example = example.translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))
    return ValidationError(_("Enter the amount as a number, like %(example)s.") % {"example": example}, code="invalid")


def amount_parse(text: str, currency: str) -> int:
    """ "15,000" toman -> 15000; "25.50" GBP -> 2550; "۱۵٬۰۰۰" -> 15000. Decimal, never float.

    Raises django's ValidationError for anything that is not a positive amount the currency can hold
    (at most MAX_AMOUNT minor units).
    """
    raw = (text or "").strip().translate(TO_ASCII_DIGITS)
    raw = raw.replace("٬", "").replace(",", "").replace(" ", "").replace("\u00a0", "").replace("٫", ".")
    for symbol in ("£", "$", "€"):
        raw = raw.replace(symbol, "")
    if not raw:
        raise ValidationError(_("Enter an amount."), code="required")
    # Digits and one decimal point: Decimal would also take "1e3", "NaN" or "Infinity".
    if not _NUMBER.fullmatch(raw):
        raise _not_a_number(currency)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _not_a_number(currency) from None
    if value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    if value == 0:
        raise ValidationError(_("The amount must be more than zero."), code="zero")
    exp = exponent(currency)
    minor = value.scaleb(exp)
    if minor != minor.to_integral_value():
        if exp:
            raise ValidationError(_("Use at most %(n)s decimal places.") % {"n": exp}, code="precision")
        raise ValidationError(_("This currency has no fractions: enter a whole amount."), code="precision")
    whole = int(minor)
    if whole > MAX_AMOUNT:
        raise ValidationError(_("This amount is too large."), code="too_large")
    return whole
