"""Helpers of the open-call tests: a call of the council with its pot, an owner's draft, an approved
campaign. Plain functions (fixtures stay in conftest and the test modules)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from partners.models import Application, ApplicationStatus
from partners.services.calls import call_create
from projects.models import CampaignStatus

from ..factories import CampaignFactory

DAY = dt.timedelta(days=1)


def call_make(council, admin, *, pot=None, **fields):
    """A call open for applications since yesterday, closing in 10 days; campaigns end in 40 days (a
    quadratic pot of `make_pot` closes in 30: between the two)."""
    now = timezone.now()
    values = {
        "title": "Greener streets 2026",
        "theme": "Trees and green spaces",
        "description": "Projects that plant and care for trees in the borough.",
        "criteria": "Local support, a maintenance plan, value for money.",
        "applications_open_at": now - DAY,
        "applications_close_at": now + 10 * DAY,
        "campaigns_deadline": now + 40 * DAY,
    }
    values.update(fields)
    return call_create(organisation=council, user=admin, pot=pot, **values)


def draft_make(**fields):
    return CampaignFactory(slug="civic", status=CampaignStatus.DRAFT, **fields)


def approved_live(call, **fields):
    """A live campaign approved in `call`, ending at the call's campaigns' deadline."""
    fields.setdefault("deadline", call.campaigns_deadline)
    campaign = CampaignFactory(slug="civic", funding_model="all_or_nothing", **fields)
    Application.objects.create(call=call, campaign=campaign, status=ApplicationStatus.APPROVED)
    return campaign
