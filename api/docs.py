"""The API documentation viewers (kept apart from api.base, which DRF imports while
drf-spectacular's views load)."""

from drf_spectacular.views import SpectacularRedocView


class RedocView(SpectacularRedocView):
    """Redoc from drf-spectacular-sidecar's local copy, without the web fonts drf-spectacular's page
    loads from Google, and with a Content-Security-Policy that keeps Redoc's own "powered by" logo
    (an image on cdn.redoc.ly it always asks for) from leaving the server: the docs work offline."""

    template_name = "api/redoc.html"
    schema = None  # a page about the API, not part of it
    csp = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:; font-src 'self' data:"
    )

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Content-Security-Policy"] = self.csp
        return response
