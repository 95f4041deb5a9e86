"""Which platform a request is for, and the language and time zone that follow from it."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from .models import Platform

# First path segments that are never a platform's slug.
RESERVED = {"", "admin", "accounts", "me", "browse", "i18n", "pledges", "payments", "static", "media", "api"}
SESSION_KEY = "civicfund_platform_language"
PLATFORMLESS = {"api", "admin", "static", "media"}


def platform_for(request) -> Platform | None:
    """The platform of this request: by its own domain, else by the first segment of the path."""
    host = request.get_host().split(":")[0].lower()
    first = request.path_info.lstrip("/").split("/", 1)[0]
    if first in PLATFORMLESS:
        return None  # the API, the admin and files need no platform: spare them the query
    match = Q(domain__iexact=host) & ~Q(domain="")
    if first not in RESERVED:
        match |= Q(slug=first)
    found = [p for p in Platform.objects.filter(match)]
    by_slug = next((p for p in found if p.slug == first), None)
    return by_slug or (found[0] if found else None)


class PlatformLocaleMiddleware:
    """Set `request.platform`; speak the platform's language unless the visitor chose one.

    Order of preference: the language cookie (set by the language switcher), the language of the
    platform being viewed, the language of the last platform viewed in this session, then what
    LocaleMiddleware made of the browser's Accept-Language. Dates show in the platform's time zone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.platform = platform_for(request)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = None
        if chosen and translation.check_for_language(chosen):
            language = chosen
        elif request.platform is not None:
            language = request.platform.language
            if hasattr(request, "session") and request.session.get(SESSION_KEY) != language:
                request.session[SESSION_KEY] = language
        elif hasattr(request, "session"):
            language = request.session.get(SESSION_KEY)
        if language and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        if request.platform is not None:
            timezone.activate(request.platform.tz)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
