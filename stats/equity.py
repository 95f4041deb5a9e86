"""Participation equity: who takes part on a platform, for its staff and its verified organisations.
Counted live from the backings and pledges (a staff page, not a public one), and never a group
smaller than SMALL_GROUP backers: such a cell is suppressed (None), and so is a second one where a
single suppressed cell could be worked out from a shown total."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min

from core.money import exponent
from partners.selectors import organisation_verified_member
from platforms.models import Area, Platform
from pledges.models import COUNTING, Pledge
from projects.models import FUNDED_STATUSES, NOT_PUBLIC_STATUSES, Campaign

from .models import Backing, HomeArea

SMALL_GROUP = 10


def suppressed(values: list[int]) -> list[int | None]:
    """Each count, or None when it is under SMALL_GROUP (but not 0: nobody is no one). When exactly one
    cell of a group is hidden, the smallest other non-zero one is hidden too, so the total cannot give it
    away."""
    out: list[int | None] = [None if 0 < v < SMALL_GROUP else v for v in values]
    hidden = [i for i, v in enumerate(out) if v is None]
    if len(hidden) == 1:
        others = [(v, i) for i, v in enumerate(out) if v]
        if others:
            out[min(others)[1]] = None
    return out


def _share(part: int | None, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if part is not None and whole else None


@dataclass
class AreaRow:
    area: Area | None  # None: backers who gave no area
    backers: int | None
    share: float | None  # percent of the backers who gave an area
    population: int | None
    population_share: float | None  # percent of the listed areas' population
    campaigns: int = 0
    funded: int = 0

    @property
    def representation(self) -> int | None:
        """Share of backers ÷ share of population, in percent (100: as many as its people would say)."""
        if self.share is None or not self.population_share:
            return None
        return round(self.share * 100 / self.population_share)


@dataclass
class SizeRow:
    low: int  # minor units, included
    high: int | None  # excluded; None: no upper end
    pledges: int | None
    backers: int | None
    share: float | None = None  # percent of the counting pledges (None: suppressed)


@dataclass
class Participation:
    platform: Platform
    backers: int
    answered: int  # backers who gave a home area
    first_time: int | None
    returning: int | None
    areas: list[AreaRow] = field(default_factory=list)
    sizes: list[SizeRow] = field(default_factory=list)

    @property
    def first_time_share(self) -> float | None:
        return _share(self.first_time, self.backers)

    @property
    def returning_share(self) -> float | None:
        return _share(self.returning, self.backers)


def participation(platform: Platform) -> Participation:
    per_backer = dict(
        Backing.objects.filter(campaign__platform=platform, pledges__gt=0)
        .values_list("backer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = len(per_backer)
    once = sum(1 for n in per_backer.values() if n == 1)
    first_time, returning = suppressed([once, total - once])
    homes = Counter(
        HomeArea.objects.filter(platform=platform, user_id__in=list(per_backer), area__isnull=False)
        .values_list("area_id", flat=True)
        .order_by()
    )
    answered = sum(homes.values())
    areas = list(Area.objects.filter(platform=platform))
    people = sum(a.population or 0 for a in areas)
    public = Campaign.objects.filter(platform=platform).exclude(status__in=NOT_PUBLIC_STATUSES)
    campaigns = dict(public.values_list("area_id").annotate(n=Count("id")).order_by())
    funded = dict(public.filter(status__in=FUNDED_STATUSES).values_list("area_id").annotate(n=Count("id")).order_by())
    counts = suppressed([homes.get(a.pk, 0) for a in areas] + [total - answered])
    rows = [
        AreaRow(
            area=a,
            backers=n,
            share=_share(n, answered),
            population=a.population,
            population_share=_share(a.population, people) if a.population else None,
            campaigns=campaigns.get(a.pk, 0),
            funded=funded.get(a.pk, 0),
        )
        for a, n in zip(areas, counts[:-1], strict=True)
    ]
    rows.append(
        AreaRow(None, counts[-1], None, None, None, campaigns=campaigns.get(None, 0), funded=funded.get(None, 0))
    )
    return Participation(
        platform=platform,
        backers=total,
        answered=answered,
        first_time=first_time,
        returning=returning,
        areas=rows,
        sizes=_sizes(platform),
    )


def _sizes(platform: Platform) -> list[SizeRow]:
    """Counting pledges by size, in bands of powers of ten of the currency's major unit from the
    smallest pledge up: counts of pledges and of distinct backers per band (suppressed by backers)."""
    pledges = Pledge.objects.filter(campaign__platform=platform, status__in=COUNTING)
    smallest = pledges.aggregate(low=Min("amount"))["low"]
    if not smallest:
        return []
    unit = 10 ** exponent(platform.currency)
    low = unit
    while low * 10 <= smallest:
        low *= 10
    while low > smallest:
        low //= 10
    low = max(low, 1)
    per_band: dict[int, tuple[int, set[int]]] = {}
    for amount, backer in pledges.values_list("amount", "backer_id").iterator(chunk_size=5000):
        band = low
        while amount >= band * 10:
            band *= 10
        n, backers = per_band.get(band, (0, set()))
        backers.add(backer)
        per_band[band] = (n + 1, backers)
    bands = sorted(per_band)
    backers_hidden = suppressed([len(per_band[b][1]) for b in bands])
    total = sum(n for n, _ in per_band.values())
    shown = [per_band[b][0] if backers_hidden[i] is not None else None for i, b in enumerate(bands)]
    return [
        SizeRow(
            low=b,
            high=b * 10 if i < len(bands) - 1 else None,
            pledges=shown[i],
            backers=backers_hidden[i],
            share=_share(shown[i], total),
        )
        for i, b in enumerate(bands)
    ]


VIEW_PARTICIPATION = "stats.view_participation"
UPLOAD_POPULATIONS = "stats.upload_populations"


def participation_viewer(user: Any, platform: Platform) -> bool:
    """Who may see a platform's participation figures (issue 14: "for staff and verified
    organisations"): whoever holds the named permission `stats.view_participation` (the staff group
    "Analysts", a superuser; being staff is not enough), and the members of an organisation verified on
    *this* platform. Everyone else, members of an unverified organisation or of one on another
    platform included, is refused."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.has_perm(VIEW_PARTICIPATION) or organisation_verified_member(user, platform)


def populations_uploader(user: Any) -> bool:
    """Who may upload the areas' populations: the named permission `stats.upload_populations`."""
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(UPLOAD_POPULATIONS))


CSV_COLUMNS = [
    "table", "item", "backers", "share_percent", "population", "population_share_percent",
    "representation_percent", "campaigns", "funded", "pledges", "suppressed",
]  # fmt: skip


def participation_csv_text(p: Participation) -> str:
    """The participation tables as one CSV: cells under SMALL_GROUP backers are empty and marked
    `suppressed`; amounts in minor units."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()

    def row(table: str, item: str, backers: int | None, **more: object) -> None:
        values = {k: ("" if v is None else v) for k, v in more.items()}
        writer.writerow({"table": table, "item": item, "backers": "" if backers is None else backers,
                         "suppressed": "yes" if backers is None else "", **values})  # fmt: skip

    row("backers", "all", p.backers)
    row("backers", "first_time", p.first_time)
    row("backers", "returning", p.returning)
    for a in p.areas:
        row(
            "area",
            a.area.slug if a.area else "(not given)",
            a.backers,
            share_percent=a.share,
            population=a.population,
            population_share_percent=a.population_share,
            representation_percent=a.representation,
            campaigns=a.campaigns,
            funded=a.funded,
        )
    for s in p.sizes:
        row("pledge_size", f"{s.low}-{s.high - 1 if s.high else ''}", s.backers, pledges=s.pledges)
    return "\ufeff" + out.getvalue()
