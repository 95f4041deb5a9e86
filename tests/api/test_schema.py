"""The OpenAPI schema generates from the code without a single warning, and validates."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn turns any warning or error into SchemaGenerationError; --validate checks it
    # against the OpenAPI 3 specification.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/campaigns/{id}/pledges/:" in text
    assert "Idempotency-Key" in text
