"""The project's error views (handler400/403/404/500 in civicfund.urls, CSRF_FAILURE_VIEW in the
settings): under /api/ the API's JSON error format, elsewhere the site's styled pages in the
platform's language (templates/400.html, 403.html, 404.html, 500.html, 403_csrf.html)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views import csrf, defaults

from api.errors import api_csrf_failure, api_error_response, is_api_path


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(400, exception)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(403, exception)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_path(request.path):
        return api_error_response(404, exception)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500.html renders with no request context (context processors may be what failed)."""
    if is_api_path(request.path):
        return api_error_response(500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api_path(request.path):
        return api_csrf_failure(reason)
    return csrf.csrf_failure(request, reason)
