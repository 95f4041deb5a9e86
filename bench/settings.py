"""Settings of the gunicorn that bench/pledge_throughput.py starts: the site's own, plus two
bench-only endpoints (bench/urls.py) that bound what any write can cost on this stack."""

from civicfund.settings.local import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
