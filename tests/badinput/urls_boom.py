"""The project's URLs plus one view that fails, for the 500 page's tests."""

from django.urls import path

from civicfund.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), *urlpatterns]
