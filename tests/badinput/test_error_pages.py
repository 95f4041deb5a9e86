"""Styled 404 and 500 pages in the platform's language; the 500 page renders with no request context."""

from __future__ import annotations

import pytest
from django.template import loader

pytestmark = pytest.mark.django_db


def test_a_missing_page_of_a_persian_platform_is_the_styled_404_in_persian(client, charity):
    response = client.get("/charity/campaigns/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'lang="fa" dir="rtl"' in html and "css/site.css" in html
    assert "صفحه پیدا نشد" in html and "Not Found" not in html


def test_a_missing_page_elsewhere_is_the_styled_404_in_english(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and 'class="site-header"' in html


def test_a_server_error_is_the_styled_500_in_the_visitors_language(client, settings):
    settings.ROOT_URLCONF = "tests.badinput.urls_boom"
    client.raise_request_exception = False
    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'lang="fa" dir="rtl"' in html and "css/site.css" in html and "مشکلی پیش آمد" in html
    api = client.get("/api/v1/boom/")
    assert api.status_code == 500 and api.json()["code"] == "server_error"


def test_the_500_page_renders_without_a_request_or_any_context():
    html = loader.get_template("500.html").render()
    assert "Something went wrong" in html
