"""Organisations, their members, endorsements and sponsorships. Every decision is written to the public
decision log (`decisions`) in its own transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from decisions.models import ActorRole
from decisions.services import decision_record
from platforms.models import Platform
from projects.models import Campaign, CampaignStatus

from ..models import Endorsement, MemberRole, Membership, Organisation, OrganisationKind, Sponsorship

ENDORSABLE = (CampaignStatus.SUBMITTED, CampaignStatus.LIVE)
NOTE_MAX = 280


def check_staff(user: Any) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied(_("Only platform staff may do this."))


def member_role(organisation: Organisation, user: Any) -> str | None:
    """The user's role in the organisation, or None."""
    if not getattr(user, "pk", None):
        return None
    return Membership.objects.filter(organisation=organisation, user_id=user.pk).values_list("role", flat=True).first()


def check_member(organisation: Organisation, user: Any, *roles: str) -> str:
    """Raise PermissionDenied unless `user` is a member of `organisation` (with one of `roles` if given)."""
    role = member_role(organisation, user)
    if role is None or (roles and role not in roles):
        raise PermissionDenied(_("Only a member of %(name)s may do this.") % {"name": organisation.name})
    return role


def check_verified(organisation: Organisation) -> None:
    if not organisation.is_verified:
        raise ApplicationError(
            _("%(name)s is not verified yet: platform staff verify an organisation before it can act.")
            % {"name": organisation.name},
            code="organisation_unverified",
        )


def check_same_platform(organisation: Organisation, campaign: Campaign) -> None:
    if campaign.platform_id != organisation.platform_id:
        raise ApplicationError(
            _("This campaign belongs to another platform than the organisation."), code="platform_mismatch"
        )


def actor_role_of(role: str) -> str:
    return ActorRole.ORGANISATION_REVIEWER if role == MemberRole.REVIEWER else ActorRole.ORGANISATION_ADMIN


@transaction.atomic
def organisation_create(
    *,
    platform: Platform,
    user: Any,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    slug: str = "",
) -> Organisation:
    """Register an organisation on a platform; `user` becomes its first administrator. It can act only
    once staff verify it."""
    name = name.strip()
    if not name:
        raise ApplicationError(_("Give the organisation's name."), field="name")
    if kind not in OrganisationKind.values:
        raise ApplicationError(_("Choose a kind of organisation."), field="kind")
    if not getattr(user, "pk", None):
        raise PermissionDenied(_("Sign in first."))
    slug = slugify(slug or name)[:80]
    if not slug:
        raise ApplicationError(_("Give the organisation's name in Latin letters for its address."), field="slug")
    if Organisation.objects.filter(platform=platform, slug=slug).exists():
        raise ApplicationError(_("An organisation with this address exists on this platform."), field="slug")
    organisation = Organisation.objects.create(
        platform=platform, name=name, slug=slug, kind=kind, description=description.strip(), website=website.strip()
    )
    Membership.objects.create(organisation=organisation, user=user, role=MemberRole.ADMIN)
    return organisation


@transaction.atomic
def organisation_verify(*, organisation: Organisation, staff: Any, note: str = "") -> Organisation:
    """Staff verify an organisation (so it may endorse, fund and run calls); recorded publicly."""
    check_staff(staff)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.is_verified:
        raise ApplicationError(_("This organisation is already verified."), code="already_verified")
    organisation.verified_at = timezone.now()
    organisation.verified_by = staff
    organisation.save(update_fields=["verified_at", "verified_by"])
    decision_record(
        platform=organisation.platform,
        kind="organisation.verified",
        actor_role=ActorRole.STAFF,
        actor=staff,
        reason=note,
        subject_type="organisation",
        subject_id=organisation.pk,
        on_behalf_of=organisation.name,
    )
    return organisation


@transaction.atomic
def member_add(*, organisation: Organisation, actor: Any, user: Any, role: str) -> Membership:
    """An organisation's administrator (or staff) adds a member with a role (admin or reviewer)."""
    if not getattr(actor, "is_staff", False):
        check_member(organisation, actor, MemberRole.ADMIN)
    if role not in MemberRole.values:
        raise ApplicationError(_("Choose a role: administrator or reviewer."), field="role")
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def endorsement_create(*, organisation: Organisation, campaign: Campaign, user: Any, note: str) -> Endorsement:
    """A member of a verified organisation endorses a submitted or live campaign of its platform with a
    short public note."""
    role = check_member(organisation, user)
    check_verified(organisation)
    check_same_platform(organisation, campaign)
    note = note.strip()
    if not note:
        raise ApplicationError(_("Write a short public note with the endorsement."), field="note")
    if len(note) > NOTE_MAX:
        raise ApplicationError(_("Keep the note to %(n)s characters.") % {"n": NOTE_MAX}, field="note")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status not in ENDORSABLE:
        raise ApplicationError(_("Only a submitted or live campaign can be endorsed."), code="not_endorsable")
    if Endorsement.objects.filter(organisation=organisation, campaign=campaign, withdrawn_at__isnull=True).exists():
        raise ApplicationError(_("%(name)s already endorses this campaign.") % {"name": organisation.name})
    endorsement = Endorsement.objects.create(organisation=organisation, campaign=campaign, endorsed_by=user, note=note)
    decision_record(
        platform=campaign.platform,
        campaign=campaign,
        kind="endorsement.given",
        actor_role=actor_role_of(role),
        actor=user,
        reason=note,
        subject_type="endorsement",
        subject_id=endorsement.pk,
        on_behalf_of=organisation.name,
    )
    return endorsement


@transaction.atomic
def endorsement_withdraw(*, endorsement: Endorsement, user: Any, reason: str) -> Endorsement:
    """Withdraw a standing endorsement with a public reason; it stays on record as withdrawn."""
    endorsement = (
        Endorsement.objects.select_for_update().select_related("organisation", "campaign").get(pk=endorsement.pk)
    )
    organisation = endorsement.organisation
    role = check_member(organisation, user)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("Say publicly why the endorsement is withdrawn."), field="reason")
    if endorsement.withdrawn_at is not None:
        raise ApplicationError(_("This endorsement was already withdrawn."), code="already_withdrawn")
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_reason = reason
    endorsement.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    decision_record(
        platform=organisation.platform,
        campaign=endorsement.campaign,
        kind="endorsement.withdrawn",
        actor_role=actor_role_of(role),
        actor=user,
        reason=reason,
        subject_type="endorsement",
        subject_id=endorsement.pk,
        on_behalf_of=organisation.name,
    )
    return endorsement


@transaction.atomic
def sponsorship_add(*, organisation: Organisation, staff: Any, campaign: Campaign | None = None) -> Sponsorship:
    """Staff show a verified organisation as a sponsor of its platform, or of one of its campaigns."""
    check_staff(staff)
    check_verified(organisation)
    if campaign is not None:
        check_same_platform(organisation, campaign)
    sponsorship, _created = Sponsorship.objects.get_or_create(
        organisation=organisation, platform=organisation.platform, campaign=campaign
    )
    return sponsorship
