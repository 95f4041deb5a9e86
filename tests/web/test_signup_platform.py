"""The "Sign up" link carries the platform it was clicked on: allauth's e-mails are then in that
platform's language even in a browser that never visited it, the confirmation link opens in that
language anywhere, and the new account lands back on the platform."""

from __future__ import annotations

import re
import uuid

import pytest
from django.core import mail
from django.test import Client

from tests.factories import mail_clear

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-pass-phrase-9"


def _form(name: str) -> dict:
    """A fresh address each: allauth sends one confirmation per address per 3 minutes (its cache
    outlives a test)."""
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.org"
    return {"email": email, "username": name, "password1": PASSWORD, "password2": PASSWORD}


def _link(body: str) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", body).group(1)


def test_the_sign_up_link_on_a_platform_page_carries_the_page(client, arts):
    page = client.get("/arts/").content.decode()
    assert 'href="/accounts/signup/?next=/arts/"' in page


def test_signing_up_from_the_persian_platform_s_link_in_a_fresh_browser_is_persian_to_the_end(client, arts):
    mail_clear()
    response = client.post("/accounts/signup/", {**_form("user1"), "next": "/arts/"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.body.startswith("سلام از سیویک‌فاند!")
    link = _link(message.body)
    assert link.endswith("?platform=arts")
    elsewhere = Client()  # the link opened on a phone that never saw the platform
    response = elsewhere.get(link, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")  # confirmed; now sign in
    assert 'lang="fa"' in response.content.decode()


def test_confirming_in_the_same_browser_signs_in_and_lands_back_on_the_platform(client, arts):
    mail_clear()
    client.post("/accounts/signup/", {**_form("dara"), "next": "/arts/"})
    (message,) = mail.outbox
    confirmed = client.get(_link(message.body))
    assert confirmed.status_code == 302 and confirmed.url == "/arts/"
    assert 'lang="fa"' in client.get(confirmed.url).content.decode()


def test_signing_up_from_an_english_platform_stays_english(client, civic):
    mail_clear()
    client.post("/accounts/signup/", {**_form("user2"), "next": "/civic/"})
    (message,) = mail.outbox
    assert message.body.startswith("Hello from civicfund!")
    assert _link(message.body).endswith("?platform=civic")


def test_a_visitor_who_chose_english_gets_english_mail_from_a_persian_platform(client, arts):
    client.cookies["django_language"] = "en"
    mail_clear()
    client.post("/accounts/signup/", {**_form("user3"), "next": "/arts/"})
    (message,) = mail.outbox
    assert message.body.startswith("Hello from civicfund!")


def test_a_next_link_to_another_site_names_no_platform(client, arts):
    mail_clear()
    client.post("/accounts/signup/", {**_form("user4"), "next": "https://evil.example/arts/"})
    (message,) = mail.outbox
    assert "?platform=" not in message.body
