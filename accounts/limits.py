"""The site's own rate limits beside allauth's: one helper over allauth's limiter (ACCOUNT_RATE_LIMITS in
settings, counted in the shared cache, per person and per client address: accounts.net.client_ip via the
adapter), so every limit is declared in one place (docs/security.md)."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit


def limit_consume(request: Any, *, action: str) -> bool:
    """Count one `action` of this request's person and address; False when a limit is reached (nothing
    counted then)."""
    return bool(ratelimit.consume(request, action=action))
