import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _language_reset():
    """A Persian page leaves Persian active in this thread: put the default back for the next test."""
    yield
    translation.deactivate()
