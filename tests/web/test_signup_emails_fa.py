"""On a Persian platform, signing up is Persian to the end: the page's "confirmation e-mail sent"
message and allauth's confirmation e-mail itself."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.factories import mail_clear

pytestmark = pytest.mark.django_db


def test_signing_up_from_a_persian_platform_gets_the_confirmation_in_persian(client, arts):
    client.get("/arts/")  # a visit to the Persian platform: pages about no platform speak its language
    mail_clear()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "nava@example.org",
            "username": "nava",
            "password1": "a-long-pass-phrase-9",
            "password2": "a-long-pass-phrase-9",
        },
        follow=True,
    )
    html = response.content.decode()
    assert 'lang="fa"' in html and "ایمیل تأیید به nava@example.org فرستاده شد." in html
    (message,) = mail.outbox
    assert "تایید" in message.subject or "تأیید" in message.subject
    assert message.body.startswith("سلام از سیویک‌فاند!")
