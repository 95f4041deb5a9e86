"""Reads of campaigns and platforms."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, Sum

from .models import Campaign


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
    (pledges.services) without the ORM's cost of compiling a query. Raises Campaign.DoesNotExist."""
    from .models import Platform

    global _campaign_read_sql
    campaign_fields, platform_fields = Campaign._meta.concrete_fields, Platform._meta.concrete_fields
    if _campaign_read_sql is None:
        cols = [f'c."{f.column}"' for f in campaign_fields] + [f'p."{f.column}"' for f in platform_fields]
        _campaign_read_sql = (
            f'SELECT {", ".join(cols)} FROM "{Campaign._meta.db_table}" c '
            f'JOIN "{Platform._meta.db_table}" p ON p."id" = c."platform_id" WHERE c."id" = %s'
        )
    with connection.cursor() as cursor:
        cursor.execute(_campaign_read_sql, [campaign_id])
        row = cursor.fetchone()
    if row is None:
        raise Campaign.DoesNotExist(campaign_id)
    campaign = _from_row(Campaign, campaign_fields, row[: len(campaign_fields)])
    campaign.platform = _from_row(Platform, platform_fields, row[len(campaign_fields) :])
    return campaign


_campaign_read_sql: str | None = None


def _from_row(model, fields, values):
    """A model instance from a plain query's row, with the fields' own conversions (JSON, ...)."""
    converted = []
    for field, value in zip(fields, values, strict=True):
        for convert in field.get_db_converters(connection):
            value = convert(value, field, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


def campaign_raised(campaign_id: int) -> int:
    """DOMAIN.md "Raised": paid pledges, and cards secured on charge-on-success platforms."""
    return campaign_totals(campaign_id)[0]


def campaign_totals(campaign_id: int) -> tuple[int, int]:
    """What a campaign has raised now (as `campaign_raised`) and from how many distinct backers."""
    from pledges.models import COUNTING, Pledge

    totals = Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING).aggregate(
        raised=Sum("amount", default=0), backers=Count("backer", distinct=True)
    )
    return totals["raised"], totals["backers"]


def campaigns_with_totals(qs=None):
    """Campaigns annotated with `raised` and `backers`, in one query whatever their number: those of
    its deadline for a closed campaign (`raised_at_close`, `backers_at_close`: a failed campaign shows
    what it reached, not the nothing its refunds leave), the live counts before.

    Each total is a subquery on the campaign's own counting pledges (index `pledge_campaign_status_id`)
    rather than a join grouped over every pledge: a page of campaigns sorted by date or goal costs
    its own campaigns' pledges (PostgreSQL computes the subqueries after the sort and the LIMIT), not
    the whole pledge table's. Sorting by a total still computes it for every campaign matched."""
    from django.db.models import IntegerField, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from pledges.models import COUNTING, Pledge

    qs = Campaign.objects.all() if qs is None else qs
    counting = Pledge.objects.filter(campaign=OuterRef("pk"), status__in=COUNTING).order_by().values("campaign")
    raised = Subquery(counting.annotate(total=Sum("amount")).values("total"), output_field=IntegerField())
    backers = Subquery(counting.annotate(n=Count("backer", distinct=True)).values("n"), output_field=IntegerField())
    return qs.select_related("platform", "category", "owner").annotate(
        raised=Coalesce("raised_at_close", raised, 0), backers=Coalesce("backers_at_close", backers, 0)
    )


# Campaigns anyone may see; drafts and campaigns under review only their owner and staff.
NOT_PUBLIC = ("draft", "submitted")


def campaigns_visible_to(user, qs=None):
    """`campaigns_with_totals` limited to what `user` may read: public campaigns, the user's own,
    and everything for staff."""
    qs = campaigns_with_totals(qs)
    if getattr(user, "is_staff", False):
        return qs
    public = ~Q(status__in=NOT_PUBLIC)
    if getattr(user, "is_authenticated", False):
        return qs.filter(public | Q(owner_id=user.pk))
    return qs.filter(public)


def campaign_detail_prefetch(qs):
    """What a campaign's page shows besides its totals: tiers, updates and the approved final report
    (as `public_reports`), each in one query whatever the number of campaigns."""
    from django.db.models import Prefetch

    from .models import FinalReport, ReportStatus

    return qs.prefetch_related(
        "tiers",
        "updates",
        Prefetch("final_reports", FinalReport.objects.filter(status=ReportStatus.APPROVED), to_attr="public_reports"),
    )


def final_reports_visible_to(user):
    """Final reports staff review; owners see those of their own campaigns."""
    from .models import FinalReport

    qs = FinalReport.objects.select_related("campaign")
    if getattr(user, "is_staff", False):
        return qs
    return qs.filter(campaign__owner_id=user.pk)


# --- the citizen site's reads: a fixed number of queries whatever the number of rows ------------

FUNDED_STATUSES = ["succeeded", "paid", "report_submitted", "report_rejected", "completed"]
FAILED_STATUSES = ["failed", "refunding", "refunded"]
PUBLIC_EXCLUDED = ["draft", "submitted"]


def campaigns_public(platform=None):
    """Campaigns a visitor may see (approved ones), with `raised` and `backers`."""
    qs = Campaign.objects.exclude(status__in=PUBLIC_EXCLUDED)
    if platform is not None:
        qs = qs.filter(platform=platform)
    return campaigns_with_totals(qs)


def platform_totals(platform) -> dict:
    """What a platform has raised (pledges that count, on approved campaigns), from how many distinct
    backers, and how many campaigns were funded: two queries."""
    from pledges.models import COUNTING, Pledge

    pledges = Pledge.objects.filter(campaign__platform=platform, status__in=COUNTING)
    totals = pledges.aggregate(raised=Sum("amount", default=0), backers=Count("backer", distinct=True))
    totals["funded"] = Campaign.objects.filter(platform=platform, status__in=FUNDED_STATUSES).count()
    return totals


# Arabic keyboards type kaf and yeh (ك ي, and alef maksura ى) where Persian text has ک and ی.
_TO_PERSIAN = str.maketrans({"\u0643": "\u06a9", "\u064a": "\u06cc", "\u0649": "\u06cc"})
_TO_ARABIC = str.maketrans({"\u06a9": "\u0643", "\u06cc": "\u064a"})


def search_spellings(text: str) -> list[str]:
    """`text` as typed, in Persian letters and in Arabic-keyboard letters (one item when it has neither),
    and with a space, a zero-width non-joiner (ZWNJ) or nothing between the parts of a word, as people
    type "مدرسه‌ای" three ways."""
    spellings = set()
    for joined in {text, text.replace(" ", "\u200c"), text.replace("\u200c", " "), text.replace("\u200c", "")}:
        persian = joined.translate(_TO_PERSIAN)
        spellings |= {joined, persian, persian.translate(_TO_ARABIC)}
    return sorted(spellings)


def text_search(text: str, *, fields=("title", "story", "region")) -> Q:
    """Campaigns with `text` in any of `fields`, whichever way its kaf and yeh are spelled there."""
    match = Q()
    for spelling in search_spellings(text):
        for field in fields:
            match |= Q(**{f"{field}__icontains": spelling})
    return match


def campaigns_browse(
    *,
    platform=None,
    category: str = "",
    region: str = "",
    state: str = "",
    funding_model: str = "",
    q: str = "",
    sort: str = "newest",
):
    """The browse page's filters and sort orders over `campaigns_public`, as one queryset.

    "ending": live campaigns first, the soonest deadline first; then the closed ones (funded or
    failed), the most recently ended first, so the filters still show everything they match.
    """
    from django.db.models import Case, ExpressionWrapper, F, IntegerField, Value, When

    qs = campaigns_public(platform)
    if category:
        qs = qs.filter(category__slug=category)
    if region:
        qs = qs.filter(region__iexact=region)
    if state == "live":
        qs = qs.filter(status="live")
    elif state == "funded":
        qs = qs.filter(status__in=FUNDED_STATUSES)
    elif state == "failed":
        qs = qs.filter(status__in=FAILED_STATUSES)
    if funding_model:
        qs = qs.filter(funding_model=funding_model)
    if q:
        qs = qs.filter(text_search(q))
    if sort == "ending":
        live = Q(status="live")
        qs = qs.annotate(
            closed_rank=Case(When(live, then=Value(0)), default=Value(1), output_field=IntegerField()),
            live_deadline=Case(When(live, then=F("deadline")), default=None),
        )
        qs = qs.order_by("closed_rank", "live_deadline", "-deadline", "-id")
    elif sort == "funded":
        qs = qs.annotate(funded_percent=ExpressionWrapper(F("raised") * 100 / F("goal"), output_field=IntegerField()))
        qs = qs.order_by("-funded_percent", "-id")
    else:
        qs = qs.order_by("-created_at", "-id")
    return qs
