from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n% a scanned guarantee\n"


def scan(name: str = "guarantee.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def far_future() -> dt.date:
    return dt.date.today() + dt.timedelta(days=800)
