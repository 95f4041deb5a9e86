"""API tokens (docs/security.md): a lifetime, listed and revoked on the account page, all revoked when
the password changes or is reset."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_expires_after_its_lifetime_and_a_new_one_is_issued(settings, anon, backer):
    settings.CIVICFUND_API_TOKEN_DAYS = 30
    client = client_for(backer)
    assert client.get("/api/v1/pledges/").status_code == 200
    Token.objects.filter(user=backer).update(created=dt.datetime.now(dt.UTC) - dt.timedelta(days=31))
    expired = client.get("/api/v1/pledges/")
    assert expired.status_code == 401 and "expired" in expired.json()["message"]
    old = Token.objects.get(user=backer).key
    fresh = anon.post("/api/v1/auth/token/", {"username": "backer", "password": "secret"}, format="json").json()
    assert fresh["token"] != old
    renewed = APIClient()
    renewed.credentials(HTTP_AUTHORIZATION=f"Token {fresh['token']}")
    assert renewed.get("/api/v1/pledges/").status_code == 200


def test_the_account_page_lists_and_revokes_the_tokens(client, backer):
    api = client_for(backer)
    key = Token.objects.get(user=backer).key
    client.force_login(backer)
    page = client.get("/me/account/")
    assert page.status_code == 200 and key[:6] in page.text and key not in page.text
    client.post("/me/account/")
    assert api.get("/api/v1/pledges/").status_code == 401
    assert "You have no API token." in client.get("/me/account/").text


def test_a_password_change_revokes_every_token(client, backer):
    api = client_for(backer)
    client.force_login(backer)
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "secret", "password1": "a-new-Long-pass-9", "password2": "a-new-Long-pass-9"},
    )
    assert response.status_code == 302
    assert api.get("/api/v1/pledges/").status_code == 401


def test_a_password_reset_revokes_every_token(client):
    user = UserFactory(username="forgetful")
    api = client_for(user)
    client.post("/accounts/password/reset/", {"email": user.email})
    link = next(word for word in mail.outbox[-1].body.split() if "/accounts/password/reset/key/" in word)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"password1": "a-new-Long-pass-9", "password2": "a-new-Long-pass-9"})
    user.refresh_from_db()
    assert user.check_password("a-new-Long-pass-9")
    assert api.get("/api/v1/pledges/").status_code == 401
