"""pytest settings (pyproject.toml sets DJANGO_SETTINGS_MODULE to this)."""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, DATABASES, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="django-insecure-civicfund-test-only")
ALLOWED_HOSTS = ["*"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Tests run tasks inline. A test that starts a real worker sets this to False
# (override_settings / settings fixture) for its own process.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a Celery worker subprocess can open the same test DB.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".pytest-db.sqlite3")}

if CELERY_BROKER_URL == "filesystem://":
    # Keep test messages out of the queue folder a running ./run uses.
    _test_queue = Path(
        env("CIVICFUND_BROKER_DIR", default=str(BASE_DIR / ".broker" / "test-queue"))
    )
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_test_queue),
        "data_folder_out": str(_test_queue),
        "processed_folder": str(_test_queue.parent / "test-processed"),
        "store_processed": False,
    }

# For a Celery worker subprocess started by a test: point "default" at the test
# database pytest created (CIVICFUND_USE_TEST_DATABASE=1 in the worker's env).
if env.bool("CIVICFUND_USE_TEST_DATABASE", default=False):
    _default = DATABASES["default"]
    _default["NAME"] = _default.get("TEST", {}).get("NAME") or f"test_{_default['NAME']}"
