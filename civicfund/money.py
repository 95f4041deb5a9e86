"""Money as integer minor units plus an ISO-style currency code.

One place knows each currency's exponent. Toman (IRT, not an ISO code but the unit Iranians price in)
and rial have no minor unit in practice; pounds and dollars have two.
"""

from __future__ import annotations

from dataclasses import dataclass

EXPONENTS = {"IRR": 0, "IRT": 0, "GBP": 2, "EUR": 2, "USD": 2}
SYMBOLS = {"IRR": "rial", "IRT": "toman", "GBP": "£", "EUR": "€", "USD": "$"}


def exponent(currency: str) -> int:
    try:
        return EXPONENTS[currency]
    except KeyError:
        raise ValueError(f"Unknown currency {currency!r}") from None


def percent_of(amount: int, percent: int) -> int:
    """`amount × percent / 100`, rounded down to the unit, in integer arithmetic."""
    return amount * percent // 100


def basis_points_of(amount: int, basis_points: int) -> int:
    """`amount × bp / 10000`, rounded down to the unit (1% = 100 bp)."""
    return amount * basis_points // 10_000


@dataclass(frozen=True)
class Money:
    amount: int  # minor units
    currency: str

    def __post_init__(self):
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
