"""The public decision log: one entry per decision, in the decision's own transaction; a reason that is
public by construction; a campaign never logged under another platform."""

import pytest
from django.db import transaction

from core.errors import ApplicationError
from decisions.kinds import kind_label, kind_register
from decisions.models import ActorRole, Decision
from decisions.selectors import decisions_of
from decisions.services import decision_record

from ..factories import CampaignFactory, StaffFactory, platform

pytestmark = pytest.mark.django_db


def test_a_decision_is_recorded_with_its_role_public_reason_and_subject(civic):
    campaign = CampaignFactory(slug="civic")
    staff = StaffFactory()
    entry = decision_record(
        platform=civic,
        campaign=campaign,
        kind="call.application_declined",
        actor_role=ActorRole.ORGANISATION_REVIEWER,
        on_behalf_of="Riverside Council",
        actor=staff,
        reason="  Outside the call's area.  ",
        subject_type="call",
        subject_id=7,
    )
    assert list(decisions_of(campaign=campaign)) == [entry]
    assert list(decisions_of(subject_type="call", subject_id=7)) == [entry]
    assert entry.reason == "Outside the call's area."
    assert entry.get_actor_role_display() == "Organisation reviewer"
    assert entry.actor == staff  # kept for staff, not part of what is shown


def test_a_decision_rolled_back_with_its_transaction_leaves_no_entry(civic):
    campaign = CampaignFactory(slug="civic")
    with pytest.raises(RuntimeError), transaction.atomic():
        decision_record(platform=civic, campaign=campaign, kind="pot.closed_early", actor_role=ActorRole.STAFF)
        raise RuntimeError("the decision itself failed")
    assert not Decision.objects.exists()


def test_a_campaign_of_another_platform_is_refused_and_nothing_is_written(civic):
    arts_campaign = CampaignFactory(slug="arts")
    with pytest.raises(ApplicationError, match="another platform"):
        decision_record(platform=civic, campaign=arts_campaign, kind="x.y", actor_role=ActorRole.STAFF)
    with pytest.raises(ApplicationError, match="role"):
        decision_record(platform=civic, kind="x.y", actor_role="mayor")
    with pytest.raises(ApplicationError, match="subject"):
        decision_record(platform=civic, kind="x.y", actor_role=ActorRole.STAFF, subject_type="call")
    assert not Decision.objects.exists()


def test_the_log_is_newest_first_and_per_platform(civic, arts):
    first = decision_record(platform=civic, kind="a.first", actor_role=ActorRole.SYSTEM)
    second = decision_record(platform=civic, kind="a.second", actor_role=ActorRole.SYSTEM)
    decision_record(platform=platform("arts"), kind="a.elsewhere", actor_role=ActorRole.SYSTEM)
    assert list(decisions_of(platform=civic)) == [second, first]


def test_a_kind_reads_as_its_registered_wording_and_an_unknown_one_as_its_code():
    kind_register("test.kind_worded", "A worded decision")
    assert kind_label("test.kind_worded") == "A worded decision"
    assert kind_label("test.unknown_kind") == "test.unknown_kind"
    with pytest.raises(ValueError):
        kind_register("test.kind_worded", "Another wording")
