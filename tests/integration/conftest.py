import pytest

from tests.concurrency.support import presets_ensure


@pytest.fixture
def presets(transactional_db):
    """Committed data (the worker process reads it through its own connection) and the presets."""
    presets_ensure()
