"""Reads of pledges."""
from __future__ import annotations

from .models import Pledge


def pledges_of(backer):
    """A backer's own pledges, newest first, with what a list shows of their campaign and tier."""
    return Pledge.objects.filter(backer_id=backer.pk).select_related("campaign", "tier")

