"""Reads of platforms and their categories."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from .models import Area, Category, Platform, PlatformPage
from .pages import page_default


def platforms_all() -> QuerySet[Platform]:
    """Every platform of the deployment, in their order."""
    return Platform.objects.all()


def platforms_with_categories() -> QuerySet[Platform]:
    """Every platform with its categories and areas loaded (one query for each, for them all)."""
    return Platform.objects.prefetch_related("categories", "areas")


def platform_by_slug(slug: str) -> Platform | None:
    return Platform.objects.filter(slug=slug).first()


def categories_of(platforms: Sequence[Platform]) -> QuerySet[Category]:
    """The categories of `platforms`, by name."""
    return Category.objects.filter(platform__in=platforms).order_by("name")


def categories_all(platform_slug: str = "") -> QuerySet[Category]:
    """Every category with its platform, or those of the platform `platform_slug`."""
    qs = Category.objects.select_related("platform")
    return qs.filter(platform__slug=platform_slug) if platform_slug else qs


def areas_of(platforms: Sequence[Platform]) -> QuerySet[Area]:
    """The areas of `platforms`, by name."""
    return Area.objects.filter(platform__in=platforms).order_by("name", "id")


def areas_all(platform_slug: str = "") -> QuerySet[Area]:
    """Every area with its platform, or those of the platform `platform_slug`."""
    qs = Area.objects.select_related("platform")
    return qs.filter(platform__slug=platform_slug) if platform_slug else qs


def platform_page(platform: Platform, kind: str, language: str) -> PlatformPage:
    """The platform's `kind` page in `language`; else in the platform's language; else the built-in
    default text in `language` (an unsaved PlatformPage, `pk` None). One query."""
    pages = {p.language: p for p in PlatformPage.objects.filter(platform=platform, kind=kind)}
    found = pages.get(language) or pages.get(platform.language)
    if found is not None:
        return found
    title, body = page_default(platform=platform, kind=kind, language=language)
    return PlatformPage(platform=platform, kind=kind, language=language, title=title, body=body)
