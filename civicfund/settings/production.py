"""Production: SECRET_KEY (long), DATABASE_URL and ALLOWED_HOSTS are required; HTTPS behind a proxy
(docs/security.md, "Production defaults"). `manage.py check --deploy --fail-level WARNING` passes with
these settings and docker-compose.yml's environment (tests/accounts/test_production.py)."""

from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CIVICFUND_PAYMENT_GATEWAY, MIDDLEWARE, database_config, env

DEBUG = False
CIVICFUND_PRODUCTION = True
# The public pages anonymous visitors see are kept 10 s (web.page_cache): their figures may be that old.
CIVICFUND_ANON_PAGE_SECONDS = env.int("CIVICFUND_ANON_PAGE_SECONDS", default=10)
SECRET_KEY = env("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "SECRET_KEY must be at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
DATABASES = {"default": database_config(env("DATABASE_URL"))}
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# The sandbox gateway "pays" with 4242 4242 4242 4242: only on a staging site that says so.
CIVICFUND_ALLOW_SANDBOX = env.bool("CIVICFUND_ALLOW_SANDBOX", default=False)
if CIVICFUND_PAYMENT_GATEWAY == "sandbox" and not CIVICFUND_ALLOW_SANDBOX:
    raise ImproperlyConfigured(
        "CIVICFUND_PAYMENT_GATEWAY is 'sandbox', whose test cards pay: set it to 'stripe', or set "
        "CIVICFUND_ALLOW_SANDBOX=1 on a staging site."
    )
if CIVICFUND_ALLOW_SANDBOX:
    # The sandbox's signed callbacks use their own secret, never SECRET_KEY.
    CIVICFUND_SANDBOX_SECRET = env("CIVICFUND_SANDBOX_SECRET")

# HTTPS. SSL redirect, HSTS and secure cookies are on; the app trusts X-Forwarded-Proto only when the
# proxy in front of it is declared to set it (CIVICFUND_PROXY_SSL_HEADER=1), else a client could say
# "https" itself.
if env.bool("CIVICFUND_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)  # a sign only; submitting is up to you
_secure_cookies = env.bool("CIVICFUND_SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
LANGUAGE_COOKIE_SECURE = _secure_cookies
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts, styles and images from the site itself (images also
# from the media host when MEDIA_URL is absolute), Stripe's script and frames for card pages.
MIDDLEWARE = [*MIDDLEWARE, "csp.middleware.CSPMiddleware"]
INSTALLED_APPS = [*INSTALLED_APPS, "csp"]  # noqa: F405
_media_host = env("CIVICFUND_MEDIA_ORIGIN", default="")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", *([_media_host] if _media_host else [])],
        "script-src": ["'self'", "https://js.stripe.com", NONCE],  # NONCE: the card page's own script
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],  # progress bars' widths
        # Stripe's card frames, and a campaign's video player once a visitor clicks for it (only the
        # privacy-respecting hosts of projects.pictures.EMBED_ORIGINS; a test holds the two together).
        "frame-src": [
            "https://js.stripe.com",
            "https://hooks.stripe.com",
            "https://www.youtube-nocookie.com",
            "https://player.vimeo.com",
        ],
        "connect-src": ["'self'", "https://api.stripe.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
