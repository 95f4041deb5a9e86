"""Open calls (issue 13): a verified organisation's administrator publishes a call; owners apply with a
draft campaign of the call's platform within its window; the organisation's reviewers shortlist, approve
(the draft goes to the platform's review, and once live it draws on the call's pot) or decline with a
public reason. Every decision is on the public log with who, when and why; bad input writes nothing."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import ApplicationError, PermissionDenied
from core.outbox import outbox_send
from decisions.models import ActorRole, Decision
from partners.models import Application, ApplicationStatus, Call, Match
from partners.services.calls import (
    application_approve,
    application_decline,
    application_shortlist,
    application_submit,
)
from projects.models import CampaignStatus
from projects.services import campaign_approve

from ..factories import CampaignFactory, UserFactory
from .calls_helpers import DAY, call_make, draft_make
from .conftest import organisation_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(council, org_admin):
    return call_make(council, org_admin)


@pytest.fixture
def draft(civic):
    return draft_make(goal=100_000, funding_model="all_or_nothing")


def test_an_administrator_of_a_verified_organisation_publishes_a_call(council, org_admin):
    call = call_make(council, org_admin)
    assert (call.status, call.platform, call.organisation) == ("published", council.platform, council)
    decision = Decision.objects.get(kind="call.published")
    assert (decision.subject_type, decision.subject_id) == ("call", call.pk)
    assert (decision.actor_role, decision.on_behalf_of) == (ActorRole.ORGANISATION_ADMIN, "Riverside Council")


@pytest.mark.parametrize(
    "who, fields, error",
    [
        ("admin", {"applications_close_at": timezone.now() - 2 * DAY}, ApplicationError),  # window ends before
        ("admin", {"campaigns_deadline": timezone.now() + 5 * DAY}, ApplicationError),  # deadline in the window
        ("admin", {"title": "  "}, ApplicationError),
        ("admin", {"criteria": ""}, ApplicationError),
        ("reviewer", {}, PermissionDenied),  # publishing is the administrator's
        ("stranger", {}, PermissionDenied),
    ],
)
def test_a_call_that_cannot_work_is_refused_and_nothing_written(council, org_admin, org_reviewer, who, fields, error):
    user = {"admin": org_admin, "reviewer": org_reviewer, "stranger": UserFactory()}[who]
    with pytest.raises(error):
        call_make(council, user, **fields)
    assert not Call.objects.exists() and not Decision.objects.filter(kind="call.published").exists()


def test_an_unverified_organisation_cannot_publish_a_call(company):
    admin = company.members.get().user
    with pytest.raises(ApplicationError, match="not verified"):
        call_make(company, admin)
    assert not Call.objects.exists()


def test_a_quadratic_pot_must_close_between_applications_and_the_campaigns_deadline(council, org_admin, make_pot):
    pot = make_pot(rule="quadratic", ratio=None, cap_percent=50)  # closes in 30 days
    with pytest.raises(ApplicationError, match="quadratic round closes"):
        call_make(council, org_admin, pot=pot, campaigns_deadline=timezone.now() + 20 * DAY)
    with pytest.raises(ApplicationError, match="quadratic round closes"):
        call_make(council, org_admin, pot=pot, applications_close_at=timezone.now() + 31 * DAY)
    assert not Call.objects.exists()
    assert call_make(council, org_admin, pot=pot).pot == pot


def test_the_budget_must_be_the_organisations_own_pot_and_not_another_calls(council, org_admin, make_pot, civic):
    pot = make_pot(rule="quadratic", ratio=None)
    call_make(council, org_admin, pot=pot)
    with pytest.raises(ApplicationError, match="another call"):
        call_make(council, org_admin, pot=pot)
    other_admin = UserFactory()
    other = organisation_make(civic, "Other Trust", admin=other_admin)
    with pytest.raises(ApplicationError, match="pot of the organisation"):
        call_make(other, other_admin, pot=pot)
    assert Call.objects.count() == 1


def test_an_owner_applies_with_a_draft_which_takes_the_calls_deadline(call, draft):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    draft.refresh_from_db()
    assert (application.status, application.campaign) == (ApplicationStatus.SUBMITTED, draft)
    assert draft.deadline == call.campaigns_deadline and draft.status == CampaignStatus.DRAFT


def test_a_campaign_of_another_platform_cannot_apply(call):
    elsewhere = CampaignFactory(slug="arts", status=CampaignStatus.DRAFT)
    with pytest.raises(ApplicationError, match="another platform"):
        application_submit(call=call, campaign=elsewhere, user=elsewhere.owner)
    assert not Application.objects.exists()


def test_only_the_owner_applies_only_with_a_draft_and_only_once(call, draft, council, org_admin):
    with pytest.raises(PermissionDenied):
        application_submit(call=call, campaign=draft, user=UserFactory())
    live = CampaignFactory(slug="civic")
    with pytest.raises(ApplicationError, match="draft"):
        application_submit(call=call, campaign=live, user=live.owner)
    application_submit(call=call, campaign=draft, user=draft.owner)
    second = call_make(council, org_admin, title="Another call")
    with pytest.raises(ApplicationError, match="already applied"):
        application_submit(call=second, campaign=draft, user=draft.owner)
    assert Application.objects.count() == 1


def test_applications_are_taken_only_within_the_window(call, draft):
    with pytest.raises(ApplicationError, match="not taking applications"):
        application_submit(call=call, campaign=draft, user=draft.owner, now=call.applications_close_at)
    with pytest.raises(ApplicationError, match="not taking applications"):
        application_submit(
            call=call, campaign=draft, user=draft.owner, now=call.applications_open_at - dt.timedelta(seconds=1)
        )
    application_submit(
        call=call, campaign=draft, user=draft.owner, now=call.applications_close_at - dt.timedelta(seconds=1)
    )


def test_a_campaign_outside_the_calls_categories_cannot_apply(council, org_admin, civic, draft):
    other_category = civic.categories.exclude(pk=draft.category_id).first()
    call = call_make(council, org_admin, categories=[other_category])
    with pytest.raises(ApplicationError, match="category"):
        application_submit(call=call, campaign=draft, user=draft.owner)


def test_a_reviewer_approves_and_the_draft_goes_to_the_platforms_review(call, draft, org_reviewer):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    application_approve(application=application, user=org_reviewer, note="Strong local support.")
    draft.refresh_from_db()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED and application.decided_by == org_reviewer
    assert draft.status == CampaignStatus.SUBMITTED  # the platform's own approval is still needed
    decision = Decision.objects.get(kind="call.application_approved")
    assert (decision.actor_role, decision.on_behalf_of, decision.reason, decision.campaign) == (
        ActorRole.ORGANISATION_REVIEWER,
        "Riverside Council",
        "Strong local support.",
        draft,
    )
    assert decision.at == application.decided_at


def test_the_owner_is_told_of_each_decision(call, draft, org_reviewer):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    application_decline(application=application, user=org_reviewer, reason="Outside the borough.")
    outbox_send()
    assert [m.to for m in mail.outbox] == [[draft.owner.email]]
    assert "declined" in mail.outbox[0].subject and "Outside the borough." in mail.outbox[0].body


def test_a_campaign_approved_in_the_call_draws_on_its_pot_once_live(
    council, org_admin, make_pot, org_reviewer, staff, make_backers, pledge, audit_clean
):
    pot = make_pot(paid_in=50_000, ratio=1)
    call = call_make(council, org_admin, pot=pot)
    approved, other = draft_make(goal=100_000), draft_make(goal=100_000)
    application_approve(
        application=application_submit(call=call, campaign=approved, user=approved.owner), user=org_reviewer
    )
    application_submit(call=call, campaign=other, user=other.owner)  # not decided: no match
    campaign_approve(campaign=approved, admin=staff)  # staff: in the group Reviewers
    other.status = CampaignStatus.LIVE
    other.save(update_fields=["status"])
    one, two = make_backers(2)
    pledge(approved, one, 1_000)
    pledge(other, two, 1_000)
    assert [(m.campaign, m.amount) for m in Match.objects.all()] == [(approved, 1_000)]
    audit_clean()


def test_a_decline_needs_a_public_reason_and_leaves_the_draft_to_its_owner(call, draft, org_reviewer):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    with pytest.raises(ApplicationError, match="why"):
        application_decline(application=application, user=org_reviewer, reason="  ")
    application_decline(application=application, user=org_reviewer, reason="Outside the borough.")
    application.refresh_from_db()
    draft.refresh_from_db()
    assert (application.status, application.reason) == (ApplicationStatus.DECLINED, "Outside the borough.")
    assert draft.status == CampaignStatus.DRAFT
    decision = Decision.objects.get(kind="call.application_declined")
    assert decision.reason == "Outside the borough." and decision.campaign is None  # a draft stays private


def test_shortlist_then_approve_and_no_decision_twice(call, draft, org_admin, org_reviewer):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    application_shortlist(application=application, user=org_reviewer)
    application_approve(application=application, user=org_admin)
    with pytest.raises(ApplicationError, match="cannot be declined"):
        application_decline(application=application, user=org_reviewer, reason="Changed our mind.")
    with pytest.raises(ApplicationError):
        application_shortlist(application=application, user=org_reviewer)
    assert list(Decision.objects.filter(subject_type="application").order_by("id").values_list("kind", flat=True)) == [
        "call.application_shortlisted",
        "call.application_approved",
    ]


def test_a_reviewer_of_another_organisation_cannot_decide(call, draft, civic):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    outsider = UserFactory()
    organisation_make(civic, "Other Trust", reviewer=outsider)
    for decide in (application_shortlist, application_approve):
        with pytest.raises(PermissionDenied):
            decide(application=application, user=outsider)
    with pytest.raises(PermissionDenied):
        application_decline(application=application, user=outsider, reason="No.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.decided_by is None
    assert not Decision.objects.filter(subject_type="application").exists()


def test_an_organisation_no_longer_verified_cannot_decide(call, draft, council, org_reviewer):
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    council.verified_at = None
    council.save(update_fields=["verified_at"])
    with pytest.raises(ApplicationError, match="not verified"):
        application_approve(application=application, user=org_reviewer)
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED
