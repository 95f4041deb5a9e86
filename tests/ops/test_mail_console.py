"""Local mode prints every e-mail on ./run's console: allauth's sign-up confirmation (sent by the web
server) goes where the worker's receipts go (tests/ops/test_run.py shows those on ./run's console)."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_local_settings_use_the_console_backend_that_run_points_at_its_console():
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_BACKEND"}
    env["DJANGO_SETTINGS_MODULE"] = "civicfund.settings.local"
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert out == "civicfund.mail.ConsoleEmailBackend"


@override_settings(EMAIL_BACKEND="civicfund.mail.ConsoleEmailBackend")
def test_the_sign_up_confirmation_is_printed_on_the_console_run_names(client, tmp_path, monkeypatch):
    console = tmp_path / "console"
    monkeypatch.setenv("CIVICFUND_MAIL_CONSOLE", str(console))

    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "a long pass phrase 7",
            "password2": "a long pass phrase 7",
        },
    )

    assert response.status_code == 302
    printed = console.read_text()
    assert "To: new@example.org" in printed
    assert "/accounts/confirm-email/" in printed
