"""Root pytest configuration: shared fixtures go here (tests/ holds the tests)."""

import os

import pytest

REQUIRE_POSTGRES_ENV = "CIVICFUND_REQUIRE_POSTGRES"


def _postgres_required() -> bool:
    return os.environ.get(REQUIRE_POSTGRES_ENV, "").strip().lower() in {"1", "true", "yes"}


def pytest_report_header(config):
    from django.conf import settings
    from django.db import connection

    broker = str(settings.CELERY_BROKER_URL).split("://", 1)[0]
    return f"civicfund: database={connection.vendor}, celery broker={broker}"


def pytest_runtest_setup(item):
    """Skip @pytest.mark.postgres tests off PostgreSQL, or fail them when it is required.

    CI (.ci/run) sets CIVICFUND_REQUIRE_POSTGRES=1 so that a misconfigured
    DATABASE_URL cannot turn the concurrency tests into silent skips.
    """
    if item.get_closest_marker("postgres") is None:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    reason = f"needs PostgreSQL; the default database is {connection.vendor}"
    if _postgres_required():
        pytest.fail(
            f"{reason}, but {REQUIRE_POSTGRES_ENV}=1 requires PostgreSQL (set DATABASE_URL=postgres://...)",
            pytrace=False,
        )
    pytest.skip(f"{reason} (set DATABASE_URL=postgres://... to run it)")
