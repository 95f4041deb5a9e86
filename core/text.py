"""Small text helpers every layer shares: Persian digits, and the spellings of Persian words people type."""

from __future__ import annotations

from django.utils.translation import get_language

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Persian and Arabic-Indic digits to ASCII, for numbers and dates typed on a Persian keyboard.
TO_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def is_fa() -> bool:
    """The active language is Persian."""
    return (get_language() or "en").split("-")[0] == "fa"


def digits(text: object) -> str:
    """ASCII digits to Persian ones when the page is Persian."""
    value = str(text)
    return value.translate(FA_DIGITS) if is_fa() else value


# Arabic keyboards type kaf and yeh (ك ي, and alef maksura ى) where Persian text has ک and ی.
_TO_PERSIAN = str.maketrans({"\u0643": "\u06a9", "\u064a": "\u06cc", "\u0649": "\u06cc"})
_TO_ARABIC = str.maketrans({"\u06a9": "\u0643", "\u06cc": "\u064a"})


def search_spellings(text: str) -> list[str]:
    """`text` as typed, in Persian letters and in Arabic-keyboard letters (one item when it has neither),
    and with a space, a zero-width non-joiner (ZWNJ) or nothing between the parts of a word, as people
    type "مدرسه‌ای" three ways."""
    spellings: set[str] = set()
    for joined in {text, text.replace(" ", "\u200c"), text.replace("\u200c", " "), text.replace("\u200c", "")}:
        persian = joined.translate(_TO_PERSIAN)
        spellings |= {joined, persian, persian.translate(_TO_ARABIC)}
    return sorted(spellings)
