"""The free-text region of the campaigns written before areas existed becomes an area of their
platform (migration projects 0011): matched by name in either language, created when none matches."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("projects", "0010_campaign_area")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def executor_latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_regions_become_areas_matched_by_either_name_or_created_so_nothing_is_lost():
    old = _migrate(BEFORE)
    Platform, Campaign = old.get_model("platforms", "Platform"), old.get_model("projects", "Campaign")
    User = old.get_model("auth", "User")
    owner = User.objects.create(username="old-owner")
    now = timezone.now()

    def campaign(slug, region):
        platform = Platform.objects.get(slug=slug)
        return Campaign.objects.create(
            platform=platform,
            owner=owner,
            category=platform.categories.first(),
            title=region or "none",
            story=".",
            goal=1000,
            currency=platform.currency,
            starts_at=now,
            deadline=now + dt.timedelta(days=3),
            funding_model=platform.funding_models[0],
            region=region,
        ).pk

    ids = {
        "fa": campaign("charity", "سيستان و بلوچستان"),  # typed with an Arabic keyboard's yeh
        "en": campaign("arts", " tehran "),
        "prefixed": campaign("presale", "استان اصفهان"),
        "ward": campaign("civic", "Riverside ward"),
        "city": campaign("presale", "Tabriz"),
        "city again": campaign("presale", "tabriz"),
        "blank": campaign("civic", ""),
    }
    new = _migrate(executor_latest())
    Campaign = new.get_model("projects", "Campaign")
    areas = {k: Campaign.objects.select_related("area").get(pk=pk).area for k, pk in ids.items()}
    assert areas["fa"].slug == "sistan-baluchestan"
    assert areas["en"].slug == "tehran" and areas["en"].platform.slug == "arts"
    assert areas["prefixed"].slug == "isfahan"
    assert areas["ward"].slug == "riverside"
    assert areas["city"].name == "Tabriz" and areas["city"].slug == "tabriz" and areas["city"].kind == "other"
    assert areas["city again"].pk == areas["city"].pk
    assert areas["blank"] is None
