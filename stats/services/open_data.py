"""A platform's open data: its public campaigns, its decision log and its statistics, as CSV and
JSON, and the money organisations gave in the 360Giving Data Standard (stats.services.giving360),
published daily (stats.tasks.open_data_publish_all) under the platform's licence and stored
(`OpenDataFile`), so the files are served as generated. Nothing personal: no backer, no owner's name,
deciders by role only."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from decisions.kinds import kind_label
from impact.models import Indicator
from impact.selectors import decisions_public
from payouts.models import Payout, PayoutStatus
from platforms.models import Platform
from pledges.selectors import campaigns_with_totals
from projects.models import NOT_PUBLIC_STATUSES, Campaign, FinalReport

from ..export import statistics_data
from ..models import LICENCE_URLS, Licence, OpenDataFile, OpenDataSettings
from ..selectors import platform_statistics
from . import giving360

GIVING_FILES = (giving360.JSON_NAME, giving360.CSV_NAME)


@dataclass(frozen=True)
class Field:
    name: str
    help: str | Promise


@dataclass(frozen=True)
class Dataset:
    name: str  # the files' stem: campaigns.csv, campaigns.json
    title: str | Promise
    fields: tuple[Field, ...]
    rows: Callable[[Platform], list[dict[str, Any]]]


CAMPAIGN_FIELDS = (
    Field("id", _("The campaign's number on the platform.")),
    Field("url", _("The campaign's public page.")),
    Field("title", _("The campaign's title, as its owner wrote it.")),
    Field("category", _("Category (slug).")),
    Field("category_name", _("Category (name).")),
    Field("area", _("Area (slug of the platform's list of provinces, wards or boroughs); empty if none.")),
    Field("area_name", _("Area (name).")),
    Field(
        "status",
        _("Status: live, succeeded, failed, refunding, refunded, paid, report_submitted, report_rejected, completed."),
    ),  # noqa: E501
    Field("funding_model", _("all_or_nothing or threshold.")),
    Field("currency", _("ISO 4217 currency code.")),
    Field("goal", _("Goal, in minor units of the platform's currency (rial, toman, pence).")),
    Field("raised", _("Raised: at the close for a closed campaign, so far for a live one, in the same units.")),
    Field("backers", _("Distinct backers (at the close for a closed campaign).")),
    Field("starts_at", _("When it went live (ISO 8601, UTC).")),
    Field("deadline", _("Its deadline (ISO 8601, UTC).")),
    Field("closed_at", _("When it closed; empty while live.")),
    Field("fee", _("The platform's fee taken at the close, in the same units; empty if none.")),
    Field("payouts_paid", _("Money paid out to the owner so far, in the same units.")),
    Field("report_status", _("The latest final report: submitted, approved, rejected; empty if none.")),
    Field("indicators", _("Impact indicators: name, unit, target and achieved value (JSON); empty if none.")),
)
DECISION_FIELDS = (
    Field("at", _("When it was decided (ISO 8601, UTC).")),
    Field("kind", _("What was decided (a code, e.g. campaign.approved).")),
    Field("description", _("What was decided, in words.")),
    Field("campaign", _("The campaign's number; empty for a decision about something else.")),
    Field("subject_type", _("What else the decision is about (e.g. call, pot), if anything.")),
    Field("subject_id", _("Its number.")),
    Field("decided_by", _("Who decided, by role (never a person's name).")),
    Field("on_behalf_of", _("The organisation a role acted for, when public.")),
    Field("reason", _("The public reason given.")),
)
STATISTICS_FIELDS = (
    Field("dimension", _("total, category, area or month.")),
    Field(
        "key",
        _("Category or area slug, or the month as YYYY-MM in the platform's calendar (Jalali on Persian platforms)."),
    ),  # noqa: E501
    Field("name", _("English name.")),
    Field("name_fa", _("Persian name.")),
    Field("raised", _("Money paid into campaigns less refunds, in the month it moved, in minor units.")),
    Field("backers", _("Distinct backers of each campaign, summed over the campaigns.")),
    Field("funded", _("Campaigns closed as funded.")),
    Field("failed", _("Campaigns closed as not funded.")),
    Field("success_rate", _("Percent of the closed campaigns that were funded; empty before any close.")),
)


def _iso(value: Any) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if value else ""


def campaign_rows(platform: Platform) -> list[dict[str, Any]]:
    paid = Payout.objects.filter(campaign=OuterRef("pk"), status=PayoutStatus.PAID).order_by().values("campaign")
    report = FinalReport.objects.filter(campaign=OuterRef("pk")).order_by("-submitted_at", "-id").values("status")[:1]
    found = (
        campaigns_with_totals(Campaign.objects.filter(platform=platform).exclude(status__in=NOT_PUBLIC_STATUSES))
        .annotate(
            payouts_paid=Subquery(paid.annotate(total=Sum("amount")).values("total")),
            report_status=Subquery(report),
        )
        .order_by("id")
    )
    site = settings.CIVICFUND_SITE_URL.rstrip("/")
    campaigns: list[Any] = list(found)  # annotated with raised, backers, payouts_paid, report_status
    indicators: dict[int, list[dict[str, Any]]] = {}
    for i in Indicator.objects.filter(campaign__in=campaigns).order_by("campaign_id", "id"):
        indicators.setdefault(i.campaign_id, []).append(
            {"name": i.name, "unit": i.unit, "target": i.target, "achieved": i.achieved}
        )
    return [
        {
            "id": c.pk,
            "url": site + reverse("campaign", args=[platform.slug, c.pk]),
            "title": c.title,
            "category": c.category.slug,
            "category_name": c.category.name,
            "area": c.area.slug if c.area else "",
            "area_name": c.area.name if c.area else "",
            "status": c.status,
            "funding_model": c.funding_model,
            "currency": c.currency,
            "goal": c.goal,
            "raised": c.raised,
            "backers": c.backers,
            "starts_at": _iso(c.starts_at),
            "deadline": _iso(c.deadline),
            "closed_at": _iso(c.closed_at),
            "fee": c.fee_amount,
            "payouts_paid": c.payouts_paid or 0,
            "report_status": c.report_status or "",
            "indicators": indicators.get(c.pk, []),
        }
        for c in campaigns
    ]


def decision_rows(platform: Platform) -> list[dict[str, Any]]:
    return [
        {
            "at": _iso(d.at),
            "kind": d.kind,
            "description": str(kind_label(d.kind)),
            "campaign": d.campaign_id,
            "subject_type": d.subject_type,
            "subject_id": d.subject_id,
            "decided_by": d.actor_role,
            "on_behalf_of": d.on_behalf_of,
            "reason": d.reason,
        }
        for d in decisions_public(platform=platform).order_by("at", "id")
    ]


def statistics_rows(platform: Platform) -> list[dict[str, Any]]:
    data = statistics_data(platform_statistics(platform))
    rows = [{"dimension": "total", **data["totals"]}]
    for dimension in ("category", "area", "month"):
        rows += [{"dimension": dimension, **row} for row in data[f"by_{dimension}"]]
    return rows


DATASETS = (
    Dataset("campaigns", _("Campaigns"), CAMPAIGN_FIELDS, campaign_rows),
    Dataset("decisions", _("Decision log"), DECISION_FIELDS, decision_rows),
    Dataset("statistics", _("Statistics"), STATISTICS_FIELDS, statistics_rows),
)


def licence_of(platform: Platform) -> tuple[str, str, str]:
    """(code, title, url) of the licence the platform publishes under (CC BY 4.0 unless it chose)."""
    chosen = OpenDataSettings.objects.filter(platform=platform).first()
    code = Licence(chosen.licence if chosen else Licence.CC_BY_4)
    return code.value, code.label, LICENCE_URLS[code]


def _csv(fields: tuple[Field, ...], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[f.name for f in fields], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: ("" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
             for k, v in row.items()}
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode()  # a BOM, so spreadsheets read the Persian right


def open_data_publish(platform: Platform, *, now: Any = None) -> list[str]:
    """Generate and store every file of the platform's open data (replacing yesterday's), with the
    360Giving files of money given by organisations when there is any; returns their names."""
    now = now or timezone.now()
    code, title, url = licence_of(platform)
    chosen = OpenDataSettings.objects.filter(platform=platform).first()
    publisher = (chosen.publisher if chosen else "") or platform.name
    files: dict[str, tuple[str, bytes]] = {}
    for dataset in DATASETS:
        rows = dataset.rows(platform)
        files[f"{dataset.name}.csv"] = ("text/csv; charset=utf-8", _csv(dataset.fields, rows))
        document = {
            "platform": platform.slug,
            "publisher": publisher,
            "dataset": dataset.name,
            "generated_at": _iso(now),
            "licence": {"id": code, "title": title, "url": url},
            "fields": {f.name: str(f.help) for f in dataset.fields},
            "data": rows,
        }
        files[f"{dataset.name}.json"] = (
            "application/json",
            json.dumps(document, ensure_ascii=False, indent=1).encode(),
        )
    giving = giving360.package(platform, now=now, publisher=publisher, licence_url=url)
    if giving is not None:
        files[giving360.JSON_NAME] = ("application/json", giving360.json_text(giving).encode())
        files[giving360.CSV_NAME] = ("text/csv; charset=utf-8", giving360.csv_text(giving["grants"]).encode())
    with transaction.atomic():
        if giving is None:  # no money given by organisations (any more): no 360Giving file
            OpenDataFile.objects.filter(platform=platform, name__in=GIVING_FILES).delete()
        for name, (content_type, content) in files.items():
            OpenDataFile.objects.update_or_create(
                platform=platform,
                name=name,
                defaults={"content_type": content_type, "content": content, "licence": code, "generated_at": now},
            )
    return sorted(files)


def open_data_files(platform: Platform) -> list[OpenDataFile]:
    """The platform's published files (without their content)."""
    return list(OpenDataFile.objects.filter(platform=platform).defer("content"))


def open_data_file(platform: Platform, name: str) -> OpenDataFile | None:
    return OpenDataFile.objects.filter(platform=platform, name=name).first()
