"""Passwords are stored as Argon2id with OWASP's parameters; older PBKDF2 hashes still sign in and are
rewritten at that sign-in (accounts/hashers.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password

from civicfund.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS  # the test settings' fast MD5 stands in elsewhere


def test_a_new_password_is_stored_as_argon2id_19_mib_2_passes_1_lane():
    user = UserFactory()
    user.set_password("a long pass phrase")
    user.save()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert authenticate(username=user.username, password="a long pass phrase") == user
    assert authenticate(username=user.username, password="a wrong pass phrase") is None


def test_an_older_pbkdf2_password_still_signs_in_and_is_rewritten_as_argon2id():
    user = UserFactory()
    user.password = make_password("a long pass phrase", hasher="pbkdf2_sha256")
    user.save()
    assert authenticate(username=user.username, password="a long pass phrase") == user
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert authenticate(username=user.username, password="a long pass phrase") == user
