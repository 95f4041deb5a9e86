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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    # Ours, bottom layer first (docs/architecture.md): core's app label is "civicfund" (the outbox's table).
    "core",
    "accounts",  # API tokens, staff groups, the client address and the limits (docs/security.md)
    "ledger",
    "payments",
    "platforms",
    "projects",
    "decisions",  # the public decision log, written by every app above it
    "pledges",
    "payouts",
    "funding",
    "presale",  # pre-sale trust: bank guarantees, reward delivery, backer claims
    "partners",  # organisations, match-funding pots and open calls (issue 13)
    "impact",  # accountability and impact: the lifecycle's decisions, indicators, upkeep, report reminders
    "community",  # following campaigns (milestone e-mails, one-click unsubscribe), questions and answers
    "stats",  # statistics kept in step with the money, participation, open data
    "web",  # the site: views, forms, template tags, every ModelAdmin (web.admin)
    "ops",  # /health/, the scheduled jobs' last runs, the admin's warning when the close job is late
]

MIDDLEWARE = [
    # Outermost: the thread's language is put back after each request (a page never leaks its language).
    "platforms.middleware.LanguageRestoreMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # After LocaleMiddleware: a platform's own language and time zone when the visitor chose none.
    "platforms.middleware.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "civicfund.urls"
# Under /api/ a CSRF failure answers in the API's JSON format; elsewhere the site's page.
CSRF_FAILURE_VIEW = "civicfund.handlers.csrf_failure"
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
                "web.context_processors.site",
            ],
        },
    },
    # Plain-text e-mails (core.outbox.mail_send renders with using="text"): no HTML escaping, so
    # "Park & Ride" reads as typed, not "Park &amp; Ride".
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
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
    {"NAME": "web.account_wording.MinimumLengthPersianDigitsValidator"},  # "۸" on Persian pages
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id (accounts/hashers.py says why and with which parameters); PBKDF2 kept to read older hashes,
# each rewritten as Argon2id when its owner next signs in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# django-allauth: sign up with an e-mail address that must be verified before logging in.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "web.account_adapter.PlatformAccountAdapter"

# --- Who is asking: proxies, limits, the shared cache (docs/security.md) -------
# How many proxies of ours stand in front of the app and append to X-Forwarded-For. 0 (the default):
# X-Forwarded-For is ignored and the client is REMOTE_ADDR, so a client cannot pick its own address.
CIVICFUND_TRUSTED_PROXIES = env.int("CIVICFUND_TRUSTED_PROXIES", default=0)
# accounts.net.client_ip applies it for the API's throttles, allauth's limits and the admin's login.
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 10 a minute per client address; 5 per 5 minutes per account *and* client address
    # (accounts.adapter), so guessing an account's password never locks its owner out elsewhere.
    "login_failed": "10/m/ip,5/5m/key",
    # The admin's login page (accounts.views.admin_login): password attempts per client address.
    "admin_login": "10/m/ip",
    # Questions and comments on campaigns (community): per person and per client address.
    "community_post": "5/m/user,30/h/user,10/m/ip,60/h/ip",
    # Abuse reports: per person and per client address.
    "community_report": "10/h/user,30/h/ip",
}
# Spam protection of the question form: the least seconds between showing the form and sending it.
CIVICFUND_QUESTION_MIN_SECONDS = env.int("CIVICFUND_QUESTION_MIN_SECONDS", default=3)
# A campaign's milestones are checked at most once per this many seconds after pledges (community.milestones).
CIVICFUND_MILESTONE_SECONDS = env.int("CIVICFUND_MILESTONE_SECONDS", default=5)
# How long an API token is valid; a new one is issued for the password after that (accounts.tokens).
CIVICFUND_API_TOKEN_DAYS = env.int("CIVICFUND_API_TOKEN_DAYS", default=30)
# Where the admin lives; a deployment may move it off the well-known address ("admin/" by default).
CIVICFUND_ADMIN_URL = env("CIVICFUND_ADMIN_URL", default="admin/").strip("/") + "/"
# production.py sets it: what must never run on a real site (load_demo) checks it.
CIVICFUND_PRODUCTION = False

# The throttles' and login limits' counts are shared by every worker process: Redis when REDIS_URL
# is set, else a database table (created by accounts' migration 0001).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("REDIS_URL")}
        if env("REDIS_URL", default="")
        else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "civicfund_cache"}
    )
}

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
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Campaign pictures uploaded by owners. Django serves them itself unless a web server in front does
# (set CIVICFUND_SERVE_MEDIA=false there).
CIVICFUND_SERVE_MEDIA = env.bool("CIVICFUND_SERVE_MEDIA", default=True)
# Final reports' receipts and photos: kept outside MEDIA_ROOT (never served by a web server in front),
# served by the site itself once the report is approved (projects.attachments, web.views.impact).
CIVICFUND_PRIVATE_MEDIA_ROOT = Path(env("CIVICFUND_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private-media")))
CIVICFUND_ATTACHMENT_MAX_BYTES = env.int("CIVICFUND_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)

# --- Email ------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="civicfund <noreply@civicfund.local>")

# --- Django REST framework / OpenAPI ----------------------------------------
# CIVICFUND_API_THROTTLE=0 switches the pledge and token throttles off (the benchmark does).
_API_THROTTLE = env.bool("CIVICFUND_API_THROTTLE", default=True)
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "api.base.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # Token first, so an anonymous request is answered 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.TokenAuth",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    # DRF's JSON parser, answering a too-deeply nested document with a 400 (not a RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Scoped throttles (api.base.ScopedThrottle) on pledge creation and token login only.
    "DEFAULT_THROTTLE_RATES": {
        "pledge": env("CIVICFUND_PLEDGE_RATE", default="30/min") if _API_THROTTLE else None,
        "token": env("CIVICFUND_TOKEN_RATE", default="10/min") if _API_THROTTLE else None,
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "civicfund API",
    "DESCRIPTION": "REST API v1. Amounts are integers in the currency's smallest unit, always "
    "beside their currency code. Errors: {status, code, message, fields}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "CampaignStatusEnum": "projects.models.CampaignStatus",
        "FundingModelEnum": "platforms.models.FundingModel",
        "ReportStatusEnum": "projects.models.ReportStatus",
        "PledgeStatusEnum": "pledges.models.PledgeStatus",
        "PayoutStatusEnum": "payouts.models.PayoutStatus",
        "PayoutKindEnum": "payouts.models.PayoutKind",
        "OrganisationKindEnum": "partners.models.OrganisationKind",
        "MemberRoleEnum": "partners.models.MemberRole",
        "PotRuleEnum": "partners.models.PotRule",
        "MatchStatusEnum": "partners.models.MatchStatus",
        "CallStatusEnum": "partners.models.CallStatus",
        "ApplicationStatusEnum": "partners.models.ApplicationStatus",
        "UpdateKindEnum": "projects.models.UpdateKind",
    },
}

# Who `mail_admins` alerts reach (a refund waiting to be made by hand, a Stripe event that needs a
# look): comma-separated e-mail addresses. Empty: the alerts are only logged. Django also mails them
# its reports of 5xx responses (the Stripe webhook's deliberate 503s during a Stripe outage included).
ADMINS = [("civicfund admin", address) for address in env.list("CIVICFUND_ADMIN_EMAILS", default=[])]
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)  # the alerts' sender

# --- Payments ---------------------------------------------------------------
CIVICFUND_PAYMENT_GATEWAY = env("CIVICFUND_PAYMENT_GATEWAY", default="sandbox")
# The sandbox gateway (test cards "pay"): allowed here; production.py refuses it unless
# CIVICFUND_ALLOW_SANDBOX=1 (a staging site). Its signed callbacks use their own secret, not SECRET_KEY.
CIVICFUND_ALLOW_SANDBOX = env.bool("CIVICFUND_ALLOW_SANDBOX", default=True)
CIVICFUND_SANDBOX_SECRET = env("CIVICFUND_SANDBOX_SECRET", default="civicfund-sandbox-not-a-secret")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
# Empty: Stripe's own API. Tests point it at a local fake Stripe server.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
# The SDK's own retries of one call (same idempotency key); Celery retries beyond that.
STRIPE_MAX_NETWORK_RETRIES = env.int("STRIPE_MAX_NETWORK_RETRIES", default=2)
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=30.0)
# Put before every idempotency key sent to Stripe when deployments share one Stripe account.
STRIPE_IDEMPOTENCY_PREFIX = env("STRIPE_IDEMPOTENCY_PREFIX", default="")
# Country of new Express accounts of owners (Connect onboarding).
STRIPE_CONNECT_COUNTRY = env("STRIPE_CONNECT_COUNTRY", default="GB")
# Card refunds of a failed campaign (and refund retries) are paced below Stripe's rate limit (25
# requests/s in test mode, 100/s live), in Stripe requests per second, not refunds: each refund is
# two requests (the look-up of an earlier refund with our key, then the create), so the default 20
# is 10 refunds a second.
STRIPE_REFUNDS_PER_SECOND = env.float("STRIPE_REFUNDS_PER_SECOND", default=20.0)
# Requests allowed at once before the pace applies, and card refunds per Celery task of the fan-out.
STRIPE_REFUNDS_BURST = env.int("STRIPE_REFUNDS_BURST", default=1)
STRIPE_REFUND_BATCH = env.int("STRIPE_REFUND_BATCH", default=10)
# A card refund the provider declines or fails (Stripe's `refund.failed`) is tried again with new keys,
# up to this many attempts in all, attempt n + 1 coming CIVICFUND_REFUND_RETRY_SECONDS × n after the
# failure of attempt n; then the admins are e-mailed and the pledge waits for a manual refund.
CIVICFUND_REFUND_ATTEMPTS = env.int("CIVICFUND_REFUND_ATTEMPTS", default=3)
CIVICFUND_REFUND_RETRY_SECONDS = env.int("CIVICFUND_REFUND_RETRY_SECONDS", default=3600)
# Charge on success: days a backer whose card failed at collection has to pay on-session.
CIVICFUND_PLEDGE_RETRY_DAYS = env.int("CIVICFUND_PLEDGE_RETRY_DAYS", default=7)
# Charge now: minutes a backer has to confirm a card payment their bank asks about (3-D Secure)
# before the payment is cancelled and the pending pledge's reward freed (never past the deadline).
CIVICFUND_PLEDGE_CONFIRM_MINUTES = env.int("CIVICFUND_PLEDGE_CONFIRM_MINUTES", default=60)
# Absolute links in e-mails (the retry-window payment link).
CIVICFUND_SITE_URL = env("CIVICFUND_SITE_URL", default="http://127.0.0.1:8000")

# --- Celery (read by civicfund/celery.py with namespace="CELERY") -----------
REDIS_URL = env("REDIS_URL", default="")
CIVICFUND_BROKER_DIR = Path(env("CIVICFUND_BROKER_DIR", default=str(BASE_DIR / ".broker" / "queue")))

if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # No server needed: messages are files in a folder shared by the web process,
    # the worker and beat. The folders are created in civicfund/celery.py. "civicfs" is kombu's
    # filesystem transport with atomic writes (civicfund/broker.py).
    CELERY_BROKER_URL = "civicfs://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CIVICFUND_BROKER_DIR),
        "data_folder_out": str(CIVICFUND_BROKER_DIR),
        "processed_folder": str(CIVICFUND_BROKER_DIR.parent / "processed"),
        "store_processed": False,
        # exchange tables; the default is ./control in the working directory
        "control_folder": str(CIVICFUND_BROKER_DIR.parent / "control"),
        # An empty queue is polled this often (seconds): the default 1 s delays every task.
        "polling_interval": 0.2,
    }
    # No remote control (its pidbox is a fanout exchange table every worker rewrites) in local mode;
    # ./run also starts the worker --without-mingle --without-gossip.
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
OUTBOX_INTERVAL_SECONDS = env.float("CIVICFUND_OUTBOX_INTERVAL", default=5.0)
# A commit that wrote e-mails to the outbox asks a worker to send them, at most this often per
# process; beat sends what is left every OUTBOX_INTERVAL_SECONDS.
CIVICFUND_OUTBOX_KICK_SECONDS = env.float("CIVICFUND_OUTBOX_KICK_SECONDS", default=1.0)
PAYOUT_INTERVAL_SECONDS = env.float("CIVICFUND_PAYOUT_INTERVAL", default=300.0)
SESSION_CLEAR_INTERVAL_SECONDS = env.float("CIVICFUND_SESSION_CLEAR_INTERVAL", default=3600.0)
OPEN_DATA_INTERVAL_SECONDS = env.int("CIVICFUND_OPEN_DATA_SECONDS", default=24 * 60 * 60)
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {  # Django leaves expired sessions in the table
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": SESSION_CLEAR_INTERVAL_SECONDS,
    },
    "clear-kept-pictures": {  # pictures kept for a form with an error, never sent again (projects.gallery)
        "task": "projects.tasks.clear_kept_pictures",
        "schedule": SESSION_CLEAR_INTERVAL_SECONDS,
    },
    "close-due-campaigns": {
        "task": "projects.tasks.close_due_campaigns",
        "schedule": CLOSE_INTERVAL_SECONDS,
    },
    "release-due-payouts": {
        "task": "payouts.tasks.release_due_payouts",
        "schedule": PAYOUT_INTERVAL_SECONDS,
    },
    "follow-up-pending-refunds": {  # refunds the provider answered "pending" (its event may be lost)
        "task": "pledges.tasks.follow_up_pending_refunds",
        "schedule": PAYOUT_INTERVAL_SECONDS,
    },
    "follow-up-claim-payments": {  # claims' card payments answered "pending", or cut off mid-call
        "task": "presale.tasks.follow_up_claim_payments",
        "schedule": PAYOUT_INTERVAL_SECONDS,
    },
    "retry-pending-payments": {
        "task": "pledges.tasks.retry_pending_payments",
        "schedule": CLOSE_INTERVAL_SECONDS,
    },
    "send-outbox": {  # e-mails whose after-commit kick was skipped (see CIVICFUND_OUTBOX_KICK_SECONDS) or lost
        "task": "civicfund.tasks.send_outbox",
        "schedule": OUTBOX_INTERVAL_SECONDS,
    },
    "drop-expired-retries": {
        "task": "pledges.tasks.drop_expired_retries",
        "schedule": PAYOUT_INTERVAL_SECONDS,
    },
    "retry-failed-refunds": {  # only refund retries whose countdown task was lost
        "task": "pledges.tasks.retry_failed_refunds",
        "schedule": PAYOUT_INTERVAL_SECONDS,
    },
    "open-data-daily": {  # each platform's open-data files (stats), once a day
        "task": "stats.tasks.open_data_publish_all",
        "schedule": OPEN_DATA_INTERVAL_SECONDS,
    },
    "check-milestones": {  # followers' milestone e-mails a lost check missed, and "48 hours left" (community)
        "task": "community.tasks.check_milestones",
        "schedule": 600,
    },
    "send-report-reminders": {  # each reminder once (impact.models.ReportReminder)
        "task": "impact.tasks.send_report_reminders",
        "schedule": 3600,
    },
    "expire-guarantees": {  # pre-sale guarantees past their last day
        "task": "presale.tasks.expire_guarantees",
        "schedule": 3600,
    },
    "forget-shipping-addresses": {  # addresses the platform's keep days after delivery (idempotent)
        "task": "presale.tasks.forget_addresses",
        "schedule": 3600,
    },
    "request-follow-ups": {  # the 6- and 12-month follow-ups of funded assets, and one reminder each
        "task": "impact.tasks.request_follow_ups",
        "schedule": 3600,
    },
    "close-due-rounds": {  # open calls' quadratic rounds past their pot's window: the pot shared out
        "task": "partners.tasks.close_due_rounds",
        "schedule": CLOSE_INTERVAL_SECONDS,
    },
    "close-due-pots": {  # match-funding pots past their window: the leftover back to the organisation
        "task": "partners.tasks.close_due_pots",
        "schedule": CLOSE_INTERVAL_SECONDS,
    },
}
# A refund or collection that made no progress for this long is restarted by the close job
# (its worker was killed, or its queued message lost).
CIVICFUND_RESUME_AFTER_SECONDS = env.int("CIVICFUND_RESUME_AFTER_SECONDS", default=120)
# A card pledge whose payment has had no answer for this long is retried with the same key.
# Public pages as anonymous visitors see them are kept this long (web.page_cache; 0: off). Production
# turns it on (10 s); off here, so tests and local pages always show the latest figures.
CIVICFUND_ANON_PAGE_SECONDS = env.int("CIVICFUND_ANON_PAGE_SECONDS", default=0)
CIVICFUND_PENDING_RETRY_SECONDS = env.int("CIVICFUND_PENDING_RETRY_SECONDS", default=60)
# The worker runs with an embedded beat: celery -A civicfund worker -B -s <this>.
CELERY_BEAT_SCHEDULE_FILENAME = env("CIVICFUND_BEAT_FILE", default=str(BASE_DIR / ".broker" / "celerybeat-schedule"))

# --- Logging ----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
