"""Fixtures of the bad-input tests: the API tests' token clients, plus a verified owner for the site."""

from __future__ import annotations

import pytest

from tests.api.conftest import anon, as_admin, as_backer, as_backer2, as_owner, assert_error, client_for, live, tier

__all__ = ["anon", "as_admin", "as_backer", "as_backer2", "as_owner", "assert_error", "client_for", "live", "tier"]


@pytest.fixture
def site_owner(db):
    from tests.factories import UserFactory
    from tests.web.conftest import verified

    return verified(UserFactory(username="maker"))
