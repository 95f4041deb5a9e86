"""Sign-up shows each error with its own field: a refused password's error follows the password
input (not above the Password label, where it read as the username's), tied to it for screen readers."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_refused_password_is_shown_with_the_password_field(client):
    html = client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "username": "newcomer", "password1": "a1b2", "password2": "a1b2"},
    ).content.decode()
    error = html.index('id="id_password1_error"')
    assert "too short" in html[error : error + 400]
    username_input = html.index('id="id_username"')
    password_label = html.index('<label for="id_password1"')
    password_input = html.index('name="password1"')
    # The error comes after the password's label and input, not between the username and that label.
    assert username_input < password_label < password_input < error
    assert 'aria-describedby="' in html[password_input - 300 : password_input + 300]
    assert "id_password1_error" in html[password_input - 300 : password_input + 300]
    assert 'id="id_username_error"' not in html
    assert 'value="newcomer"' in html  # what was typed stays
