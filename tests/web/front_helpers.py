"""Helpers of the front pages' tests (unit and browser): a matching pot, an open call, funded campaigns."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.text import slugify

from partners.models import Call, CallStatus, MemberRole, Membership, Organisation, OrganisationKind
from partners.services.pots import pot_create, pot_pay_in
from projects.models import CampaignStatus
from tests.factories import CampaignFactory, StaffFactory, UserFactory, platform


def council(name: str = "Riverside Council", slug: str = "civic") -> tuple[Organisation, object]:
    """A verified organisation of the platform `slug` and its administrator."""
    admin = UserFactory()
    organisation = Organisation.objects.create(
        platform=platform(slug),
        name=name,
        slug=slugify(name),
        kind=OrganisationKind.PUBLIC_BODY,
        verified_at=timezone.now(),
    )
    Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
    return organisation, admin


def matching_pot(*, paid_in: int = 1_000_000, campaigns=None, slug: str = "civic"):
    """A linear 1:1 pot open for a month, paid in; `campaigns` narrows it to those."""
    organisation, admin = council(slug=slug)
    now = timezone.now()
    pot = pot_create(
        organisation=organisation,
        user=admin,
        name="Playground fund",
        budget=paid_in,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        rule="linear",
        ratio=1,
        campaigns=campaigns,
    )
    return pot_pay_in(pot=pot, staff=StaffFactory(), amount=paid_in, reference=f"BACS-{pot.pk}")


def open_call(organisation: Organisation, title: str = "Green corners") -> Call:
    now = timezone.now()
    return Call.objects.create(
        organisation=organisation,
        platform=organisation.platform,
        title=title,
        theme="Small green spaces",
        description="Plant a corner of your street.",
        criteria="Open to residents.",
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=10),
        campaigns_deadline=now + dt.timedelta(days=40),
        status=CallStatus.PUBLISHED,
    )


def funded_campaign(slug: str = "civic", *, days_ago: int = 2, **fields):
    """A campaign that closed funded `days_ago` days ago, with what it raised recorded at the close."""
    now = timezone.now()
    goal = fields.pop("goal", 100_000)
    return CampaignFactory(
        slug=slug,
        goal=goal,
        status=CampaignStatus.SUCCEEDED,
        starts_at=now - dt.timedelta(days=days_ago + 30),
        deadline=now - dt.timedelta(days=days_ago),
        closed_at=now - dt.timedelta(days=days_ago),
        raised_at_close=goal,
        backers_at_close=3,
        **fields,
    )
