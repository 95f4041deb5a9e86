"""The demo campaigns' pictures (web/demo_pictures/, made for civicfund and licensed with it), a gallery
and a video link on two campaigns, and the demo backers' choices for the public backers lists."""

from __future__ import annotations

from pathlib import Path

from django.core.files.base import ContentFile

from accounts.profile import display_name_set
from pledges.services import backer_visibility_set
from projects.gallery import campaign_picture_add
from projects.models import Campaign

FOLDER = Path(__file__).resolve().parent / "demo_pictures"

# A campaign's title → its main picture and what it shows (in the campaign's language).
MAIN: dict[str, tuple[str, str]] = {
    "فیلم کوتاه: آخرین کاروانسرا": ("caravanserai.jpg", "کاروانسرایی آجری در کویر و دوربین فیلم‌برداری روی سه‌پایه"),
    "جشنواره تئاتر خیابانی": ("street-theatre.jpg", "دو بازیگر روی صحنه‌ای سرخ در میدان شهر، زیر آسمان شب"),
    "کتاب برای مدرسه‌ای روستایی": ("school-books.jpg", "سه قفسه پر از کتاب‌های رنگارنگ"),
    "لباس زمستانی برای کودکان": ("winter-coats.jpg", "سه کاپشن گرم کودکانه زیر برف"),
    "چراغ مطالعه خورشیدی": ("solar-lamp.jpg", "چراغ مطالعه با صفحه خورشیدی، روشن روی میز کنار کتابی باز"),
    "Community garden on Mill Lane": ("community-garden.jpg", "Raised vegetable beds, trees and a bench on Mill Lane"),
    "Riverside playground for all abilities": (
        "playground.jpg",
        "A swing with a wheelchair platform and a colourful sensory wall by the river",
    ),
}
# Galleries and videos: an English campaign and a Persian one, so both languages show them.
GALLERY: dict[str, list[tuple[str, str]]] = {
    "Community garden on Mill Lane": [
        ("seedlings.jpg", "Seedlings in pots, ready for the beds"),
        ("garden-summer.jpg", "The garden as it will look in summer"),
        ("playground.jpg", "The riverside park next door"),
    ],
    "فیلم کوتاه: آخرین کاروانسرا": [
        ("film-set.jpg", "تخته کلاکت زیر نور صحنه فیلم‌برداری"),
        ("caravanserai.jpg", "نمای کاروانسرا در غروب"),
    ],
}
VIDEOS: dict[str, tuple[str, bool]] = {
    # title → (address, shown as a click-to-load player)
    "Community garden on Mill Lane": ("https://www.youtube.com/watch?v=aqz-KE-bpKQ", True),
    "فیلم کوتاه: آخرین کاروانسرا": ("https://vimeo.com/76979871", False),
}
# Backers who chose to be shown by name (the others stay anonymous, the default), and their display
# names (accounts.profile keeps it in first_name).
NAMED_BACKERS = {"backer": "Sara Karimi"}


def demo_picture(name: str) -> ContentFile:
    return ContentFile((FOLDER / name).read_bytes(), name=name)


def demo_campaign_media(title: str) -> dict:
    """campaign_create's picture and video arguments for the demo campaign `title`."""
    fields: dict = {}
    if title in MAIN:
        name, alt = MAIN[title]
        fields.update(image=demo_picture(name), image_alt=alt)
    if title in VIDEOS:
        fields.update(video_url=VIDEOS[title][0], video_embed=VIDEOS[title][1])
    return fields


def demo_media_load(users: dict) -> None:
    """The galleries, and the backers' choices (named or anonymous) on every demo campaign they backed."""
    for title, pictures in GALLERY.items():
        campaign = Campaign.objects.filter(title=title, owner=users["owner"]).first()
        if campaign is None or campaign.gallery.exists():
            continue
        for name, alt in pictures:
            campaign_picture_add(campaign=campaign, user=users["owner"], image=demo_picture(name), alt=alt)
    for username, name in NAMED_BACKERS.items():
        user = users[username]
        display_name_set(user=user, name=name)
        for campaign_id in set(user.pledges.values_list("campaign_id", flat=True)):
            backer_visibility_set(campaign_id=campaign_id, backer=user, by_name=True)
