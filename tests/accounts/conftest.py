"""The API tests' fixtures (clients, a live campaign), for the accounts tests that use the API."""

from tests.api.conftest import anon, live  # noqa: F401 - fixtures
