"""The API's one error format, and the one place domain errors become HTTP responses.

Every error body is `{"status": 4xx, "code": "...", "message": "...", "fields": {...}}`: the
ApplicationError family from the services, and DRF's own validation, authentication, permission,
throttling and not-found errors alike.
"""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core import errors

# Domain error class → HTTP status; the most specific class wins (checked in this order).
STATUS_FOR = [
    (errors.PaymentDeclined, status.HTTP_402_PAYMENT_REQUIRED),
    (errors.InsufficientFunds, status.HTTP_422_UNPROCESSABLE_ENTITY),
    (errors.PledgeRefused, status.HTTP_422_UNPROCESSABLE_ENTITY),
    (errors.InvalidTransition, status.HTTP_409_CONFLICT),
    (errors.PermissionDenied, status.HTTP_403_FORBIDDEN),
    (errors.ApplicationError, status.HTTP_400_BAD_REQUEST),
]
# Codes that name a state the request collided with rather than bad input.
CONFLICT_CODES = {
    "not_draft",
    "not_live",
    "already_reviewed",
    "deadline_passed",
    "idempotency_key_reused",
    "payment_confirmed",
}
# The payment provider did not answer: nothing changed, the same request may be sent again later.
UNAVAILABLE_CODES = {"provider_unavailable"}


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (documented on every operation of the schema)."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(  # type: ignore[assignment]  # the body's key, not Serializer.fields
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field name → messages; empty when the error is not about one field.",
    )


def error_body(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"status": status_code, "code": code, "message": message, "fields": fields or {}}


def application_error_status(exc: errors.ApplicationError) -> int:
    if isinstance(exc, errors.PermissionDenied) and exc.code == "not_found":
        return status.HTTP_404_NOT_FOUND
    if exc.code in CONFLICT_CODES:
        return status.HTTP_409_CONFLICT
    if exc.code in UNAVAILABLE_CODES:
        return status.HTTP_503_SERVICE_UNAVAILABLE
    for cls, code in STATUS_FOR:
        if isinstance(exc, cls):
            return code
    return status.HTTP_400_BAD_REQUEST


def _flatten(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _first_code(codes) -> str:
    while isinstance(codes, dict | list) and codes:
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return codes if isinstance(codes, str) and codes else "invalid"


def _validation_body(exc: exceptions.ValidationError, status_code: int) -> dict:
    detail = exc.detail
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            if name in ("non_field_errors", "detail"):
                general += _flatten(value)
            else:
                fields[name] = _flatten(value)
    else:
        general = _flatten(detail)
    if general:
        message = general[0]
    elif fields:
        name, messages = next(iter(fields.items()))
        message = f"{name}: {messages[0]}" if messages else "Invalid input."
    else:
        message = "Invalid input."
    code = "invalid" if fields else _first_code(exc.get_codes())
    return error_body(status_code, code, message, fields)


def api_exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: map every error to the one body. Unknown exceptions
    return None, so they stay server errors (and reach the logs)."""
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        refused = api_error_response(400, exc)
        return Response(json.loads(refused.content), status=refused.status_code)
    if isinstance(exc, errors.ApplicationError):
        code = application_error_status(exc)
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(error_body(code, exc.code, exc.message, fields), status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc, response.status_code)
    else:
        detail = getattr(exc, "detail", str(exc))
        messages = _flatten(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(response.status_code, _first_code(codes), messages[0] if messages else "Error.")
    return response


def api_not_found(request, *args, **kwargs):
    """Unknown paths under /api/v1/ (and ids that are not whole numbers) answer in the API's format,
    not with the HTML 404 page. Exempt from the CSRF check: there is nothing here to protect, and a
    POST to a wrong path should say the path is wrong."""
    return JsonResponse(error_body(404, "not_found", "No such API endpoint."), status=404)


api_not_found.csrf_exempt = True  # type: ignore[attr-defined]


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


def api_error_response(status_code: int, exception: BaseException | None = None) -> JsonResponse:
    """The error answers Django gives before (or outside) a DRF view, in the API's format: the
    project's handler400/403/404/500 and CSRF failure view call this for paths under /api/."""
    if isinstance(exception, RequestDataTooBig):
        return JsonResponse(
            error_body(413, "request_too_large", "The request body is larger than this server accepts."), status=413
        )
    if isinstance(exception, TooManyFieldsSent):
        return JsonResponse(error_body(400, "too_many_fields", "The request has too many fields."), status=400)
    code, message = {
        400: ("bad_request", "Bad request."),
        403: ("permission_denied", "You do not have permission to perform this action."),
        404: ("not_found", "Not found."),
        500: ("server_error", "Server error: the request was not completed. Try again later."),
    }.get(status_code, ("error", "Error."))
    return JsonResponse(error_body(status_code, code, message), status=status_code)


def api_csrf_failure(reason: str) -> JsonResponse:
    return JsonResponse(
        error_body(
            403,
            "csrf_failed",
            f"CSRF Failed: {reason}. Use a token (Authorization: Token ...) or "
            "send the CSRF cookie's value in the X-CSRFToken header.",
        ),
        status=403,
    )
