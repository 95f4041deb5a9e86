"""A short cache of the public pages as anonymous visitors see them (issue 12, "Under load").

Every anonymous visitor of the front page, a platform's page, its browse list or a campaign's page
gets the same HTML for the same address and language, and building it is most of a worker's time under
load (queries and template rendering, 15–20 ms of CPU a page). `anonymous_page_cache` keeps that HTML
for `CIVICFUND_ANON_PAGE_SECONDS` (production: 10 s; 0, the default elsewhere and in tests, turns it
off), keyed on the host (a platform's own domain), the path with its query string and the language.
What differs per visitor is put back on each answer: the CSRF token of the page's forms (the language
switcher) is the visitor's own, and a visitor's messages waiting (the "signed out" one after signing
out) are put where base.html marks them. Not cached: signed-in visitors, a page built for a visitor
with messages waiting (it shows them), any method but GET, any answer but a 200 or one the view gave
cookies of its own (the middleware's cookies, the CSRF and language ones, are set on every answer,
cached or not). The figures an anonymous visitor sees may be that many seconds old; a backer who
pledges is signed in and sees them fresh. A question hidden by its owner or staff is gone from every
kept page at once (core.public_pages)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

from core.public_pages import public_pages_version

_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_MARK = b"\x00csrf\x00"
_MESSAGES = b"<!--messages-->"  # where base.html puts a visitor's messages
_HEADERS = ("Content-Type", "Content-Language", "Vary")


def _cacheable(request: HttpRequest) -> bool:
    return request.method == "GET" and getattr(request, "user", None) is not None and not request.user.is_authenticated


def _with_messages(request: HttpRequest, body: bytes) -> bytes:
    """A kept page with the visitor's own messages where base.html marks them (reading them marks them
    read, as the page's own rendering would)."""
    shown = render_to_string("_messages.html", {"messages": get_messages(request)}).strip()
    return body.replace(_MESSAGES, _MESSAGES + shown.encode(), 1)


def _key(request: HttpRequest) -> str:
    address = f"{request.get_host()}|{request.get_full_path()}|{get_language()}"
    # Under the pages' version: moderation bumps it (core.public_pages), and what was kept is not found.
    return f"anon-page:{public_pages_version()}:" + hashlib.sha256(address.encode()).hexdigest()


def anonymous_page_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve `view`'s page to anonymous visitors from the cache for CIVICFUND_ANON_PAGE_SECONDS (module
    docstring: what is kept, what is put back per visitor, what is never cached)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        seconds = settings.CIVICFUND_ANON_PAGE_SECONDS
        if not seconds or not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        kept = cache.get(key)
        waiting = len(get_messages(request))  # counting does not mark them read
        if kept is not None:
            body, headers = kept
            token = get_token(request).encode()  # the visitor's own (and its cookie, if new)
            body = _with_messages(request, body) if waiting else body
            response = HttpResponse(body.replace(_MARK, token))
            for name, value in headers.items():
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if waiting:  # the page shows this visitor's messages: not kept for others
            return response
        if response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
            body = _TOKEN.sub(rb"\1" + _MARK + rb"\2", response.content)
            headers = {name: response[name] for name in _HEADERS if response.has_header(name)}
            cache.set(key, (body, headers), seconds)
        return response

    return wrapper
