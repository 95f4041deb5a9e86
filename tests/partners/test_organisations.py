"""Organisations, endorsements and sponsors (issue 13, "Organisations"): staff verify an organisation
before it can act; members endorse submitted or live campaigns of its platform with a public note and
withdraw with a public reason; every decision is in the public log; bad input writes nothing."""

import pytest

from core.errors import ApplicationError, PermissionDenied
from decisions.kinds import kind_label
from decisions.models import ActorRole, Decision
from partners.models import Endorsement, MemberRole, Membership, Organisation, Sponsorship
from partners.selectors import (
    campaigns_endorsed_filter,
    endorsements_standing,
    organisation_totals,
    organisation_verified_member,
    sponsors_of,
)
from partners.services import organisations as svc
from projects.models import Campaign, CampaignStatus

from ..factories import CampaignFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_registering_an_organisation_makes_its_user_the_administrator_and_it_starts_unverified(civic, backer):
    organisation = svc.organisation_create(
        platform=civic, user=backer, name=" Riverside Trust ", kind="charitable_fund"
    )
    assert organisation.name == "Riverside Trust" and organisation.slug == "riverside-trust"
    assert not organisation.is_verified
    assert Membership.objects.get(organisation=organisation).user == backer
    assert not organisation_verified_member(backer)


def test_bad_registrations_are_refused_and_write_nothing(civic, backer):
    with pytest.raises(ApplicationError, match="name"):
        svc.organisation_create(platform=civic, user=backer, name="  ", kind="company")
    with pytest.raises(ApplicationError, match="kind"):
        svc.organisation_create(platform=civic, user=backer, name="X", kind="mayor")
    svc.organisation_create(platform=civic, user=backer, name="Acme", kind="company")
    with pytest.raises(ApplicationError, match="exists"):
        svc.organisation_create(platform=civic, user=backer, name="ACME", kind="company")
    assert Organisation.objects.count() == 1


def test_staff_verify_an_organisation_and_the_decision_is_public(company, staff):
    svc.organisation_verify(organisation=company, staff=staff, note="Registered company, checked.")
    company.refresh_from_db()
    assert company.is_verified and company.verified_by == staff
    decision = Decision.objects.get(kind="organisation.verified")
    assert decision.actor_role == ActorRole.STAFF and decision.on_behalf_of == "Acme Ltd"
    assert kind_label(decision.kind) == "Organisation verified"
    assert organisation_verified_member(company.members.get().user, company.platform)


def test_only_staff_verify_and_only_once(company, staff, backer):
    with pytest.raises(PermissionDenied):
        svc.organisation_verify(organisation=company, staff=backer)
    svc.organisation_verify(organisation=company, staff=staff)
    with pytest.raises(ApplicationError, match="already"):
        svc.organisation_verify(organisation=company, staff=staff)
    assert Decision.objects.count() == 1


def test_a_member_endorses_a_live_campaign_with_a_public_note(council, org_reviewer):
    campaign = CampaignFactory(slug="civic")
    endorsement = svc.endorsement_create(
        organisation=council, campaign=campaign, user=org_reviewer, note="  Fits our parks plan.  "
    )
    assert endorsement.note == "Fits our parks plan."
    assert endorsements_standing(campaign) == [endorsement]
    decision = Decision.objects.get(kind="endorsement.given")
    assert (decision.campaign, decision.actor_role, decision.reason) == (
        campaign,
        ActorRole.ORGANISATION_REVIEWER,
        "Fits our parks plan.",
    )
    assert organisation_totals(council)["endorsed"] == 1
    assert list(campaigns_endorsed_filter(Campaign.objects.all(), council.pk)) == [campaign]


def test_a_submitted_campaign_can_be_endorsed_but_a_draft_or_closed_one_cannot(council, org_admin):
    submitted = CampaignFactory(slug="civic", status=CampaignStatus.SUBMITTED)
    svc.endorsement_create(organisation=council, campaign=submitted, user=org_admin, note="Yes")
    for status in (CampaignStatus.DRAFT, CampaignStatus.SUCCEEDED, CampaignStatus.FAILED):
        campaign = CampaignFactory(slug="civic", status=status)
        with pytest.raises(ApplicationError, match="submitted or live"):
            svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="Yes")
    assert Endorsement.objects.count() == 1


def test_endorsement_refusals_write_nothing(council, company, org_admin, backer):
    campaign = CampaignFactory(slug="civic")
    arts_campaign = CampaignFactory(slug="arts")
    with pytest.raises(PermissionDenied, match="member"):
        svc.endorsement_create(organisation=council, campaign=campaign, user=backer, note="Yes")
    with pytest.raises(ApplicationError, match="not verified"):
        svc.endorsement_create(organisation=company, campaign=campaign, user=company.members.get().user, note="Yes")
    with pytest.raises(ApplicationError, match="another platform"):
        svc.endorsement_create(organisation=council, campaign=arts_campaign, user=org_admin, note="Yes")
    with pytest.raises(ApplicationError, match="note"):
        svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note=" ")
    with pytest.raises(ApplicationError, match="280"):
        svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="x" * 281)
    svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="Yes")
    with pytest.raises(ApplicationError, match="already endorses"):
        svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="Again")
    assert Endorsement.objects.count() == 1 and Decision.objects.count() == 1


def test_withdrawing_needs_a_public_reason_and_keeps_the_record(council, org_admin, backer):
    campaign = CampaignFactory(slug="civic")
    endorsement = svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="Yes")
    with pytest.raises(ApplicationError, match="why"):
        svc.endorsement_withdraw(endorsement=endorsement, user=org_admin, reason="")
    with pytest.raises(PermissionDenied):
        svc.endorsement_withdraw(endorsement=endorsement, user=backer, reason="Not mine")
    svc.endorsement_withdraw(endorsement=endorsement, user=org_admin, reason="The site changed.")
    endorsement.refresh_from_db()
    assert endorsement.withdrawn_reason == "The site changed." and endorsement.withdrawn_at is not None
    assert endorsements_standing(campaign) == []
    assert Decision.objects.get(kind="endorsement.withdrawn").reason == "The site changed."
    with pytest.raises(ApplicationError, match="already withdrawn"):
        svc.endorsement_withdraw(endorsement=endorsement, user=org_admin, reason="Again")
    # endorsed again later: a new standing endorsement beside the withdrawn one
    svc.endorsement_create(organisation=council, campaign=campaign, user=org_admin, note="Back again")
    assert Endorsement.objects.filter(campaign=campaign).count() == 2


def test_an_administrator_adds_members_a_reviewer_cannot(council, org_admin, org_reviewer):
    newcomer = UserFactory()
    svc.member_add(organisation=council, actor=org_admin, user=newcomer, role=MemberRole.REVIEWER)
    with pytest.raises(PermissionDenied):
        svc.member_add(organisation=council, actor=org_reviewer, user=UserFactory(), role=MemberRole.ADMIN)
    assert council.members.count() == 3


def test_staff_show_a_verified_organisation_as_a_sponsor_of_a_platform_or_campaign(council, company, staff):
    campaign = CampaignFactory(slug="civic")
    svc.sponsorship_add(organisation=council, staff=staff)
    svc.sponsorship_add(organisation=council, staff=staff, campaign=campaign)
    assert sponsors_of(council.platform) == [council]
    assert sponsors_of(council.platform, campaign) == [council]
    with pytest.raises(ApplicationError, match="not verified"):
        svc.sponsorship_add(organisation=company, staff=staff)
    with pytest.raises(ApplicationError, match="another platform"):
        svc.sponsorship_add(organisation=council, staff=staff, campaign=CampaignFactory(slug="arts"))
    assert Sponsorship.objects.count() == 2
