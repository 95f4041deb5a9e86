"""A final report's attachments: receipts and photos, images (PNG, JPEG, GIF, WebP) or PDF. The type is
read from the file's first bytes, never from its name or the browser's word; a picture must also open as
one. Files live outside MEDIA_ROOT and are served only by the site (web.views.impact), as downloads with
their checked type and `X-Content-Type-Options: nosniff`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_noop
from PIL import Image, UnidentifiedImageError

from core.errors import ApplicationError

ALLOWED = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}
IMAGE_TYPES = frozenset(t for t in ALLOWED if t.startswith("image/"))
MAX_PER_REPORT = 10


@deconstructible
class PrivateStorage(FileSystemStorage):
    """CIVICFUND_PRIVATE_MEDIA_ROOT, read when used (tests set their own), with no public URL."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def base_location(self) -> Any:
        return settings.CIVICFUND_PRIVATE_MEDIA_ROOT

    @property
    def location(self) -> Any:
        return str(settings.CIVICFUND_PRIVATE_MEDIA_ROOT)

    @property
    def base_url(self) -> Any:
        return None


private_storage = PrivateStorage()


def sniff(head: bytes) -> str | None:
    """The content type a file's first bytes show, among the allowed ones."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def attachment_check(upload: Any) -> str:
    """Return the upload's content type, or raise ApplicationError: too large, or not an image or PDF
    by its content."""
    if upload.size > settings.CIVICFUND_ATTACHMENT_MAX_BYTES:
        raise ApplicationError(gettext_noop("This attachment is too large."), field="attachments")
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise ApplicationError(
            gettext_noop("Attach pictures (PNG, JPEG, GIF, WebP) or PDF files only."), field="attachments"
        )
    if kind in IMAGE_TYPES:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ApplicationError(gettext_noop("This picture cannot be read."), field="attachments") from None
        finally:
            upload.seek(0)
    return kind
