"""The API's documentation pages (Swagger UI and Redoc) work offline: every request they send goes to
our own server, none to a CDN or a font service, and they show the API."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path, shown", [("/api/v1/docs/", ".swagger-ui .info .title"), ("/api/v1/redoc/", "h1")])
def test_the_api_docs_load_only_from_our_server(page, site, path, shown):
    ours = urlsplit(site.url).netloc
    elsewhere, stopped = [], []

    def foreign(request) -> bool:
        return urlsplit(request.url).scheme in ("http", "https") and urlsplit(request.url).netloc != ours

    page.on("request", lambda request: foreign(request) and elsewhere.append(request.url))
    # What the page's Content-Security-Policy stops in the browser never reaches the network.
    # (Playwright reports those as failed with the reason "csp".)
    page.on(
        "requestfailed", lambda request: foreign(request) and request.failure == "csp" and stopped.append(request.url)
    )
    page.goto(site.url + path)
    title = page.locator(shown).first
    title.wait_for()
    assert "civicfund API" in title.inner_text()
    page.wait_for_load_state("networkidle")
    assert [url for url in elsewhere if url not in stopped] == []
