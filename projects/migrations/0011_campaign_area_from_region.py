"""Each campaign's free-text region becomes an area of its platform: the area whose English or Persian
name (or slug) is the same text, compared without case, spacing, the kaf/yeh of an Arabic keyboard or
a leading "استان" / trailing "province"; when none is, an area of that name is created for the
platform, so no region is lost. Backwards: the region is the area's name in the platform's language."""

import re

from django.db import migrations
from django.utils.text import slugify

_TO_PERSIAN = str.maketrans({"\u0643": "\u06a9", "\u064a": "\u06cc", "\u0649": "\u06cc", "\u200c": " "})
_PERSIAN_LETTERS = re.compile(r"[\u0600-\u06ff]")


def _key(text: str) -> str:
    words = " ".join(text.translate(_TO_PERSIAN).casefold().split())
    words = re.sub(r"^استان ", "", words)
    return re.sub(r" province$", "", words)


def regions_to_areas(apps, schema_editor):
    Area = apps.get_model("platforms", "Area")
    Campaign = apps.get_model("projects", "Campaign")
    known: dict[int, dict[str, object]] = {}  # platform id -> key -> area
    for campaign in Campaign.objects.exclude(region="").order_by("id").iterator():
        region = " ".join(campaign.region.split())
        if not region:
            continue
        areas = known.get(campaign.platform_id)
        if areas is None:
            areas = known[campaign.platform_id] = {}
            for area in Area.objects.filter(platform_id=campaign.platform_id):
                for text in (area.slug, area.name, area.name_fa):
                    if text:
                        areas.setdefault(_key(text), area)
        area = areas.get(_key(region))
        if area is None:
            base = slugify(region)[:70] or "area"
            slug, n = base, 1
            while Area.objects.filter(platform_id=campaign.platform_id, slug=slug).exists():
                n += 1
                slug = f"{base}-{n}"
            persian = bool(_PERSIAN_LETTERS.search(region))
            area = Area.objects.create(
                platform_id=campaign.platform_id,
                slug=slug,
                name=region[:120],
                name_fa=region[:120] if persian else "",
                kind="other",
            )
            areas[_key(region)] = area
        Campaign.objects.filter(pk=campaign.pk).update(area=area)


def areas_to_regions(apps, schema_editor):
    Campaign = apps.get_model("projects", "Campaign")
    for campaign in Campaign.objects.filter(area__isnull=False).select_related("area", "platform").iterator():
        area = campaign.area
        name = area.name_fa if campaign.platform.language == "fa" and area.name_fa else area.name
        Campaign.objects.filter(pk=campaign.pk).update(region=name[:100])


class Migration(migrations.Migration):
    dependencies = [("projects", "0010_campaign_area")]
    operations = [migrations.RunPython(regions_to_areas, areas_to_regions)]
