"""schemathesis against the live schema: generated requests to every operation, as a backer, an owner
and staff, must never cause a server error nor a response that breaks the schema."""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from civicfund.wsgi import application
from pledges.services import pledge_create
from projects.models import CampaignStatus, FinalReport
from tests.factories import GOOD_CARD, CampaignFactory, PledgeFactory, TierFactory, guarantee_verified, wallet_top_up

MAX_EXAMPLES = 12  # per operation; the whole test stays well under two minutes
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def world(presale, charity, owner, backer, admin_user):
    """Something to act on: a live campaign with a tier and pledges, a draft, a report under review."""
    live = CampaignFactory(slug="presale", owner=owner)
    tier = TierFactory(campaign=live, quantity_limit=50)
    pledge = pledge_create(campaign_id=live.pk, backer=backer, amount=20_000, tier_id=tier.pk, card=GOOD_CARD)
    draft = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT)
    guarantee_verified(draft)  # the pre-sale preset's draft can then be submitted
    paid = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.REPORT_SUBMITTED)
    report = FinalReport.objects.create(campaign=paid, text="done")
    ships = TierFactory(campaign=paid, ships=True, estimated_delivery=dt.date(2027, 3, 1))
    to_ship = [PledgeFactory(campaign=paid, tier=ships, backer=backer) for _ in range(2)]  # delivery moves
    wallet_top_up(backer, currency="IRR", amount=1_000_000)
    pot = _matching_pot(live, owner, admin_user)  # a verified organisation (the owner its admin), a paid-in pot
    call, applications = _open_call(owner, admin_user)
    ids = [live.pk, draft.pk, paid.pk, pledge.pk, report.pk, tier.pk, pot.pk, pot.organisation_id]
    ids += [p.pk for p in to_ship]
    ids += [call.pk, *applications]
    tokens = [Token.objects.get_or_create(user=u)[0].key for u in (backer, owner, admin_user)]
    return ids, tokens


def _matching_pot(campaign, admin, staff):
    import datetime as dt

    from django.utils import timezone

    from partners.models import MemberRole, Membership, Organisation, OrganisationKind
    from partners.services.pots import pot_create, pot_pay_in

    now = timezone.now()
    organisation = Organisation.objects.create(
        platform=campaign.platform, name="Fund", slug="fund", kind=OrganisationKind.CHARITABLE_FUND, verified_at=now
    )
    Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
    pot = pot_create(
        organisation=organisation,
        user=admin,
        name="Pot",
        budget=10**9,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
        rule="linear",
        ratio=1,
        campaigns=[campaign],
    )
    return pot_pay_in(pot=pot, staff=staff, amount=10**8, reference="BACS")


def _open_call(owner, admin_user):
    """A verified council's open call on the civic portal (`owner` one of its reviewers), with two
    applications waiting for a decision."""
    import datetime as dt

    from django.utils import timezone

    from partners.models import MemberRole, Membership, Organisation
    from partners.services.calls import application_submit, call_create
    from platforms.models import Platform

    civic = Platform.objects.get(slug="civic")
    council = Organisation.objects.create(platform=civic, name="Council", slug="council", kind="public_body")
    council.verified_at = timezone.now()
    council.save(update_fields=["verified_at"])
    Membership.objects.create(organisation=council, user=admin_user, role=MemberRole.ADMIN)
    Membership.objects.create(organisation=council, user=owner, role=MemberRole.REVIEWER)
    now = timezone.now()
    call = call_create(
        organisation=council,
        user=admin_user,
        title="Call",
        theme="Theme",
        description="Description.",
        criteria="Criteria.",
        applications_open_at=now - dt.timedelta(days=1),
        applications_close_at=now + dt.timedelta(days=10),
        campaigns_deadline=now + dt.timedelta(days=40),
    )
    applications = []
    for _ in range(2):
        draft = CampaignFactory(slug="civic", status=CampaignStatus.DRAFT)
        applications.append(application_submit(call=call, campaign=draft, user=draft.owner).pk)
    return call, applications


@pytest.fixture
def keep_test_connection():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction; Django's test client avoids this the same way."""
    signals = (request_started, request_finished)
    for signal in signals:
        signal.disconnect(close_old_connections)
    yield
    for signal in signals:
        signal.connect(close_old_connections)


@pytest.mark.django_db
def test_schemathesis_finds_no_server_error_and_no_schema_violation(world, keep_test_connection):
    ids, tokens = world
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)
    failures: list[str] = []
    succeeded: set[str] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        label = f"{operation.method.upper()} {operation.path}"

        @given(case=operation.as_strategy(), token=st.sampled_from(tokens), real_id=st.sampled_from(ids + [None]))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, token, real_id):
            if real_id is not None and case.path_parameters and "id" in case.path_parameters:
                case.path_parameters["id"] = real_id
            if real_id is not None and case.path_parameters and "slug" in case.path_parameters:
                case.path_parameters["slug"] = "presale"  # a real platform, as real ids are given
            response = case.call(headers={"Authorization": f"Token {token}"})
            if response.status_code < 300:
                succeeded.add(label)  # noqa: B023 - the test runs within this iteration
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report all
            failures.append(f"{label}: {exc}")
    assert not failures, "\n\n".join(failures)
    # The generated requests got past validation on most operations, not only 4xx everywhere.
    assert len(succeeded) >= len(operations) // 2, sorted(succeeded)
