import pytest

from .support import presets_ensure


@pytest.fixture
def presets(transactional_db):
    """Committed data (threads each use their own connection) and the preset platforms."""
    presets_ensure()
