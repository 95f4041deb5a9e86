"""A campaign's pictures and video: the one home of what owners may upload (formats, sizes, how many
gallery pictures) and of which video links the site accepts and how it embeds them.

Pictures are checked and re-encoded as story pictures are (projects.story_images: Pillow reads the
type from the content, at most IMAGE_MAX_BYTES and IMAGE_MAX_PIXELS), and must also be at least
MIN_WIDTH × MIN_HEIGHT and at most MAX_SIDE pixels on a side. The forms tell owners these limits.

Videos: a YouTube, Vimeo or PeerTube address. YouTube and Vimeo can be embedded in a privacy-respecting
way (youtube-nocookie.com; Vimeo with dnt=1), loaded only after the visitor clicks, and the
Content-Security-Policy allows frames from those two hosts only; a PeerTube video (any server) is
always shown as a link."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.core.files.base import ContentFile
from django.utils.translation import gettext_noop

from core.errors import ApplicationError

from .story_images import FORMATS, IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS, story_image_encode

MIN_WIDTH = 320
MIN_HEIGHT = 180
MAX_SIDE = 8000
GALLERY_MAX = 8
ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
# Frame sources the Content-Security-Policy allows: the embeds below and nothing else.
EMBED_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")

__all__ = [
    "ACCEPT",
    "EMBED_ORIGINS",
    "FORMATS",
    "GALLERY_MAX",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_PIXELS",
    "MAX_SIDE",
    "MIN_HEIGHT",
    "MIN_WIDTH",
    "Video",
    "picture_encode",
    "picture_size_check",
    "video_parse",
]


def picture_size_check(width: int, height: int) -> None:
    """Refuse a picture smaller than MIN_WIDTH × MIN_HEIGHT or longer than MAX_SIDE on a side."""
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ApplicationError(
            gettext_noop("The picture is too small: at least 320 × 180 pixels."), code="too_small", field="image"
        )
    if max(width, height) > MAX_SIDE:
        raise ApplicationError(
            gettext_noop("The picture is too large: at most 8000 pixels on a side."), code="too_wide", field="image"
        )


def picture_encode(upload: Any, folder: str) -> ContentFile:
    """The upload checked (type, bytes, pixels, dimensions) and re-encoded, named by the site under
    `folder`; ApplicationError (field "image") otherwise."""
    return story_image_encode(upload, folder, size_check=picture_size_check)


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" | "vimeo" | "peertube"
    video_id: str
    url: str  # the address as the owner gave it (normalised to https)
    embed_url: str  # "" when the site shows it only as a link

    @property
    def embeddable(self) -> bool:
        return bool(self.embed_url)


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{1,12}$")
_PEERTUBE_ID = re.compile(r"^[A-Za-z0-9-]{6,64}$")
_HOST = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
BAD_VIDEO = gettext_noop("Give a YouTube, Vimeo or PeerTube video address, like https://www.youtube.com/watch?v=…")


def _bad() -> ApplicationError:
    return ApplicationError(BAD_VIDEO, code="bad_video", field="video_url")


def video_parse(url: str) -> Video:
    """A video address the site accepts, or ApplicationError (field "video_url").

    YouTube: youtube.com/watch?v=ID, youtu.be/ID, youtube.com/shorts/ID, /embed/ID (also
    youtube-nocookie.com); Vimeo: vimeo.com/NUMBER, player.vimeo.com/video/NUMBER; PeerTube: any
    server's /w/ID or /videos/watch/ID (a link only: its server is not one the site frames)."""
    text = (url or "").strip()
    if not text or len(text) > 500 or any(ch.isspace() for ch in text):
        raise _bad()
    parts = urlsplit(text)
    if parts.scheme not in ("https", "http") or parts.username or parts.password or parts.port not in (None, 443):
        raise _bad()
    host = (parts.hostname or "").lower()
    path = [p for p in parts.path.split("/") if p]
    if host.startswith("www.") or host.startswith("m."):
        bare = host.split(".", 1)[1]
    else:
        bare = host
    if bare in ("youtube.com", "youtube-nocookie.com", "youtu.be"):
        vid = ""
        if bare == "youtu.be" and len(path) == 1:
            vid = path[0]
        elif path == ["watch"]:
            vid = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) == 2 and path[0] in ("shorts", "embed", "live"):
            vid = path[1]
        if not _YOUTUBE_ID.match(vid):
            raise _bad()
        return Video(
            "youtube",
            vid,
            f"https://www.youtube.com/watch?v={vid}",
            f"https://www.youtube-nocookie.com/embed/{vid}",
        )
    if bare in ("vimeo.com", "player.vimeo.com"):
        vid = path[1] if bare == "player.vimeo.com" and len(path) == 2 and path[0] == "video" else ""
        if bare == "vimeo.com" and len(path) == 1:
            vid = path[0]
        if not _VIMEO_ID.match(vid):
            raise _bad()
        return Video("vimeo", vid, f"https://vimeo.com/{vid}", f"https://player.vimeo.com/video/{vid}?dnt=1")
    if _HOST.match(host):
        vid = ""
        if len(path) == 2 and path[0] == "w":
            vid = path[1]
        elif len(path) == 3 and path[:2] == ["videos", "watch"]:
            vid = path[2]
        if _PEERTUBE_ID.match(vid):
            return Video("peertube", vid, f"https://{host}/w/{vid}", "")
    raise _bad()
