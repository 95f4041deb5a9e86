"""The log-in, sign-up and password-reset pages in Persian are formal (no "یه حساب نساختی") and write
their numbers in Persian digits (a password of at least ۸ characters, not 8)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

INFORMAL = ["یه حساب", "نساختی", "داری؟", "کن.", "فراموش کرده‌ای؟", "گذرواژه‌ات", "تماس بگیر."]


def persian_page(client, url) -> str:
    client.cookies["django_language"] = "fa"
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fa"' in html
    return html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0]


def visible(html: str) -> str:
    """The page's text and the text of its placeholders, without the markup's own numbers."""
    placeholders = " ".join(re.findall(r'placeholder="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + placeholders


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_account_pages_speak_formal_persian_with_persian_digits(client, url):
    text = visible(persian_page(client, url))
    assert [word for word in INFORMAL if word in text] == []
    assert re.findall(r"[0-9]", text) == []


def test_login_page_invites_to_sign_up_formally(client):
    text = visible(persian_page(client, "/accounts/login/"))
    assert "اگر هنوز حساب کاربری ندارید، لطفاً نخست" in text
    assert "گذرواژه خود را فراموش کرده‌اید؟" in text


def test_signup_page_states_the_password_length_in_persian_digits(client):
    text = visible(persian_page(client, "/accounts/signup/"))
    assert "حساب کاربری دارید؟ لطفاً" in text
    assert "گذرواژه شما باید دست‌کم ۸ نویسه داشته باشد." in text


def test_too_short_a_password_is_refused_in_persian_digits(client):
    client.cookies["django_language"] = "fa"
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "username": "newcomer", "password1": "a1b2", "password2": "a1b2"},
    )
    html = response.content.decode()
    assert "این گذرواژه بیش از حد کوتاه است و باید دست‌کم ۸ نویسه داشته باشد." in html


def test_login_asks_for_a_username_or_e_mail(client):
    text = visible(persian_page(client, "/accounts/login/"))
    assert "نام کاربری یا ایمیل" in text and "ورود:" not in text


def test_the_reset_e_mail_is_signed_by_civicfund_not_the_server_s_address(client):
    from django.core import mail

    from tests.factories import UserFactory, mail_clear

    UserFactory(username="forgetful", email="forgetful@example.org")
    mail_clear()
    client.cookies["django_language"] = "fa"
    response = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"}, follow=True)
    assert "لطفاً پوشه‌ی هرزنامه" in response.content.decode()
    (message,) = mail.outbox
    assert message.body.startswith("سلام از سیویک‌فاند!")
    assert "testserver!" not in message.body
