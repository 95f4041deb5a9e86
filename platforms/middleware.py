"""Which platform a request is for, and the language and time zone that follow from it."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from .models import Platform

# First path segments that are never a platform's slug.
RESERVED = {
    "",
    "admin",
    "accounts",
    "me",
    "browse",
    "i18n",
    "pledges",
    "payments",
    "static",
    "media",
    "api",
    "health",
    "unsubscribe",
    "questions",
}
# The language of the last platform viewed, for pages about no platform. A cookie, not the session:
# an anonymous visit writes no session row (docs/security.md).
PLATFORM_LANGUAGE_COOKIE = "civicfund_platform_language"
PLATFORM_LANGUAGE_MAX_AGE = 60 * 60 * 24 * 365
PLATFORMLESS = {"api", "admin", "static", "media", "health"}


def platform_for(request) -> Platform | None:
    """The platform of this request: by its own domain, else by the first segment of the path."""
    host = request.get_host().split(":")[0].lower()
    first = request.path_info.lstrip("/").split("/", 1)[0]
    if first in PLATFORMLESS or first == settings.CIVICFUND_ADMIN_URL.split("/", 1)[0]:
        return None  # the API, the admin and files need no platform: spare them the query
    match = Q(domain__iexact=host) & ~Q(domain="")
    if first not in RESERVED:
        match |= Q(slug=first)
    found = [p for p in Platform.objects.filter(match)]
    by_slug = next((p for p in found if p.slug == first), None)
    return by_slug or (found[0] if found else None)


def platform_locale_activate(request, platform: Platform) -> None:
    """Speak `platform`'s language (unless the visitor chose one) and show its time zone.

    The rule of the platform's own pages, for a view whose address names no platform but whose page is
    about one campaign or platform (a receipt, an owner's campaign page): call it once the object is
    loaded. Like a visit to the platform's address, it becomes the visitor's language (a cookie) for
    pages that are about no platform. The middleware ends the time zone with the request.
    """
    chosen = _chosen_language(request)
    if chosen is None and request.COOKIES.get(PLATFORM_LANGUAGE_COOKIE) != platform.language:
        request.platform_language_remembered = platform.language  # the middleware sets the cookie
    _speak(request, chosen or platform.language)
    timezone.activate(platform.tz)


def _chosen_language(request) -> str | None:
    """The language the visitor chose with the switcher (its cookie), if any."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen and translation.check_for_language(chosen) else None


def _speak(request, language: str | None) -> None:
    if language and language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language


class LanguageRestoreMiddleware:
    """Leave the thread speaking what it spoke before the request (outermost, so LocaleMiddleware's
    Content-Language still sees the request's language). Activation is per thread, and a worker or the
    test client runs the next request (or test) in the same one: without this, one Persian page left
    the next request's background work (a mail, a task run inline) in Persian."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        before = translation.get_language()
        try:
            return self.get_response(request)
        finally:
            translation.activate(before)


class PlatformLocaleMiddleware:
    """Set `request.platform`; speak the platform's language unless the visitor chose one.

    Order of preference: the language cookie (set by the language switcher), the language of the
    platform being viewed, the language of the last platform viewed (its cookie), then what
    LocaleMiddleware made of the browser's Accept-Language. Dates show in the platform's time zone.
    Views of one campaign or platform under a platformless address apply the same rule with
    `platform_locale_activate`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.platform = platform_for(request)
        if request.platform is not None:
            platform_locale_activate(request, request.platform)
        else:
            _speak(request, _chosen_language(request) or request.COOKIES.get(PLATFORM_LANGUAGE_COOKIE))
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if language := getattr(request, "platform_language_remembered", None):
            response.set_cookie(
                PLATFORM_LANGUAGE_COOKIE,
                language,
                max_age=PLATFORM_LANGUAGE_MAX_AGE,
                samesite="Lax",
                httponly=True,
                secure=settings.LANGUAGE_COOKIE_SECURE,
            )
        return response
