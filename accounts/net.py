"""The real client address of a request, the one every limit is keyed on (docs/security.md)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, unless CIVICFUND_TRUSTED_PROXIES proxies of ours stand in front: then the address
    the outermost of them saw, read from the right of X-Forwarded-For (what a client writes on the
    left is not believed). The same rule as DRF's NUM_PROXIES and allauth's TRUSTED_PROXY_COUNT, which
    the settings set from the same number."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.CIVICFUND_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    addresses = [a.strip() for a in forwarded.split(",")]
    return addresses[-min(proxies, len(addresses))] or remote
