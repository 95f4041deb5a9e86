"""Small text helpers every layer shares: Persian digits, and the spellings of Persian words people type."""

from __future__ import annotations

import unicodedata

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


# --- titles -------------------------------------------------------------------------------------
# Titles go into e-mail subjects, page titles and lists: they must be one visible line.
# Bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI) can make a title read
# backwards or spill over the text after it; the marks people need in Persian (ZWNJ U+200C, ZWJ,
# LRM U+200E, RLM U+200F, ALM U+061C) stay allowed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE_CATEGORIES = {"Cf", "Zs", "Zl", "Zp", "Cc", "Mn", "Me"}


def title_refusal(title: str) -> str:
    """Why `title` cannot be a title ("" when it can): "title_control" (a line break, tab or other
    control character, or a line/paragraph separator), "title_bidi" (a bidi override, embedding or
    isolate), "title_invisible" (nothing visible: only spaces, zero-width characters or marks)."""
    for char in title:
        if char in BIDI_CONTROLS:
            return "title_bidi"
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return "title_control"
    if title and not any(unicodedata.category(char) not in _INVISIBLE_CATEGORIES for char in title):
        return "title_invisible"
    return ""


def one_line(text: str) -> str:
    """`text` as one header-safe line: control characters, separators and bidi controls become spaces,
    runs of spaces one (an e-mail subject must never carry a line break: BadHeaderError)."""
    cleaned = "".join(
        " " if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    )
    return " ".join(cleaned.split())
