"""Pictures an owner uploads for a campaign's story and updates (the only images those texts show:
`web.templatetags.civic.markdown` turns any other image into a link). Checked by Pillow (the type read
from the content, never the name), at most IMAGE_MAX_BYTES and IMAGE_MAX_PIXELS, then re-encoded: the
stored file is a plain picture of its own format (no metadata, nothing smuggled after the image data),
named by the site (`story-images/<campaign>/<random>.<ext>`), so it is served with its true type."""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.utils.translation import gettext_noop
from PIL import Image, UnidentifiedImageError

from core.errors import ApplicationError

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_MAX_BYTES = 5 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
MAX_PER_CAMPAIGN = 50
FOLDER = "story-images"


def story_image_encode(upload: Any, campaign_id: int | str, *, size_check: Any = None) -> ContentFile:
    """The upload, checked and re-encoded, as a file to store; ApplicationError (field "image") when it
    is too large or not a JPEG, PNG, WebP or GIF picture. `size_check(width, height)`, if given, may
    refuse the picture's dimensions (a campaign's main and gallery pictures: projects.pictures)."""
    if getattr(upload, "size", 0) > IMAGE_MAX_BYTES:
        raise ApplicationError(gettext_noop("The picture is too large: at most 5 MB."), code="too_large", field="image")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format or ""
            if fmt not in FORMATS:
                raise UnidentifiedImageError(fmt)
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise ApplicationError(
                    gettext_noop("The picture has too many pixels: at most 40 megapixels."),
                    code="too_large",
                    field="image",
                )
            if size_check is not None:
                size_check(image.width, image.height)
            image.load()
            picture: Image.Image = image
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                picture = image.convert("RGB")
            out = io.BytesIO()
            animated = fmt == "GIF" and getattr(image, "n_frames", 1) > 1
            picture.save(out, fmt, **({"save_all": True} if animated else {}))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ApplicationError(
            gettext_noop("Upload a picture in JPEG, PNG, WebP or GIF format; this file is not one."),
            code="invalid_image",
            field="image",
        ) from None
    return ContentFile(out.getvalue(), name=f"{campaign_id}/{secrets.token_hex(12)}.{FORMATS[fmt]}")
