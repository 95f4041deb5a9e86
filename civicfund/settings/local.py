"""Developer machine (./run): SQLite and the filesystem broker unless DATABASE_URL/REDIS_URL set."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="django-insecure-civicfund-local-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["*"])

# Every e-mail (the worker's and allauth's) on ./run's console: civicfund/mail.py.
EMAIL_BACKEND = env("EMAIL_BACKEND", default="civicfund.mail.ConsoleEmailBackend")
