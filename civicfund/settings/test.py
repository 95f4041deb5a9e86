"""pytest settings (pyproject.toml sets DJANGO_SETTINGS_MODULE to this)."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, DATABASES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="django-insecure-civicfund-test-only")
ALLOWED_HOSTS = ["*"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# High enough that no test trips them by accident; tests/api/test_throttling.py sets its own.
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"pledge": "100000/min", "token": "100000/min"}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test process counts its throttles in its own memory (tests clear it; no flush of a shared Redis
# database, no cache queries in the query counts). tests/accounts checks the shared cache itself.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Uploaded test pictures go to a temporary folder, never the developer's media/.
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(Path(tempfile.gettempdir()) / "civicfund-test-media")))
CIVICFUND_PRIVATE_MEDIA_ROOT = Path(tempfile.gettempdir()) / "civicfund-test-private-media"

# Tests run tasks inline. A test that starts a real worker sets this to False
# (override_settings / settings fixture) for its own process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# Every commit sends its e-mails at once (inline, with the eager tasks above).
CIVICFUND_OUTBOX_KICK_SECONDS = 0.0
# Every counting pledge checks its campaign's milestones at once; the question form takes no wait
# (tests/community sets both where it tests them).
CIVICFUND_MILESTONE_SECONDS = 0
CIVICFUND_QUESTION_MIN_SECONDS = 0
# Tests restart unfinished refunds at once; tests/projects/test_resume.py sets the delay itself.
CIVICFUND_RESUME_AFTER_SECONDS = env.int("CIVICFUND_RESUME_AFTER_SECONDS", default=0)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a Celery worker subprocess can open the same test DB. It sits next to
    # the DATABASE_URL's file (db.sqlite3 -> .pytest-db.sqlite3), so runs with different
    # DATABASE_URLs never share (and delete) each other's test database.
    _sqlite_name = str(DATABASES["default"].get("NAME") or "")
    if _sqlite_name in ("", ":memory:") or _sqlite_name.startswith("file:"):
        _sqlite_test_name = BASE_DIR / ".pytest-db.sqlite3"
    else:
        _sqlite_test_name = Path(_sqlite_name).with_name(f".pytest-{Path(_sqlite_name).name}")
    DATABASES["default"]["TEST"] = {"NAME": str(_sqlite_test_name)}

if CELERY_BROKER_URL == "civicfs://":
    # Keep test messages out of the queue folder a running ./run uses.
    _test_queue = Path(env("CIVICFUND_BROKER_DIR", default=str(BASE_DIR / ".broker" / "test-queue")))
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_test_queue),
        "data_folder_out": str(_test_queue),
        "processed_folder": str(_test_queue.parent / "test-processed"),
        "store_processed": False,
        # exchange tables; the default is ./control in the working directory
        "control_folder": str(_test_queue.parent / "control"),
        # An empty queue is polled this often (seconds): the default 1 s delays every task.
        "polling_interval": 0.2,
    }

# For a Celery worker subprocess started by a test: point "default" at the test
# database pytest created (CIVICFUND_USE_TEST_DATABASE=1 in the worker's env).
# CIVICFUND_TEST_DATABASE_NAME names it exactly (the test passes the name pytest-django really
# used, which may carry a suffix such as pytest-xdist's "_gw0").
if env.bool("CIVICFUND_USE_TEST_DATABASE", default=False):
    # Its e-mails: locmem would keep them in the worker's memory; tests/ops/test_run.py prints them.
    EMAIL_BACKEND = env("EMAIL_BACKEND", default=EMAIL_BACKEND)
    _default = DATABASES["default"]
    _default["NAME"] = (
        env("CIVICFUND_TEST_DATABASE_NAME", default="")
        or _default.get("TEST", {}).get("NAME")
        or f"test_{_default['NAME']}"
    )
