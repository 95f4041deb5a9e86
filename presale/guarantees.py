"""Bank guarantees of pre-sale campaigns: the owner files one, staff verify it, its issuer may withdraw it
(recorded by staff), and it expires on its date. A platform that requires one refuses a campaign's
submission without a verified guarantee lasting past the promised delivery plus the claim window."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import money
from core.errors import ApplicationError, InvalidTransition, PermissionDenied
from core.outbox import notify
from decisions.kinds import kind_register
from decisions.models import ActorRole
from decisions.services import decision_record
from projects import hooks as project_hooks
from projects.attachments import attachment_check
from projects.models import FAILED_STATUSES, Campaign, CampaignStatus

from .models import GUARANTEE_TRANSITIONS, Guarantee, GuaranteeStatus
from .selectors import month_end

G = GuaranteeStatus

KIND_LABELS = {
    "guarantee.verified": _("Bank guarantee verified"),
    "guarantee.withdrawn": _("Bank guarantee withdrawn by its issuer"),
    "guarantee.expired": _("Bank guarantee expired"),
}
for _code, _label in KIND_LABELS.items():
    kind_register(_code, _label)


def promised_delivery(campaign: Campaign) -> dt.date:
    """The last day of the latest estimated delivery month of the campaign's rewards; without one, the
    day of its deadline."""
    latest = campaign.tiers.aggregate(latest=Max("estimated_delivery"))["latest"]
    return month_end(latest) if latest else timezone.localtime(campaign.deadline, campaign.platform.tz).date()


def guarantee_needed_until(campaign: Campaign) -> dt.date:
    """A guarantee must last until backers can no longer claim: the promised delivery, plus the grace a
    reward may be late, plus the claim window."""
    platform = campaign.platform
    return promised_delivery(campaign) + dt.timedelta(days=platform.delivery_grace_days + platform.claim_window_days)


def guarantee_in_force(campaign: Campaign) -> Guarantee | None:
    return Guarantee.objects.filter(campaign=campaign, status=G.VERIFIED).first()


def _move(guarantee: Guarantee, to: str) -> None:
    if to not in GUARANTEE_TRANSITIONS[guarantee.status]:
        raise InvalidTransition(
            gettext_noop("This guarantee cannot change that way now."),
            code="guarantee_transition",
        )
    guarantee.status = to


def guarantee_add(
    *,
    campaign: Campaign,
    user: Any,
    issuer: str,
    reference: str,
    amount: int,
    currency: str,
    expires_on: dt.date,
    document: Any,
) -> Guarantee:
    """The owner files the campaign's guarantee (waiting for staff to verify it). Refused: not the
    owner, a campaign that failed or is completed, a guarantee already in force or waiting, a currency
    other than the campaign's, an amount out of range, an expiry before the promised delivery plus the
    grace and the claim window, a document that is not a picture or PDF. Nothing is written then."""
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(gettext_noop("Only the campaign's owner can do this."))
    if campaign.status in (*FAILED_STATUSES, CampaignStatus.COMPLETED):
        raise ApplicationError(gettext_noop("This campaign no longer takes a guarantee."), code="guarantee_closed")
    if not issuer.strip():
        raise ApplicationError(gettext_noop("Name the bank or fund that issued the guarantee."), field="issuer")
    if not reference.strip():
        raise ApplicationError(gettext_noop("Give the guarantee's reference."), field="reference")
    if currency != campaign.currency:
        raise ApplicationError(gettext_noop("The guarantee must be in the campaign's currency."), field="currency")
    if not 0 < amount <= money.MAX_AMOUNT:
        raise ApplicationError(gettext_noop("Enter the amount the guarantee covers."), field="amount")
    if expires_on < guarantee_needed_until(campaign):
        raise ApplicationError(
            gettext_noop(
                "The guarantee must last past the promised delivery plus the platform's grace and claim window."
            ),
            code="guarantee_too_short",
            field="expires_on",
        )
    if document is None:
        raise ApplicationError(gettext_noop("Attach the scanned guarantee."), field="document")
    try:
        kind = attachment_check(document)
    except ApplicationError as exc:
        raise ApplicationError(exc.message, field="document") from None
    with transaction.atomic():
        Campaign.objects.select_for_update().get(pk=campaign.pk)
        if Guarantee.objects.filter(campaign=campaign, status__in=(G.SUBMITTED, G.VERIFIED)).exists():
            raise ApplicationError(
                gettext_noop("This campaign already has a guarantee in force or waiting for staff."),
                code="guarantee_exists",
            )
        guarantee = Guarantee.objects.create(
            campaign=campaign,
            issuer=issuer.strip(),
            reference=reference.strip(),
            amount=amount,
            currency=currency,
            expires_on=expires_on,
            document=document,
            document_type=kind,
        )
        notify("guarantee_news", guarantee_id=guarantee.pk, news="submitted")
    return guarantee


def guarantee_verify(*, guarantee: Guarantee, staff: Any) -> Guarantee:
    """Staff checked the document with its issuer: the guarantee is in force and the campaign page says
    so. Locks the guarantee; it must be waiting and still last long enough. Recorded in the decision
    log; the owner is e-mailed."""
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update().select_related("campaign__platform").get(pk=guarantee.pk)
        _move(guarantee, G.VERIFIED)
        if guarantee.expires_on < guarantee_needed_until(guarantee.campaign):
            raise ApplicationError(
                gettext_noop(
                    "The guarantee must last past the promised delivery plus the platform's grace and claim window."
                ),
                code="guarantee_too_short",
            )
        guarantee.verified_at = timezone.now()
        guarantee.verified_by = staff
        guarantee.save(update_fields=["status", "verified_at", "verified_by"])
        decision_record(
            platform=guarantee.campaign.platform,
            campaign=guarantee.campaign,
            kind="guarantee.verified",
            actor_role=ActorRole.PLATFORM_REVIEWER,
            subject_type="guarantee",
            subject_id=guarantee.pk,
            actor=staff,
        )
        notify("guarantee_news", guarantee_id=guarantee.pk, news="verified")
    return guarantee


def guarantee_withdraw(*, guarantee: Guarantee, staff: Any, reason: str) -> Guarantee:
    """Staff record that the issuer withdrew the guarantee (`reason` is public). Backers, the owner and
    staff are e-mailed; the campaign page says it was withdrawn."""
    if not reason.strip():
        raise ApplicationError(gettext_noop("Say why the guarantee was withdrawn."), field="reason")
    return _guarantee_end(guarantee=guarantee, to=G.WITHDRAWN, actor=staff, reason=reason.strip())


def _guarantee_end(*, guarantee: Guarantee, to: str, actor: Any, reason: str) -> Guarantee:
    with transaction.atomic():
        guarantee = Guarantee.objects.select_for_update().select_related("campaign__platform").get(pk=guarantee.pk)
        _move(guarantee, to)
        guarantee.ended_at = timezone.now()
        guarantee.end_reason = reason
        guarantee.save(update_fields=["status", "ended_at", "end_reason"])
        decision_record(
            platform=guarantee.campaign.platform,
            campaign=guarantee.campaign,
            kind=f"guarantee.{to}",
            actor_role=ActorRole.STAFF if actor is not None else ActorRole.SYSTEM,
            reason=reason,
            subject_type="guarantee",
            subject_id=guarantee.pk,
            actor=actor,
        )
        notify("guarantee_news", guarantee_id=guarantee.pk, news=to)
    return guarantee


def guarantees_expire(*, now: dt.datetime | None = None) -> int:
    """Scheduled: each verified guarantee whose last day has passed in its platform's time zone expires
    (backers, the owner and staff are e-mailed). Returns how many expired."""
    now = now or timezone.now()
    due = Guarantee.objects.filter(status=G.VERIFIED, expires_on__lt=now.date() + dt.timedelta(days=1))
    expired = 0
    for guarantee in due.select_related("campaign__platform"):
        if guarantee.expires_on < timezone.localtime(now, guarantee.campaign.platform.tz).date():
            _guarantee_end(guarantee=guarantee, to=G.EXPIRED, actor=None, reason="")
            expired += 1
    return expired


@project_hooks.submission_check.register
def guarantee_required(*, campaign: Campaign, user: Any) -> None:
    """projects.hooks.submission_check: on a platform that requires it, a verified guarantee lasting past
    the promised delivery plus the grace and the claim window."""
    if not campaign.platform.guarantee_required:
        return
    guarantee = guarantee_in_force(campaign)
    if guarantee is None:
        raise ApplicationError(
            gettext_noop("This platform requires a bank guarantee verified by its staff before submission."),
            code="guarantee_required",
        )
    if guarantee.expires_on < guarantee_needed_until(campaign):
        raise ApplicationError(
            gettext_noop(
                "The guarantee must last past the promised delivery plus the platform's grace and claim window."
            ),
            code="guarantee_too_short",
        )
