"""Reads of campaigns. Campaign lists with their raised totals sum pledges, so they are pledges'
selectors (pledges.selectors.campaigns_*)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, Prefetch, QuerySet

from platforms.models import Platform

from .models import Campaign, FinalReport, ReportStatus

M = TypeVar("M", bound=Model)


def campaign_lock(campaign_id: int, *, shared: bool = False) -> Campaign:
    """Fetch a campaign with its row locked for the rest of the transaction.

    `shared=True` takes FOR SHARE on PostgreSQL: many pledges may hold it at once, while the close
    (FOR UPDATE) waits for them and they wait for it. SQLite locks the whole database on write.
    """
    qs = Campaign.objects.select_related("platform")
    if shared and connection.vendor == "postgresql":
        row = Campaign.objects.raw(f"SELECT id FROM {Campaign._meta.db_table} WHERE id = %s FOR SHARE", [campaign_id])
        if not list(row):
            raise Campaign.DoesNotExist(campaign_id)
        return qs.get(pk=campaign_id)
    return qs.select_for_update(of=("self",)).get(pk=campaign_id)


def campaign_read(campaign_id: int) -> Campaign:
    """A campaign and its platform, unlocked, in one plain query: what the pledge hot path reads
    (pledges.services) without the ORM's cost of compiling a query. Raises Campaign.DoesNotExist.
    On PostgreSQL `row_version` says which versions of the two rows were read, so a later statement can
    tell whether either changed since (None elsewhere)."""
    global _campaign_read_sql
    campaign_fields, platform_fields = Campaign._meta.concrete_fields, Platform._meta.concrete_fields
    if _campaign_read_sql is None:
        cols = [f'c."{f.column}"' for f in campaign_fields] + [f'p."{f.column}"' for f in platform_fields]
        cols.append(ROW_VERSION if connection.vendor == "postgresql" else "NULL")
        _campaign_read_sql = (
            f'SELECT {", ".join(cols)} FROM "{Campaign._meta.db_table}" c '
            f'JOIN "{Platform._meta.db_table}" p ON p."id" = c."platform_id" WHERE c."id" = %s'
        )
    with connection.cursor() as cursor:
        cursor.execute(_campaign_read_sql, [campaign_id])
        row = cursor.fetchone()
    if row is None:
        raise Campaign.DoesNotExist(campaign_id)
    split = len(campaign_fields)
    campaign = _from_row(Campaign, campaign_fields, row[:split])
    campaign.platform = _from_row(Platform, platform_fields, row[split:-1])
    campaign.row_version = row[-1]  # type: ignore[attr-defined]
    return campaign


# The versions of a campaign's row and its platform's (aliases c and p), as text (PostgreSQL): each
# update writes a new row version, by another transaction (xmin) or at another place (ctid).
ROW_VERSION = "concat_ws(':', c.xmin, c.ctid, p.xmin, p.ctid)"
_campaign_read_sql: str | None = None


def _from_row(model: type[M], fields: Sequence[Any], values: Sequence[Any]) -> M:
    """A model instance from a plain query's row, with the fields' own conversions (JSON, ...)."""
    converted = []
    for field, value in zip(fields, values, strict=True):
        for convert in field.get_db_converters(connection):
            value = convert(value, field, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def campaign_detail_prefetch(qs: QuerySet[Campaign]) -> QuerySet[Campaign]:
    """What a campaign's page shows besides its totals: tiers, updates, gallery pictures and the
    approved final report (as `public_reports`), each in one query whatever the number of campaigns."""
    return qs.prefetch_related(
        "tiers",
        "updates",
        "gallery",
        Prefetch("final_reports", FinalReport.objects.filter(status=ReportStatus.APPROVED), to_attr="public_reports"),
    )


def final_reports_visible_to(user: Any) -> QuerySet[FinalReport]:
    """Final reports staff review; owners see those of their own campaigns."""
    qs = FinalReport.objects.select_related("campaign")
    if getattr(user, "is_staff", False):
        return qs
    return qs.filter(campaign__owner_id=user.pk)


def campaign_for_owner_page(campaign_id: int) -> Campaign:
    """A campaign with what its owner's page shows: platform, category, tiers, updates and every final
    report filed, newest first."""
    return (
        Campaign.objects.filter(pk=campaign_id)
        .prefetch_related(
            "tiers", "updates", Prefetch("final_reports", FinalReport.objects.order_by("-submitted_at", "-id"))
        )
        .select_related("platform", "category")
        .get()
    )


def owns_campaigns(user: Any) -> bool:
    return Campaign.objects.filter(owner=user).exists()
