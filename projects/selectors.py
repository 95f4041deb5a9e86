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
        row = Campaign.objects.raw(
            f"SELECT id FROM {Campaign._meta.db_table} WHERE id = %s FOR SHARE", [campaign_id])
        if not list(row):
            raise Campaign.DoesNotExist(campaign_id)
        return qs.get(pk=campaign_id)
    return qs.select_for_update(of=("self",)).get(pk=campaign_id)


def campaign_raised(campaign_id: int) -> int:
    """DOMAIN.md "Raised": paid pledges, and cards secured on charge-on-success platforms."""
    from pledges.models import COUNTING, Pledge

    total = Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING).aggregate(t=Sum("amount"))
    return total["t"] or 0


def campaigns_with_totals(qs=None):
    """Campaigns annotated with `raised` and `backers`, in one query whatever their number."""
    from pledges.models import COUNTING

    qs = Campaign.objects.all() if qs is None else qs
    counting = Q(pledges__status__in=COUNTING)
    return qs.select_related("platform", "category", "owner").annotate(
        raised=Sum("pledges__amount", filter=counting, default=0),
        backers=Count("pledges__backer", filter=counting, distinct=True),
    )
