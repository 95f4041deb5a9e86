"""Safe production defaults (docs/security.md): `check --deploy` passes with the production settings and
docker-compose's environment; no fallback or short SECRET_KEY; the sandbox gateway only on a staging
site, its callbacks signed with their own secret; HTTPS, HSTS and a Content-Security-Policy on every
answer; no `Server: gunicorn` banner."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from payments.gateways import SandboxRefused, gateway_get
from payments.sandbox import sandbox_signature

ROOT = Path(__file__).resolve().parents[2]
LONG_KEY = "k3Y-" + "x9Qz" * 15  # 64 characters
SECRETS = {"SECRET_KEY": LONG_KEY, "CIVICFUND_SANDBOX_SECRET": "sandbox-secret-for-the-test"}


def compose_env(**given: str) -> dict[str, str]:
    """docker-compose.yml's application environment, its ${NAME:-default} and ${NAME:?error} resolved
    as compose would with `given` set in the shell (a missing required one raises KeyError)."""
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["x-app-env"]

    def resolve(value: str) -> str:
        def one(match: re.Match) -> str:
            name, op, rest = match.group(1), match.group(2), match.group(3)
            if name in given:
                return given[name]
            if op == ":-":
                return rest
            raise KeyError(f"compose requires {name}: {rest}")

        return re.sub(r"\$\{(\w+)(:-|:\?)([^}]*)\}", one, str(value))

    return {key: resolve(value) for key, value in raw.items()}


def run_django(env: dict[str, str], *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CIVICFUND_", "DJANGO_", "REDIS_", "DATABASE_"))}
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, env={**clean, **env}, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_production_settings_and_composes_environment():
    result = run_django(compose_env(**SECRETS), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_has_no_fallback_secret_key():
    with pytest.raises(KeyError, match="SECRET_KEY"):
        compose_env(CIVICFUND_SANDBOX_SECRET="s")


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"SECRET_KEY": "short-key"}, "SECRET_KEY must be at least 50"),
        ({"CIVICFUND_ALLOW_SANDBOX": "0"}, "CIVICFUND_ALLOW_SANDBOX=1 on a staging site"),
    ],
)
def test_production_refuses_a_short_key_and_the_sandbox_unless_staging(change, complaint):
    result = run_django({**compose_env(**SECRETS), **change}, "check")
    assert result.returncode != 0 and complaint in result.stderr


def test_the_sandbox_gateway_is_refused_where_not_allowed(settings):
    settings.CIVICFUND_ALLOW_SANDBOX = False
    with pytest.raises(SandboxRefused):
        gateway_get("sandbox")


def test_sandbox_callbacks_are_signed_with_their_own_secret(settings):
    signed = sandbox_signature("pledge=1")
    settings.SECRET_KEY = "another-" + LONG_KEY
    assert sandbox_signature("pledge=1") == signed
    settings.CIVICFUND_SANDBOX_SECRET = "another"
    assert sandbox_signature("pledge=1") != signed


HEADERS_PROBE = """
import django; django.setup()
from django.test import Client
c = Client(HTTP_HOST="localhost")
plain = c.get("/api/v1/ping/")
print("redirect", plain.status_code, plain.headers.get("Location"))
secure = c.get("/api/v1/ping/", HTTP_X_FORWARDED_PROTO="https")
print("hsts", secure.headers.get("Strict-Transport-Security"))
print("csp", secure.headers.get("Content-Security-Policy"))
"""


def test_production_redirects_to_https_and_sends_hsts_and_a_csp():
    result = run_django(compose_env(**SECRETS), code=HEADERS_PROBE)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "redirect 301 https://localhost/api/v1/ping/" in out
    assert re.search(r"hsts max-age=\d{8}", out)
    csp = next(line for line in out.splitlines() if line.startswith("csp "))
    assert "img-src 'self'" in csp and "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http:" not in csp.replace("https:", "")  # images from the site (and its media host) only


def test_a_proxy_header_is_believed_only_when_configured():
    env = {**compose_env(**SECRETS), "CIVICFUND_PROXY_SSL_HEADER": "0"}
    result = run_django(env, code=HEADERS_PROBE)
    assert "hsts None" in result.stdout  # X-Forwarded-Proto from a client does not make it HTTPS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_sends_no_server_banner():
    port = free_port()
    env = {**os.environ, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "civicfund.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/ping/", timeout=5) as response:
                    headers = response.headers
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert headers["Content-Type"].startswith("application/json")
        assert headers.get("Server") is None
    finally:
        server.terminate()
        server.wait(timeout=30)
