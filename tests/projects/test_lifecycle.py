"""A campaign's lifecycle: draft → submitted → live, sending back, and the moves that are refused."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import ApplicationError, InvalidTransition, PermissionDenied
from funding.services import campaign_close
from projects.models import CampaignStatus
from projects.reports import report_submit
from projects.services import (
    campaign_approve,
    campaign_create,
    campaign_edit,
    campaign_send_back,
    campaign_submit,
    tier_add,
)

from ..factories import CampaignFactory

S = CampaignStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(arts, owner):
    now = timezone.now()
    campaign = campaign_create(
        owner=owner,
        platform=arts,
        category=arts.categories.get(slug="theatre"),
        area=arts.areas.get(slug="tehran"),
        title="  A play  ",
        story="A play in the park.",
        goal=1_000_000,
        starts_at=now,
        deadline=now + dt.timedelta(days=30),
        funding_model="threshold",
    )
    tier_add(campaign=campaign, user=owner, amount=15_000, title="Ticket")
    return campaign


def test_a_new_campaign_is_a_draft_in_the_platform_currency(draft):
    assert draft.status == S.DRAFT
    assert draft.currency == "IRT"
    assert draft.title == "A play"


def test_owner_submits_and_staff_approve_a_campaign(draft, owner, admin_user):
    campaign_submit(campaign=draft, user=owner)
    campaign = campaign_approve(campaign=draft, admin=admin_user)
    assert campaign.status == S.LIVE
    moves = list(campaign.status_changes.values_list("from_status", "to_status", "actor__username"))
    assert moves == [(S.DRAFT, S.SUBMITTED, "owner"), (S.SUBMITTED, S.LIVE, "staff")]


def test_a_campaign_starts_when_approved_if_its_start_has_passed(draft, owner, admin_user):
    """The draft was written with "start: as soon as approved" (its creation time): the public sees it
    start when it went live, not before anyone could pledge. A start still ahead is kept."""
    campaign_submit(campaign=draft, user=owner)
    before = timezone.now()
    campaign = campaign_approve(campaign=draft, admin=admin_user)
    assert before <= campaign.starts_at <= timezone.now()
    later = CampaignFactory(slug="arts", status=S.SUBMITTED, starts_at=timezone.now() + dt.timedelta(days=2))
    start = later.starts_at
    assert campaign_approve(campaign=later, admin=admin_user).starts_at == start


def test_a_draft_without_a_start_starts_as_soon_as_approved(arts, owner):
    campaign = campaign_create(
        owner=owner,
        platform=arts,
        category=arts.categories.first(),
        title="Soon",
        story="Soon.",
        goal=1_000_000,
        deadline=timezone.now() + dt.timedelta(days=30),
        funding_model="threshold",
    )
    assert campaign.starts_at <= timezone.now()


def test_approving_a_draft_is_an_invalid_transition(draft, admin_user):
    with pytest.raises(InvalidTransition) as err:
        campaign_approve(campaign=draft, admin=admin_user)
    assert err.value.code == "invalid_transition"
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_submitting_twice_is_an_invalid_transition(draft, owner):
    campaign_submit(campaign=draft, user=owner)
    with pytest.raises(InvalidTransition):
        campaign_submit(campaign=draft, user=owner)
    assert draft.status_changes.count() == 1


def test_only_the_owner_submits(draft, backer):
    with pytest.raises(PermissionDenied):
        campaign_submit(campaign=draft, user=backer)


def test_a_tiers_only_platform_needs_a_tier_before_submission(arts, owner):
    now = timezone.now()
    campaign = campaign_create(
        owner=owner,
        platform=arts,
        category=arts.categories.first(),
        area=arts.areas.first(),
        title="No tiers",
        story=".",
        goal=100_000,
        starts_at=now,
        deadline=now + dt.timedelta(days=3),
        funding_model="threshold",
    )
    with pytest.raises(ApplicationError) as err:
        campaign_submit(campaign=campaign, user=owner)
    assert err.value.code == "tiers_required"


def test_non_staff_cannot_approve(draft, owner):
    campaign_submit(campaign=draft, user=owner)
    with pytest.raises(PermissionDenied):
        campaign_approve(campaign=draft, admin=owner)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_send_back_needs_a_reason(draft, owner, admin_user):
    campaign_submit(campaign=draft, user=owner)
    with pytest.raises(ApplicationError) as err:
        campaign_send_back(campaign=draft, admin=admin_user, reason="   ")
    assert err.value.field == "reason"
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_sent_back_campaign_returns_to_draft_with_the_reason_and_can_be_edited(draft, owner, admin_user):
    campaign_submit(campaign=draft, user=owner)
    campaign_send_back(campaign=draft, admin=admin_user, reason="Goal too vague")
    draft.refresh_from_db()
    assert (draft.status, draft.review_note) == (S.DRAFT, "Goal too vague")
    campaign_edit(campaign=draft, user=owner, goal=800_000)
    campaign_submit(campaign=draft, user=owner)
    assert campaign_approve(campaign=draft, admin=admin_user).goal == 800_000


def test_only_a_draft_can_be_edited(draft, owner):
    campaign_submit(campaign=draft, user=owner)
    with pytest.raises(ApplicationError) as err:
        campaign_edit(campaign=draft, user=owner, goal=1)
    assert err.value.code == "not_draft"


def test_sending_back_a_live_campaign_is_refused(owner, admin_user, arts):
    live = CampaignFactory(owner=owner)
    with pytest.raises(InvalidTransition):
        campaign_send_back(campaign=live, admin=admin_user, reason="Too late")


def test_a_campaign_whose_deadline_passed_in_review_is_not_approved(draft, owner, admin_user):
    campaign_submit(campaign=draft, user=owner)
    type(draft).objects.filter(pk=draft.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=2), deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ApplicationError) as err:
        campaign_approve(campaign=draft, admin=admin_user)
    assert err.value.code == "deadline_passed"


def test_a_draft_is_never_closed(draft):
    assert campaign_close(campaign_id=draft.pk, now=draft.deadline + dt.timedelta(days=1)) is None
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_a_live_campaign_cannot_file_a_final_report(owner, arts):
    live = CampaignFactory(owner=owner)
    with pytest.raises(InvalidTransition):
        report_submit(campaign=live, user=owner, text="Done", spending=[])


@pytest.mark.parametrize(
    "field, value",
    [
        ("goal", 0),
        ("funding_model", "all_or_nothing"),
    ],
)
def test_campaign_fields_are_checked_against_the_platform(arts, owner, field, value):
    now = timezone.now()
    fields = dict(
        owner=owner,
        platform=arts,
        category=arts.categories.first(),
        title="T",
        story=".",
        goal=100_000,
        starts_at=now,
        deadline=now + dt.timedelta(days=3),
        funding_model="threshold",
    )
    fields[field] = value
    with pytest.raises(ApplicationError):
        campaign_create(**fields)


def test_a_category_of_another_platform_is_refused(arts, charity, owner):
    now = timezone.now()
    with pytest.raises(ApplicationError) as err:
        campaign_create(
            owner=owner,
            platform=arts,
            category=charity.categories.first(),
            title="T",
            story=".",
            goal=100_000,
            starts_at=now,
            deadline=now + dt.timedelta(days=3),
            funding_model="threshold",
        )
    assert err.value.field == "category"


def test_a_campaign_needs_an_area_of_its_platform_before_it_is_submitted(arts, charity, owner):
    """Statistics count every campaign by area: a draft may wait for it, a submission may not, and an
    area of another platform is refused."""
    now = timezone.now()
    fields = dict(
        owner=owner,
        platform=arts,
        category=arts.categories.first(),
        title="Somewhere",
        story=".",
        goal=100_000,
        starts_at=now,
        deadline=now + dt.timedelta(days=3),
        funding_model="threshold",
    )
    with pytest.raises(ApplicationError) as err:
        campaign_create(**fields, area=charity.areas.get(slug="yazd"))
    assert err.value.field == "area"
    campaign = campaign_create(**fields)
    tier_add(campaign=campaign, user=owner, amount=15_000, title="Ticket")
    with pytest.raises(ApplicationError) as err:
        campaign_submit(campaign=campaign, user=owner)
    assert err.value.code == "area_required"
    campaign_edit(campaign=campaign, user=owner, area=arts.areas.get(slug="yazd"))
    assert campaign_submit(campaign=campaign, user=owner).status == S.SUBMITTED


def test_a_platform_without_areas_takes_campaigns_without_one(owner):
    from tests.factories import PlatformFactory

    platform = PlatformFactory()
    now = timezone.now()
    campaign = campaign_create(
        owner=owner,
        platform=platform,
        category=platform.categories.first(),
        title="Anywhere",
        story=".",
        goal=100_000,
        starts_at=now,
        deadline=now + dt.timedelta(days=3),
        funding_model="threshold",
    )
    assert campaign_submit(campaign=campaign, user=owner).status == S.SUBMITTED
