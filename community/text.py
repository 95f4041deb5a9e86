"""The rules of a question's, a comment's or an answer's text: plain text, several lines allowed, no
control characters but line breaks and tabs, no bidi overrides (core.text.BIDI_CONTROLS, as titles), a
length bound and at most LINKS_MAX links (spam protection)."""

from __future__ import annotations

import re
import unicodedata

from core.text import BIDI_CONTROLS

from .models import BODY_MAX, LINKS_MAX

LINK = re.compile(r"(https?://|www\.)", re.IGNORECASE)
_ALLOWED_CONTROLS = frozenset("\n\r\t")


def body_refusal(text: str, *, limit: int = BODY_MAX) -> str:
    """Why `text` cannot be posted ("" when it can): "body_empty", "body_long", "body_control",
    "body_bidi" or "body_links"."""
    stripped = text.strip()
    if not stripped or not any(
        unicodedata.category(c) not in ("Cf", "Zs", "Zl", "Zp", "Cc", "Mn", "Me") for c in stripped
    ):
        return "body_empty"
    if len(stripped) > limit:
        return "body_long"
    for char in stripped:
        if char in BIDI_CONTROLS:
            return "body_bidi"
        if char not in _ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            return "body_control"
    if len(LINK.findall(stripped)) > LINKS_MAX:
        return "body_links"
    return ""


def body_clean(text: str) -> str:
    """The text as stored: trimmed, Windows line ends made one."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
