"""allauth's adapter as the site uses it: accounts.adapter's limits, plus the platform a visitor came
from. A "Sign up" or "Log in" link on a platform's page carries it (`next=/<slug>/…`); allauth's
e-mails (confirmation, password reset) are then written in that platform's language unless the
visitor chose one, and the confirmation link carries `?platform=<slug>`, so the page it opens speaks
the platform's language even in another browser (web.views.account.confirm_email) and, once signed
in, lands back on the platform."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.adapter import AccountAdapter
from platforms.models import Platform
from platforms.selectors import platform_by_slug


def platform_of_request(request: HttpRequest | None) -> Platform | None:
    """The platform the visitor is on: the page's own (middleware), else the one their `next` link
    names (its first path segment), else `?platform=` of a confirmation link."""
    if request is None:
        return None
    if (platform := getattr(request, "platform", None)) is not None:
        return platform
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        first = urlsplit(nxt).path.lstrip("/").split("/", 1)[0]
        if first and (platform := platform_by_slug(first)) is not None:
            return platform
    slug = request.GET.get("platform", "")
    return platform_by_slug(slug) if slug and len(slug) <= 50 else None


def mail_language(request: HttpRequest | None) -> str:
    """The language of an e-mail sent while serving `request`: the visitor's chosen language (the
    switcher's cookie), else their platform's, else the page's."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if chosen and chosen in dict(settings.LANGUAGES):
        return chosen
    platform = platform_of_request(request)
    if platform is not None and platform.language in dict(settings.LANGUAGES):
        return platform.language
    return translation.get_language() or settings.LANGUAGE_CODE


class PlatformAccountAdapter(AccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        with translation.override(mail_language(self.request)):
            super().send_mail(template_prefix, email, context)

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        url = super().get_email_confirmation_url(request, emailconfirmation)
        platform = platform_of_request(request)
        return f"{url}?{urlencode({'platform': platform.slug})}" if platform is not None else url

    def get_email_verification_redirect_url(self, email_address: Any) -> str:
        platform = platform_of_request(self.request)
        if platform is not None and self.request.user.is_authenticated:
            return f"/{platform.slug}/"
        return super().get_email_verification_redirect_url(email_address)
