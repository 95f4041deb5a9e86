"""Fixtures of the partners tests: a verified council on the civic platform with an administrator and a
reviewer, and an unverified company."""

from __future__ import annotations

import pytest
from django.utils import timezone

from partners.models import MemberRole, Membership, Organisation, OrganisationKind
from tests.factories import StaffFactory, UserFactory


def organisation_make(platform, name, *, verified=True, kind=OrganisationKind.PUBLIC_BODY, admin=None, reviewer=None):
    from django.utils.text import slugify

    organisation = Organisation.objects.create(
        platform=platform,
        name=name,
        slug=slugify(name),
        kind=kind,
        verified_at=timezone.now() if verified else None,
    )
    if admin is not None:
        Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
    if reviewer is not None:
        Membership.objects.create(organisation=organisation, user=reviewer, role=MemberRole.REVIEWER)
    return organisation


@pytest.fixture
def org_admin(db):
    return UserFactory(username="council-admin")


@pytest.fixture
def org_reviewer(db):
    return UserFactory(username="council-reviewer")


@pytest.fixture
def staff(db):
    return StaffFactory(username="platform-staff")


@pytest.fixture
def council(civic, org_admin, org_reviewer):
    return organisation_make(civic, "Riverside Council", admin=org_admin, reviewer=org_reviewer)


@pytest.fixture
def company(civic):
    return organisation_make(civic, "Acme Ltd", verified=False, kind=OrganisationKind.COMPANY, admin=UserFactory())


@pytest.fixture(autouse=True)
def english():
    """The services speak the active language; a page of a Persian platform fetched by an earlier test
    leaves Persian active in this thread, so each test starts in English."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def make_pot(council, org_admin, staff):
    """`make_pot(paid_in=..., **rule)`: a linear pot of the council on the civic platform, open now for a
    month, with `paid_in` paid in by bank transfer (recorded by staff)."""
    import datetime as dt

    from partners.services.pots import pot_create, pot_pay_in

    def make(*, paid_in=100_000, rule="linear", ratio=1, budget=None, **fields):
        now = timezone.now()
        pot = pot_create(
            organisation=council,
            user=org_admin,
            name=f"Pot {rule}",
            budget=budget or paid_in,
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=30),
            rule=rule,
            ratio=ratio if rule == "linear" else None,
            **fields,
        )
        if paid_in:
            pot = pot_pay_in(pot=pot, staff=staff, amount=paid_in, reference=f"BACS-{pot.pk}")
        return pot

    return make


@pytest.fixture
def audit_clean():
    """`audit_clean()` asserts audit_ledger finds nothing wrong (the per-pot checks included)."""
    from funding.audit import ledger_audit

    def check(now=None):
        problems = ledger_audit(now=now or timezone.now())
        assert problems == []

    return check
