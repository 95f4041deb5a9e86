"""gunicorn's settings for the Dockerfile and docker-compose (`gunicorn civicfund.wsgi -c gunicorn.conf.py`).

Responses carry no `Server: gunicorn` banner: gunicorn has no setting for it, so its response's default
headers are filtered here (this file runs in the master before the workers fork)."""

import os

from gunicorn.http import wsgi

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
# Threads per worker (gthread when > 1): a worker waiting on PostgreSQL serves another request meanwhile
# (bench/load_test.py measures with 4).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
accesslog = "-"
# The proxy in front (docs/security.md) is the only client: gunicorn's own forwarded-header handling
# stays off; Django reads X-Forwarded-Proto/For only as CIVICFUND_PROXY_SSL_HEADER / _TRUSTED_PROXIES say.
forwarded_allow_ips = ""

_default_headers = wsgi.Response.default_headers


def _default_headers_without_banner(self):
    return [line for line in _default_headers(self) if not line.lower().startswith("server:")]


wsgi.Response.default_headers = _default_headers_without_banner
