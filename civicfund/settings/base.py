"""Settings shared by every environment. Everything configurable comes from the
environment through django-environ; local.py, test.py and production.py only
change defaults and harden what must be hardened.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# An optional .env at the repo root; real environment variables win over it.
if (BASE_DIR / ".env").is_file():
    env.read_env(str(BASE_DIR / ".env"))

# --- Core -------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# SECRET_KEY: set in local.py / test.py (insecure default) and production.py (required).

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "projects",
    "pledges",
    "payouts",
    "ledger",
    "payments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "civicfund.urls"
WSGI_APPLICATION = "civicfund.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------


def database_config(url: str) -> dict:
    """Turn a DATABASE_URL into a DATABASES entry with our per-engine options."""
    config = env.db_url_config(url)
    config["ATOMIC_REQUESTS"] = False
    config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # The web process and the Celery worker share one file. Wait for locks
        # instead of failing at once; IMMEDIATE makes a transaction take the write
        # lock up front so the timeout applies (a deferred read->write upgrade can
        # fail immediately with "database is locked"); WAL lets readers run
        # alongside the writer.
        config.setdefault("OPTIONS", {}).update(
            {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL;",
            }
        )
    return config


DATABASES = {
    "default": database_config(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

# --- I18N / time ------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fa", _("Persian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static / media ---------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="civicfund <noreply@civicfund.local>")

# --- Django REST framework / OpenAPI ----------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "civicfund API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Payments ---------------------------------------------------------------
CIVICFUND_PAYMENT_GATEWAY = env("CIVICFUND_PAYMENT_GATEWAY", default="sandbox")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")

# --- Celery (read by civicfund/celery.py with namespace="CELERY") -----------
REDIS_URL = env("REDIS_URL", default="")
CIVICFUND_BROKER_DIR = Path(
    env("CIVICFUND_BROKER_DIR", default=str(BASE_DIR / ".broker" / "queue"))
)

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # No server needed: messages are files in a folder shared by the web process,
    # the worker and beat. The folders are created in civicfund/celery.py.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CIVICFUND_BROKER_DIR),
        "data_folder_out": str(CIVICFUND_BROKER_DIR),
        "processed_folder": str(CIVICFUND_BROKER_DIR.parent / "processed"),
        "store_processed": False,
    }
    # The filesystem transport has no fanout exchange, which remote control needs.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False

# No result backend: tasks record their outcome in our own tables.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CLOSE_INTERVAL_SECONDS = env.float("CIVICFUND_CLOSE_INTERVAL", default=30.0)
PAYOUT_INTERVAL_SECONDS = env.float("CIVICFUND_PAYOUT_INTERVAL", default=300.0)
CELERY_BEAT_SCHEDULE = {
    "close-due-campaigns": {
        "task": "projects.tasks.close_due_campaigns",
        "schedule": CLOSE_INTERVAL_SECONDS,
    },
    "release-due-payouts": {
        "task": "payouts.tasks.release_due_payouts",
        "schedule": PAYOUT_INTERVAL_SECONDS,
    },
    "retry-pending-payments": {
        "task": "pledges.tasks.retry_pending_payments",
        "schedule": CLOSE_INTERVAL_SECONDS,
    },
}
# A refund or collection that made no progress for this long is restarted by the close job
# (its worker was killed, or its queued message lost).
CIVICFUND_RESUME_AFTER_SECONDS = env.int("CIVICFUND_RESUME_AFTER_SECONDS", default=120)
# A card pledge whose payment has had no answer for this long is retried with the same key.
CIVICFUND_PENDING_RETRY_SECONDS = env.int("CIVICFUND_PENDING_RETRY_SECONDS", default=60)
# The worker runs with an embedded beat: celery -A civicfund worker -B -s <this>.
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CIVICFUND_BEAT_FILE", default=str(BASE_DIR / ".broker" / "celerybeat-schedule")
)

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
