from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health


@never_cache
@require_GET
def health_view(request: HttpRequest) -> JsonResponse:
    """200 while the database and the broker answer (a late job says "degraded" but still serves);
    503 otherwise, so a load balancer or a monitor can tell."""
    report, serving = health()
    response = JsonResponse(report, status=200 if serving else 503)
    # A monitor polls this every few seconds: a 503 must not mail the admins each time (the
    # django.request logger's 5xx errors do); the report itself is the alert.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
