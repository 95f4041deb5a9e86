"""Settings of the gunicorn and worker that bench/load_test.py starts: production's, with allauth's
per-address limits off (every simulated user comes from 127.0.0.1, so they would lock each other out;
in production each visitor has an address of its own). Nothing else differs."""

from civicfund.settings.production import *  # noqa: F403

ACCOUNT_RATE_LIMITS = False
