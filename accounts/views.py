"""Views of the accounts app that the deployment package mounts."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import admin
from django.http import HttpRequest, HttpResponse


def admin_login(request: HttpRequest, **kwargs) -> HttpResponse:
    """The admin's own login page, its password attempts limited per client address like the site's
    (ACCOUNT_RATE_LIMITS["admin_login"]; docs/security.md): too many answer 429 without checking."""
    if request.method == "POST" and (refused := ratelimit.consume_or_429(request, action="admin_login")):
        return refused
    return admin.site.login(request, **kwargs)
