"""What is throttled, keyed on whom (docs/security.md): the real client address, one number of trusted
proxies, counts shared by every worker, the admin's login limited, no owner locked out by a guesser."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import clear_url_caches
from rest_framework.test import APIClient

from tests.factories import StaffFactory, UserFactory
from tests.web.conftest import verified

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
WRONG = {"username": "backer", "password": "wrong"}
DB_CACHE = "django.core.cache.backends.db.DatabaseCache"


@pytest.fixture
def tight(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"pledge": "3/min", "token": "3/min"},
    }
    cache.clear()
    yield settings
    cache.clear()


def guesses(client, n, *, forwarded_for=lambda i: f"203.0.113.{i}", remote="198.51.100.7"):
    return [
        client.post(
            TOKEN_URL, WRONG, format="json", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for(i)
        ).status_code
        for i in range(n)
    ]


def test_a_new_x_forwarded_for_on_each_guess_does_not_escape_the_token_throttle(tight, backer):
    assert guesses(APIClient(), 6)[3:] == [429, 429, 429]


def test_behind_one_trusted_proxy_each_client_has_its_own_count(tight, backer):
    tight.CIVICFUND_TRUSTED_PROXIES = 1
    client = APIClient()
    # The same client (the proxy's view, rightmost) whatever it wrote itself on the left: throttled.
    assert guesses(client, 5, forwarded_for=lambda i: f"10.9.9.{i}, 203.0.113.50")[3:] == [429, 429]
    # Another client behind the same proxy is not.
    assert guesses(client, 1, forwarded_for=lambda i: "203.0.113.51") == [400]


def test_the_admin_login_is_limited_per_client_address(client, db):
    StaffFactory(username="boss", is_superuser=True)
    cache.clear()
    codes = [
        client.post(
            "/admin/login/", {"username": "boss", "password": f"guess{i}"}, REMOTE_ADDR="198.51.100.9"
        ).status_code
        for i in range(12)
    ]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]
    # another address may still sign in
    ok = client.post(
        "/admin/login/?next=/admin/", {"username": "boss", "password": "secret"}, REMOTE_ADDR="198.51.100.10"
    )
    assert ok.status_code == 302
    cache.clear()


def site_login(client, login, password, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password}, **extra)


def test_failed_logins_behind_a_proxy_lock_out_only_the_guesser_not_everyone(client, settings):
    settings.CIVICFUND_TRUSTED_PROXIES = 1
    cache.clear()
    owner = verified(UserFactory(username="mina"))
    for i in range(12):  # twelve people mistyping behind the site's proxy, within a minute
        site_login(client, f"someone{i}", "wrong", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")
    response = site_login(client, "mina", "secret", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)
    cache.clear()


def test_guessing_an_accounts_password_does_not_lock_its_owner_out(client):
    cache.clear()
    owner = verified(UserFactory(username="mina"))
    for _ in range(5):
        site_login(client, "mina", "wrong", REMOTE_ADDR="203.0.113.66")
    # the guesser is now refused even the right password ...
    refused = site_login(client, "mina", "secret", REMOTE_ADDR="203.0.113.66")
    assert refused.status_code == 200 and "_auth_user_id" not in client.session
    # ... the owner, from their own address, signs in
    response = site_login(client, "mina", "secret", REMOTE_ADDR="198.51.100.20")
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(owner.pk)
    cache.clear()


def test_throttle_counts_go_to_the_shared_database_cache_without_redis(tight, backer):
    """Without REDIS_URL the throttles count in a table (accounts' migration makes it), which every
    gunicorn worker reads: one worker's guesses count against the others'."""
    tight.CACHES = {"default": {"BACKEND": DB_CACHE, "LOCATION": "civicfund_cache"}}
    assert guesses(APIClient(), 4) == [400, 400, 400, 429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM civicfund_cache")
        assert cursor.fetchone()[0] >= 1


def settings_of(module: str, **env: str) -> str:
    """Print a setting as `module` computes it from `env` (a fresh process, as a deployment starts)."""
    base = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    base.update(env, DJANGO_SETTINGS_MODULE=module)
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run(
        [sys.executable, "-c", code], env=base, capture_output=True, text=True, check=True, cwd=django_settings.BASE_DIR
    ).stdout.strip()


PRODUCTION_ENV = {
    "SECRET_KEY": "k3Y-" + "x9Qz" * 15,
    "DATABASE_URL": "sqlite:////tmp/x.sqlite3",
    "ALLOWED_HOSTS": "example.org",
    "CIVICFUND_PAYMENT_GATEWAY": "stripe",
}


def test_production_throttles_share_redis_or_the_database_never_a_workers_memory():
    assert settings_of("civicfund.settings.production", **PRODUCTION_ENV, REDIS_URL="redis://127.0.0.1:6379/9") == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert settings_of("civicfund.settings.production", **PRODUCTION_ENV) == DB_CACHE
    assert settings_of("civicfund.settings.local") == DB_CACHE


def test_load_demo_refuses_under_production_settings(settings):
    settings.CIVICFUND_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("load_demo")
    assert not UserFactory._meta.model.objects.filter(username="admin").exists()


@pytest.fixture
def admin_moved(settings):
    import civicfund.urls

    settings.CIVICFUND_ADMIN_URL = "backoffice-7f3a/"
    importlib.reload(civicfund.urls)
    clear_url_caches()
    yield
    settings.CIVICFUND_ADMIN_URL = "admin/"
    importlib.reload(civicfund.urls)
    clear_url_caches()


def test_the_admins_address_is_a_setting(admin_moved, client):
    StaffFactory(username="boss", is_superuser=True)
    assert client.get("/backoffice-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
