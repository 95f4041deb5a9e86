"""Money given by organisations, in the 360Giving Data Standard (1.4): a JSON data package and the
flattened spreadsheet (CSV), published daily with the rest of the open data (stats.services.open_data).

What is a grant here. Every match-funding pot of an organisation gives money to campaigns as matches
(partners.models.Match): one per pledge (linear), one per campaign (milestone grant) or one at a
quadratic round's close. One grant is what one pot gives one campaign: the sum of its matches that
were not returned to the pot (a failed campaign's, a refunded pledge's). `amountAwarded` is that sum,
`amountDisbursed` the part already paid to the project (collected at the close), `awardDate` the day
of its first match. A pot × campaign whose matches were all returned gave nothing and is left out.

Identifiers (360Giving's identifier guidance): every identifier starts with the platform's 360Giving
prefix (`OpenDataSettings.giving_prefix`; blank: `360G-civicfund-<platform>`), then an internal one:
- grant `<prefix>-match-<pot>-<campaign>`, grant programme (the pot) `<prefix>-pot-<pot>`;
- funding organisation `<prefix>-org-<organisation>`: the platform records no registration number
  (charity, company) of its organisations, and for an organisation without one the guidance says to
  use the publisher's prefix and an internal identifier;
- recipient `<prefix>-project-<campaign>`, as a `recipientOrganization` named by the campaign's title:
  the money is given to the project, which is public, not to its owner in person. The owner is
  usually an individual or an unregistered group; the standard's way for individuals
  (`recipientIndividual`, "Individual Recipient") would hide which project got the money, and the
  owner's name is personal data the open data never publishes (neither does this file). So the
  project is published as an unregistered group, with the publisher's prefix, as the guidance asks.

Amounts are in the currency's major unit as exact decimals (12.50 GBP, never a float); a toman
platform's amounts are written in rials (IRR, × 10), since the standard's currency list is ISO 4217,
which has no toman. The flattened CSV's column titles are the standard's own ("Recipient
Org:Identifier"), read from the schema in stats/standards/360giving/, as flattentool writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import iso_major_units
from partners.models import Application, ApplicationStatus, Match, MatchStatus, Pot, PotRule
from platforms.models import Platform
from projects.models import Campaign

from ..models import OpenDataSettings

STANDARD_DIR = Path(__file__).resolve().parent.parent / "standards" / "360giving"
GRANT_SCHEMA = STANDARD_DIR / "360-giving-schema.json"
PACKAGE_SCHEMA = STANDARD_DIR / "360-giving-package-schema.json"
VERSION = "1.4"  # the package's `version` (major.minor of the schemas copied in STANDARD_DIR)
JSON_NAME = "grants-360giving.json"
RULE_WORDS: dict[str, str] = {  # the grant's description, in English (the standard's data is read by its English tools)
    PotRule.LINEAR: "Match funding, pledge by pledge,",
    PotRule.MILESTONE: "A grant at a milestone",
    PotRule.QUADRATIC: "A quadratic funding round's share",
}
CSV_NAME = "grants-360giving.csv"

# The columns of the flattened file (the JSON's fields, by the standard's titles), for the open-data page.
FIELDS = (
    ("Identifier", _("The grant: <prefix>-match-<pot>-<campaign>, one per pot and project.")),
    ("Title", _("The campaign's title.")),
    ("Description", _("What was given, by whom, from which pot, to which project (in English).")),
    ("Currency", _("ISO 4217 code; a toman platform's amounts are in rials (IRR), 1 toman = 10 rials.")),
    ("Amount Awarded", _("Matches committed or paid, not returned to the pot, in the currency's main unit (12.50).")),
    ("Amount Disbursed", _("The part of it already paid to the project, at the campaign's successful close.")),
    ("Award Date", _("The day of the first match (YYYY-MM-DD, UTC).")),
    ("Recipient Org:Identifier", _("The project: <prefix>-project-<campaign>. Never the owner's name.")),
    ("Funding Org:Identifier", _("The organisation: <prefix>-org-<number>, with its name.")),
    ("Grant Programme:Code", _("The match-funding pot: <prefix>-pot-<number>, with its name.")),
    ("From An Open Call?", _("Yes when the project was approved in the call the pot funds.")),
    ("Beneficiary Location:Name", _("The campaign's area, with the country's code.")),
    ("Classifications:Code", _("The campaign's category (slug), with its name.")),
)


def giving_prefix(platform: Platform) -> str:
    """The platform's 360Giving prefix: the one 360Giving registered (admin, "Open data settings"),
    else `360G-civicfund-<slug>` (unique, but not registered)."""
    chosen = OpenDataSettings.objects.filter(platform=platform).values_list("giving_prefix", flat=True).first()
    return chosen or f"360G-civicfund-{platform.slug}"


def _date_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _site() -> str:
    return settings.CIVICFUND_SITE_URL.rstrip("/")


def grants(platform: Platform) -> list[dict[str, Any]]:
    """The platform's grants in 360Giving's shape (one per pot × campaign with money given), oldest
    award first."""
    given = (
        Match.objects.filter(pot__platform=platform)
        .exclude(status=MatchStatus.RETURNED)
        .values("pot_id", "campaign_id")
        .annotate(
            awarded=Sum("amount"),
            disbursed=Sum("amount", filter=Q(status=MatchStatus.COLLECTED)),
            first=Min("created_at"),
            last_created=Max("created_at"),
            last_settled=Max("settled_at"),
        )
        .order_by("first", "pot_id", "campaign_id")
    )
    rows = list(given)
    if not rows:
        return []
    pots = {p.pk: p for p in Pot.objects.filter(pk__in={r["pot_id"] for r in rows}).select_related("organisation")}
    campaigns = {
        c.pk: c
        for c in Campaign.objects.filter(pk__in={r["campaign_id"] for r in rows}).select_related("category", "area")
    }
    from_calls = set(
        Application.objects.filter(
            call__pot__in=list(pots), campaign__in=list(campaigns), status=ApplicationStatus.APPROVED
        ).values_list("call__pot", "campaign")
    )
    prefix, site = giving_prefix(platform), _site()
    source = site + reverse("platform-open-data-file", args=[platform.slug, JSON_NAME])
    country = platform.holiday_country.upper()
    out = []
    for r in rows:
        pot, campaign = pots[r["pot_id"]], campaigns[r["campaign_id"]]
        organisation = pot.organisation
        awarded, currency = iso_major_units(r["awarded"], pot.currency)
        disbursed, _ = iso_major_units(r["disbursed"] or 0, pot.currency)
        page = site + reverse("campaign", args=[platform.slug, campaign.pk])
        funder: dict[str, Any] = {"id": f"{prefix}-org-{organisation.pk}", "name": organisation.name}
        if organisation.website:
            funder["url"] = organisation.website
        location: dict[str, Any] = {"countryCode": country}
        if campaign.area is not None:
            location = {"id": f"{prefix}-area-{campaign.area.slug}", "name": campaign.area.name, **location}
        modified = max(t for t in (r["last_created"], r["last_settled"]) if t is not None)
        out.append(
            {
                "id": f"{prefix}-match-{pot.pk}-{campaign.pk}",
                "title": campaign.title,
                "description": (
                    f"{RULE_WORDS.get(pot.rule, 'Money')} from {organisation.name}'s pot “{pot.name}” for the "
                    f"crowdfunded project “{campaign.title}” on {platform.name}."
                ),
                "currency": currency,
                "amountAwarded": awarded,
                "amountDisbursed": disbursed,
                "awardDate": r["first"].astimezone(dt.UTC).date().isoformat(),
                "url": page,
                "recipientOrganization": [
                    {
                        "id": f"{prefix}-project-{campaign.pk}",
                        "name": campaign.title,
                        "description": f"A crowdfunded project on {platform.name} (not a registered organisation).",
                        "url": page,
                    }
                ],
                "fundingOrganization": [funder],
                "grantProgramme": [{"code": f"{prefix}-pot-{pot.pk}", "title": pot.name}],
                "fromOpenCall": "Yes" if (pot.pk, campaign.pk) in from_calls else "No",
                "beneficiaryLocation": [location],
                "classifications": [
                    {
                        "vocabulary": f"{prefix}-category",
                        "code": campaign.category.slug,
                        "title": campaign.category.name,
                    }
                ],
                "dateModified": _date_time(modified),
                "dataSource": source,
            }
        )
    return out


def package(platform: Platform, *, now: dt.datetime, publisher: str, licence_url: str) -> dict[str, Any] | None:
    """The 360Giving data package of the platform (None while no organisation has given money: the
    standard's package needs at least one grant)."""
    found = grants(platform)
    if not found:
        return None
    site = _site()
    return {
        "grants": found,
        "version": VERSION,
        "title": f"Money given by organisations on {platform.name}",
        "description": (
            f"Match funding and grants that organisations gave to crowdfunded projects on {platform.name} "
            "(one grant per pot and project), regenerated daily."
        ),
        "identifier": f"{giving_prefix(platform)}-grants",
        "issued": now.astimezone(dt.UTC).date().isoformat(),
        "modified": _date_time(now),
        "publisher": {"name": publisher, "website": site + reverse("platform", args=[platform.slug])},
        "license": licence_url,
        "accessURL": site + reverse("platform-open-data", args=[platform.slug]),
        "downloadURL": site + reverse("platform-open-data-file", args=[platform.slug, JSON_NAME]),
    }


# --- writing it: exact decimals in JSON, and the flattened spreadsheet -------------------------

_MARK = "\x00"  # never in a title or a name (Django's forms refuse NUL; titles refuse control characters)
_MARKED = re.compile(r'"\\u0000(-?[0-9]+(?:\.[0-9]+)?)\\u0000"')


def _marked(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{value}{_MARK}"
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_marked(v) for v in value]
    return value


def json_text(document: Any) -> str:
    """JSON with every Decimal written as the exact number it is (12.50, not 12.5 by way of a float)."""
    return _MARKED.sub(r"\1", json.dumps(_marked(document), ensure_ascii=False, indent=1))


@cache
def _grant_schema() -> dict[str, Any]:
    return json.loads(GRANT_SCHEMA.read_text())


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref and ref.startswith("#/$defs/"):
        return {
            **_grant_schema()["$defs"][ref.removeprefix("#/$defs/")],
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    return node


def _flat(value: Any, schema: dict[str, Any], title: str, out: dict[str, Any]) -> None:
    schema = _resolved(schema)
    if isinstance(value, dict):
        for key, item in value.items():
            child = _resolved(schema["properties"][key])
            _flat(item, child, f"{title}:{child['title']}" if title else child["title"], out)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        if len(value) > 1:
            raise ValueError(f"{title}: the flattened sheet holds one item per list (rolled up), not {len(value)}")
        _flat(value[0], schema["items"], title, out)
    else:
        out[title] = "" if value is None else str(value)


def flattened(found: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each grant as one spreadsheet row keyed by the standard's column titles ("Amount Awarded",
    "Funding Org:Identifier"), the titles taken from the schema's `title`s joined with ":"."""
    rows = []
    for grant in found:
        row: dict[str, str] = {}
        _flat(grant, _grant_schema(), "", row)
        rows.append(row)
    return rows


def csv_text(found: list[dict[str, Any]]) -> str:
    """The flattened spreadsheet as CSV (UTF-8 without a BOM, so the first title reads "Identifier"
    to 360Giving's tools)."""
    rows = flattened(found)
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
