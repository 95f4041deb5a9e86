"""Open calls: an organisation publishes a call on its platform, owners apply with a draft campaign, the
organisation's reviewers shortlist, approve or decline (docs/architecture.md, "Open calls").

Every decision is written to the public decision log (`decisions`) in the same transaction as the change
it records, with who (a role, and the organisation it acted for), when and why; the call's page shows them.

The platform keeps its own approval: approving an application submits the draft campaign to the platform's
review (as its owner would, with the same checks), and the campaign goes live when platform staff approve it
(`projects.services.campaign_approve`); from then on it draws on the call's pot, because a pot with a call
matches only campaigns approved in it (`pots.pots_eligible`). Applying sets the draft's deadline to the
call's campaigns' deadline, so all the call's campaigns end together, after its quadratic round (if any)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.outbox import notify
from decisions.models import ActorRole
from decisions.services import decision_record
from platforms.models import Area, Category
from projects.models import Campaign, CampaignStatus
from projects.selectors import campaign_lock
from projects.services import campaign_edit, campaign_submit

from ..models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    MemberRole,
    Organisation,
    Pot,
    PotRule,
    PotStatus,
)
from .organisations import actor_role_of, check_member, check_verified

REVIEWERS = (MemberRole.REVIEWER, MemberRole.ADMIN)
# The one map of an application's allowed moves.
DECIDABLE: dict[str, tuple[str, ...]] = {
    ApplicationStatus.SHORTLISTED: (ApplicationStatus.SUBMITTED,),
    ApplicationStatus.APPROVED: (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED),
    ApplicationStatus.DECLINED: (ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED),
}
REASON_MAX = 2000


def _text(value: Any, *, field: str, message: str) -> str:
    text = str(value or "").strip()
    if not text:
        raise ApplicationError(message, field=field)
    return text


def call_check(
    *,
    organisation: Organisation,
    title: str,
    theme: str,
    description: str,
    criteria: str,
    applications_open_at: dt.datetime | None,
    applications_close_at: dt.datetime | None,
    campaigns_deadline: dt.datetime | None,
    pot: Pot | None = None,
    areas: list[Area] | None = None,
    categories: list[Category] | None = None,
) -> None:
    """The rules of a call's terms (no lock taken, nothing written): the admin's form runs them to show each
    error next to its field; `call_create` runs them again under the pot's lock."""
    check_verified(organisation)
    platform = organisation.platform
    _text(title, field="title", message=_("Give the call a title."))
    _text(theme, field="theme", message=_("Give the call's theme."))
    _text(description, field="description", message=_("Describe the call."))
    _text(criteria, field="criteria", message=_("Say how applications are selected."))
    if not applications_open_at or not applications_close_at or applications_close_at <= applications_open_at:
        raise ApplicationError(_("The application window must end after it opens."), field="applications_close_at")
    if not campaigns_deadline or campaigns_deadline <= applications_close_at:
        raise ApplicationError(
            _("The campaigns' deadline must come after applications close."), field="campaigns_deadline"
        )
    for chosen, label in ((categories, "categories"), (areas, "areas")):
        if any(item.platform_id != platform.pk for item in chosen or []):
            raise ApplicationError(_("Choose only categories and areas of the call's platform."), field=label)
    if pot is not None:
        if pot.organisation_id != organisation.pk:
            raise ApplicationError(_("The call's budget must be a pot of the organisation."), field="pot")
        if pot.status != PotStatus.OPEN:
            raise ApplicationError(_("This pot is closed."), field="pot")
        if Call.objects.filter(pot=pot).exists():
            raise ApplicationError(_("This pot is the budget of another call."), field="pot")
        if pot.rule == PotRule.QUADRATIC and not applications_close_at <= pot.closes_at < campaigns_deadline:
            raise ApplicationError(
                _(
                    "A quadratic round closes when its pot does: the pot must close after applications close"
                    " and before the campaigns' deadline."
                ),
                field="pot",
            )


@transaction.atomic
def call_create(
    *,
    organisation: Organisation,
    user: Any,
    title: str,
    theme: str,
    description: str,
    criteria: str,
    applications_open_at: dt.datetime,
    applications_close_at: dt.datetime,
    campaigns_deadline: dt.datetime,
    pot: Pot | None = None,
    areas: list[Area] | None = None,
    categories: list[Category] | None = None,
) -> Call:
    """An administrator of a verified organisation (or platform staff, for it) publishes a call on the
    organisation's platform, its budget one of the organisation's open pots (not another call's). A
    quadratic pot's round closes at the pot's close: not before applications close, and before the
    campaigns' deadline. Bad input raises a clear error and writes nothing."""
    if getattr(user, "is_staff", False):
        role: str = ActorRole.STAFF
    else:
        role = actor_role_of(check_member(organisation, user, MemberRole.ADMIN))
    if pot is not None:
        pot = Pot.objects.select_for_update().get(pk=pot.pk)
    call_check(
        organisation=organisation,
        title=title,
        theme=theme,
        description=description,
        criteria=criteria,
        applications_open_at=applications_open_at,
        applications_close_at=applications_close_at,
        campaigns_deadline=campaigns_deadline,
        pot=pot,
        areas=areas,
        categories=categories,
    )
    call = Call.objects.create(
        organisation=organisation,
        platform=organisation.platform,
        title=title.strip(),
        theme=theme.strip(),
        description=description.strip(),
        criteria=criteria.strip(),
        pot=pot,
        applications_open_at=applications_open_at,
        applications_close_at=applications_close_at,
        campaigns_deadline=campaigns_deadline,
        status=CallStatus.PUBLISHED,
    )
    call.areas.set(areas or [])
    call.categories.set(categories or [])
    decision_record(
        platform=organisation.platform,
        kind="call.published",
        actor_role=role,
        actor=user,
        reason=call.theme,
        subject_type="call",
        subject_id=call.pk,
        on_behalf_of=organisation.name,
    )
    return call


def call_accepting(call: Call, now: dt.datetime) -> bool:
    """Published, and within its application window (open ≤ now < close)."""
    return call.status == CallStatus.PUBLISHED and call.applications_open_at <= now < call.applications_close_at


@transaction.atomic
def application_submit(*, call: Call, campaign: Campaign, user: Any, now: dt.datetime | None = None) -> Application:
    """The owner applies to a published call, within its window, with a draft campaign of the call's
    platform (in one of its categories and areas, where the call names any). The draft's deadline becomes
    the call's campaigns' deadline. A campaign applies to one call only."""
    now = now or timezone.now()
    call = Call.objects.select_related("organisation", "platform").get(pk=call.pk)
    campaign = campaign_lock(campaign.pk)
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the campaign's owner may apply with it."))
    if campaign.platform_id != call.platform_id:
        raise ApplicationError(
            _("This campaign belongs to another platform than the call."), code="platform_mismatch", field="campaign"
        )
    if not call_accepting(call, now):
        raise ApplicationError(_("This call is not taking applications now."), code="call_not_open")
    if campaign.status != CampaignStatus.DRAFT:
        raise ApplicationError(_("Apply with a draft campaign."), code="not_draft", field="campaign")
    if Application.objects.filter(campaign=campaign).exists():
        raise ApplicationError(_("This campaign has already applied to a call."), field="campaign")
    categories = set(call.categories.values_list("pk", flat=True))
    if categories and campaign.category_id not in categories:
        raise ApplicationError(_("The campaign's category is not one of the call's."), field="campaign")
    areas = set(call.areas.values_list("pk", flat=True))
    if areas and campaign.area_id not in areas:
        raise ApplicationError(_("Choose one of the call's areas for the campaign."), field="campaign")
    if campaign.deadline != call.campaigns_deadline:
        campaign_edit(campaign=campaign, user=user, deadline=call.campaigns_deadline)
    return Application.objects.create(call=call, campaign=campaign)


def _decide(application: Application, user: Any, to: str, *, reason: str = "") -> tuple[Application, str]:
    """Lock the application, check `user` reviews for the call's (verified) organisation and the move is
    allowed; record the new state. Caller is in a transaction and records the decision."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call__organisation", "call__platform", "campaign")
        .get(pk=application.pk)
    )
    organisation = application.call.organisation
    role = check_member(organisation, user, *REVIEWERS)
    check_verified(organisation)
    if application.status not in DECIDABLE[to]:
        raise ApplicationError(
            _("This application is %(status)s: it cannot be %(move)s.")
            % {
                "status": ApplicationStatus(application.status).label.lower(),
                "move": ApplicationStatus(to).label.lower(),
            },
            code="application_decided",
        )
    application.status, application.reason = to, reason
    application.decided_at, application.decided_by = timezone.now(), user
    application.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    return application, actor_role_of(role)


def _record(application: Application, user: Any, role: str, kind: str, reason: str, *, public_campaign: bool) -> None:
    decision_record(
        platform=application.call.platform,
        campaign=application.campaign if public_campaign else None,
        kind=kind,
        actor_role=role,
        actor=user,
        reason=reason,
        subject_type="application",
        subject_id=application.pk,
        on_behalf_of=application.call.organisation.name,
        at=application.decided_at,
    )


@transaction.atomic
def application_shortlist(*, application: Application, user: Any, note: str = "") -> Application:
    """A reviewer (or administrator) of the call's organisation shortlists a submitted application."""
    application, role = _decide(application, user, ApplicationStatus.SHORTLISTED)
    _record(application, user, role, "call.application_shortlisted", note, public_campaign=False)
    notify("call_decision", application_id=application.pk)
    return application


@transaction.atomic
def application_approve(*, application: Application, user: Any, note: str = "") -> Application:
    """A reviewer of the call's organisation approves an application: the campaign will draw on the call's
    pot. A draft is submitted to the platform's review on its owner's behalf (the same checks as the
    owner's own submission; a failing check refuses the approval and nothing is written); it goes live
    when platform staff approve it."""
    application, role = _decide(application, user, ApplicationStatus.APPROVED)
    campaign = application.campaign
    if campaign.status == CampaignStatus.DRAFT:
        campaign = campaign_submit(campaign=campaign, user=campaign.owner)
        application.campaign = campaign
    _record(application, user, role, "call.application_approved", note, public_campaign=True)
    notify("call_decision", application_id=application.pk)
    return application


@transaction.atomic
def application_decline(*, application: Application, user: Any, reason: str) -> Application:
    """A reviewer of the call's organisation declines an application with a public reason (the campaign,
    a draft, stays its owner's to change or submit on its own)."""
    reason = _text(reason, field="reason", message=_("Say publicly why the application is declined."))
    if len(reason) > REASON_MAX:
        raise ApplicationError(_("Keep the reason to %(n)s characters.") % {"n": REASON_MAX}, field="reason")
    application, role = _decide(application, user, ApplicationStatus.DECLINED, reason=reason)
    _record(application, user, role, "call.application_declined", reason, public_campaign=False)
    notify("call_decision", application_id=application.pk)
    return application


def check_reviewer(call: Call, user: Any) -> str:
    """The user's role if they may review the call's applications (raises PermissionDenied otherwise)."""
    if not getattr(user, "pk", None):
        raise PermissionDenied(_("Sign in first."))
    return check_member(call.organisation, user, *REVIEWERS)
