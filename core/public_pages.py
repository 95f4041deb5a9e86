"""The version of the public pages kept for anonymous visitors (web.page_cache keys them on it).

Moderation that hides something bumps it, so no kept page shows what was hidden for the rest of its
few seconds: every kept page is dropped at once (moderation is rare; the pages are rebuilt on their next
visit). Any layer may bump it: it lives here, at the bottom, in the shared cache."""

from __future__ import annotations

from django.core.cache import cache

KEY = "anon-page-version"


def public_pages_version() -> int:
    return int(cache.get(KEY) or 0)


def public_pages_changed() -> None:
    """Drop every page kept for anonymous visitors (call it once the change is committed)."""
    try:
        cache.incr(KEY)
    except ValueError:  # not there yet (or evicted): any new value differs from what pages were kept under
        cache.set(KEY, public_pages_version() + 1, None)
