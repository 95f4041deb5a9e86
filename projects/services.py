"""Campaign lifecycle: drafting, review, the deadline close, the split, updates and final reports."""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from civicfund.errors import ApplicationError, PermissionDenied
from civicfund.money import basis_points_of, percent_of
from civicfund.notifications import notify
from ledger import services as ledger
from ledger.models import AccountKind, TransactionKind

from .calendars import payout_due_date
from .models import (
    Campaign,
    CampaignStatus,
    CampaignStatusChange,
    CampaignUpdate,
    Category,
    CollectionMode,
    FinalReport,
    Platform,
    ReportStatus,
    RewardTier,
)
from .selectors import campaign_lock, campaign_totals

log = logging.getLogger(__name__)
S = CampaignStatus


def campaign_move(campaign: Campaign, new_status: str, *, actor=None, note: str = "") -> Campaign:
    """Move a campaign along its lifecycle. Caller holds the campaign's row lock (`campaign_lock`).
    Raises InvalidTransition for a move the map in models.TRANSITIONS does not allow."""
    campaign.check_move(new_status)
    CampaignStatusChange.objects.create(
        campaign=campaign, from_status=campaign.status, to_status=new_status, actor=actor, note=note)
    campaign.status = new_status
    campaign.save(update_fields=["status"])
    return campaign


def _check_owner(campaign: Campaign, user) -> None:
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the campaign's owner may do this.")


def _once(model, *, campaign: Campaign, request_key: str | None, create):
    """`create()` writes one row of `model` with `request_key` (the caller found none of that key). Two
    copies of one owner form sent at once both get there: the unique (campaign, request_key) constraint
    refuses the second row, and the loser returns the winner's, its own writes rolled back."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if request_key and (row := model.objects.filter(campaign=campaign, request_key=request_key).first()):
            return row
        raise


def _check_staff(user) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied("Only platform staff may do this.")


def _check_campaign_fields(*, platform: Platform, category: Category, goal, starts_at, deadline,
                           funding_model: str, now: dt.datetime) -> None:
    if category.platform_id != platform.pk:
        raise ApplicationError("Choose a category of this platform.", field="category")
    if funding_model not in platform.funding_models:
        allowed = ", ".join(platform.funding_models)
        raise ApplicationError(f"This platform allows these funding models: {allowed}.",
                               field="funding_model")
    if isinstance(goal, bool) or not isinstance(goal, int) or goal <= 0:
        raise ApplicationError("The goal must be a positive whole amount.", field="goal")
    if goal > 10**15:
        raise ApplicationError("The goal is too large.", field="goal")
    if deadline <= starts_at:
        raise ApplicationError("The deadline must come after the start.", field="deadline")
    if deadline <= now:
        raise ApplicationError("The deadline must be in the future.", field="deadline")


def campaign_create(*, owner, platform: Platform, category: Category, title: str, story: str, goal: int,
                    deadline: dt.datetime, funding_model: str, starts_at: dt.datetime | None = None,
                    region: str = "", image=None, image_alt: str = "") -> Campaign:
    """A new draft campaign in the platform's currency (`image`: an uploaded picture, already checked
    by the form). No `starts_at`: it starts as soon as it is approved (`campaign_approve`)."""
    starts_at = starts_at or timezone.now()
    _check_campaign_fields(platform=platform, category=category, goal=goal, starts_at=starts_at,
                           deadline=deadline, funding_model=funding_model, now=timezone.now())
    if not title.strip():
        raise ApplicationError("Give the campaign a title.", field="title")
    return Campaign.objects.create(
        owner=owner, platform=platform, category=category, title=title.strip(), story=story, goal=goal,
        currency=platform.currency, starts_at=starts_at, deadline=deadline, funding_model=funding_model,
        region=region, image=image or "", image_alt=image_alt.strip())


def campaign_edit(*, campaign: Campaign, user, **fields) -> Campaign:
    """Change a draft. Only drafts change; a submitted campaign is sent back to edit it."""
    editable = {"title", "story", "goal", "starts_at", "deadline", "funding_model", "category", "region",
                "image", "image_alt"}
    if unknown := set(fields) - editable:
        raise ApplicationError(f"Cannot edit {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _check_owner(campaign, user)
        if campaign.status != S.DRAFT:
            raise ApplicationError("Only a draft can be edited.", code="not_draft")
        for name, value in fields.items():
            setattr(campaign, name, value)
        _check_campaign_fields(platform=campaign.platform, category=campaign.category, goal=campaign.goal,
                               starts_at=campaign.starts_at, deadline=campaign.deadline,
                               funding_model=campaign.funding_model, now=timezone.now())
        campaign.save()
    return campaign


def tier_add(*, campaign: Campaign, user, amount: int, title: str, description: str = "",
             quantity_limit: int | None = None, estimated_delivery: dt.date | None = None,
             request_key: str | None = None) -> RewardTier:
    """Add a reward tier to the owner's draft. A `request_key` already used on this campaign returns
    that request's tier instead of adding another."""
    if campaign.owner_id != user.pk:
        raise PermissionDenied("Only the campaign's owner may do this.")
    if request_key and (done := RewardTier.objects.filter(campaign=campaign, request_key=request_key).first()):
        return done
    if campaign.status != S.DRAFT:
        raise ApplicationError("Reward tiers are set while the campaign is a draft.", code="not_draft")
    if not campaign.platform.allow_reward_tiers:
        raise ApplicationError("This platform takes no reward tiers.", code="tiers_not_allowed")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < campaign.platform.min_pledge:
        raise ApplicationError("A tier's amount must be at least the platform's smallest pledge.",
                               field="amount")
    if quantity_limit is not None and quantity_limit < 1:
        raise ApplicationError("A limited tier needs at least one unit.", field="quantity_limit")
    return _once(RewardTier, campaign=campaign, request_key=request_key, create=lambda: RewardTier.objects.create(
        campaign=campaign, amount=amount, title=title, description=description,
        quantity_limit=quantity_limit, estimated_delivery=estimated_delivery, request_key=request_key))


def campaign_submit(*, campaign: Campaign, user) -> Campaign:
    """draft → submitted, by the owner, for an admin's review."""
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _check_owner(campaign, user)
        if not campaign.platform.allow_free_amounts and not campaign.tiers.exists():
            raise ApplicationError("Add at least one reward tier: this platform takes no free amounts.",
                                   code="tiers_required")
        return campaign_move(campaign, S.SUBMITTED, actor=user)


def campaign_approve(*, campaign: Campaign, admin) -> Campaign:
    """submitted → live, by an admin; the deadline must still be ahead."""
    _check_staff(admin)
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        now = timezone.now()
        if campaign.status == S.SUBMITTED and campaign.deadline <= now:
            raise ApplicationError("The deadline has passed; send the campaign back for a new one.",
                                   code="deadline_passed")
        campaign_move(campaign, S.LIVE, actor=admin)
        if campaign.starts_at < now:  # "as soon as approved" (or a start that passed under review)
            campaign.starts_at = now
            campaign.save(update_fields=["starts_at"])
        return campaign


def campaign_send_back(*, campaign: Campaign, admin, reason: str) -> Campaign:
    """submitted → draft with the reason the owner sees."""
    _check_staff(admin)
    if not reason.strip():
        raise ApplicationError("Say why the campaign is sent back.", field="reason")
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        campaign_move(campaign, S.DRAFT, actor=admin, note=reason)
        campaign.review_note = reason
        campaign.save(update_fields=["review_note"])
        return campaign


def update_post(*, campaign: Campaign, user, title: str, body: str, request_key: str | None = None) -> CampaignUpdate:
    """Post an update and e-mail the backers (its outbox rows in the same transaction). A `request_key`
    already used on this campaign returns that request's update: no second update, no second e-mail."""
    _check_owner(campaign, user)
    if request_key and (done := CampaignUpdate.objects.filter(campaign=campaign, request_key=request_key).first()):
        return done
    if campaign.status in (S.DRAFT, S.SUBMITTED):
        raise ApplicationError("Updates are posted once the campaign is live.", code="not_live")
    if not title.strip() or not body.strip():
        raise ApplicationError("An update needs a title and a text.")

    def create() -> CampaignUpdate:
        update = CampaignUpdate.objects.create(campaign=campaign, title=title.strip(), body=body,
                                               request_key=request_key)
        notify("update_posted", update_id=update.pk)
        return update

    return _once(CampaignUpdate, campaign=campaign, request_key=request_key, create=create)


# --- the deadline close ------------------------------------------------------------------------

def campaign_close(*, campaign_id: int, now: dt.datetime | None = None) -> str | None:
    """Close one live campaign whose deadline has passed, in one transaction under its row lock.

    Decides the outcome on what was raised at the close (paid pledges, and secured cards on
    charge-on-success platforms). Success with money already collected is split at once; a failure
    releases saved cards and starts the refunds. Returns the new status, or None when there was
    nothing to do (not live, deadline ahead, or already closed by another worker).
    """
    from pledges.models import Pledge, PledgeStatus

    now = now or timezone.now()
    with transaction.atomic():
        campaign = campaign_lock(campaign_id)
        if campaign.status != S.LIVE or campaign.deadline > now:
            return None
        raised, backers = campaign_totals(campaign.pk)
        campaign.closed_at = now
        campaign.raised_at_close, campaign.backers_at_close = raised, backers
        campaign.save(update_fields=["closed_at", "raised_at_close", "backers_at_close"])
        percent = f"{raised * 100 // campaign.goal}%"
        if campaign.success_reached(raised):
            campaign_move(campaign, S.SUCCEEDED, note=f"Raised {campaign.money(raised)} ({percent} of goal).")
            if campaign.platform.collection_mode == CollectionMode.CHARGE_NOW:
                _settle(campaign, collected=raised)
            else:
                _after_commit("collect_campaign", campaign.pk)
        else:
            campaign_move(campaign, S.FAILED, note=f"Raised {campaign.money(raised)} ({percent} of goal).")
            Pledge.objects.filter(campaign=campaign, status=PledgeStatus.SECURED).update(
                status=PledgeStatus.RELEASED, ended_at=now)
            campaign_move(campaign, S.REFUNDING)
            _after_commit("refund_campaign", campaign.pk)
        notify("campaign_closed", campaign_id=campaign.pk)
        return campaign.status


def _after_commit(task_name: str, campaign_id: int) -> None:
    from pledges import tasks

    task = getattr(tasks, task_name)
    transaction.on_commit(lambda: task.delay(campaign_id))


def _settle(campaign: Campaign, *, collected: int) -> None:
    """Split what a succeeded campaign collected (caller holds its lock): fee, first payout, held part.

    DOMAIN.md: fee = collected × fee% rounded down; first payout = (collected − fee) × 90% rounded
    down; the held part is the rest, so the three add up to `collected` to the unit.
    """
    from payouts.services import payouts_schedule

    platform = campaign.platform
    fee = basis_points_of(collected, platform.fee_basis_points)
    first = percent_of(collected - fee, platform.first_payout_percent)
    held = collected - fee - first
    campaign.collected, campaign.fee_amount = collected, fee
    campaign.first_payout_amount, campaign.held_amount = first, held
    campaign.first_payout_due = payout_due_date(platform, campaign.deadline)
    campaign.save(update_fields=["collected", "fee_amount", "first_payout_amount", "held_amount",
                                 "first_payout_due"])
    escrow = ledger.escrow_account(campaign)
    if fee:
        ledger.transaction_record(
            kind=TransactionKind.FEE, key=f"campaign-{campaign.pk}-fee", campaign=campaign,
            legs=[ledger.Leg(escrow, -fee), ledger.Leg(ledger.platform_account(AccountKind.FEES, platform), fee)])
    if held:
        ledger.transaction_record(
            kind=TransactionKind.HOLD, key=f"campaign-{campaign.pk}-hold", campaign=campaign,
            legs=[ledger.Leg(escrow, -held), ledger.Leg(ledger.held_account(campaign), held)])
    payouts_schedule(campaign)


def campaign_settle(*, campaign_id: int) -> bool:
    """Charge on success: split once every saved card has been charged or dropped."""
    from pledges.models import Pledge, PledgeStatus

    with transaction.atomic():
        campaign = campaign_lock(campaign_id)
        if campaign.status != S.SUCCEEDED or campaign.collected is not None:
            return False
        if Pledge.objects.filter(campaign=campaign,
                                 status__in=[PledgeStatus.SECURED, PledgeStatus.RETRYING]).exists():
            return False  # cards still to charge, or backers still in their retry window
        collected = Pledge.objects.filter(campaign=campaign, status=PledgeStatus.PAID,
                                          paid_at__isnull=False).values_list("amount", flat=True)
        _settle(campaign, collected=sum(collected))
        return True


def close_due_campaigns(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Close every live campaign past its deadline, each in its own transaction, and restart the
    unfinished work of earlier closes (refunds, collections) that a killed worker left behind.
    `resumed` counts the campaigns whose work was restarted, or finished here."""
    from pledges.selectors import campaign_refunds_pending
    from pledges.services import campaign_refunds_finish

    now = now or timezone.now()
    counts = {"closed": 0, "resumed": 0}
    due = Campaign.objects.filter(status=S.LIVE, deadline__lte=now).values_list("pk", flat=True)
    for campaign_id in list(due):
        if campaign_close(campaign_id=campaign_id, now=now):
            counts["closed"] += 1
    for campaign_id in Campaign.objects.filter(status=S.REFUNDING).values_list("pk", flat=True):
        # Refunds that failed are left to their retries or an admin: they are not a stalled chain.
        if campaign_refunds_pending(campaign_id):
            if _stalled(campaign_id, now):
                _after_commit_now("refund_campaign", campaign_id)
                counts["resumed"] += 1
        # Nothing left for a chunk to take: its chain refunded the last pledges, but a worker killed
        # before the next (empty) chunk never marked the campaign refunded. Finish it here (under its
        # lock, and only if no pledge still holds money: a failed refund awaiting its retry does).
        elif campaign_refunds_finish(campaign_id=campaign_id):
            counts["resumed"] += 1
    unsettled = Campaign.objects.filter(status=S.SUCCEEDED, collected__isnull=True)
    for campaign_id in unsettled.values_list("pk", flat=True):
        if _stalled(campaign_id, now):
            _after_commit_now("collect_campaign", campaign_id)
            counts["resumed"] += 1
    return counts


def _stalled(campaign_id: int, now: dt.datetime) -> bool:
    """No pledge of the campaign has moved (refunded, charged) lately, nor has it just closed: its
    chain of chunk tasks died. Restarting a live chain would be harmless (chunks take their pledges
    with SKIP LOCKED) but would pile up tasks on every beat."""
    from django.conf import settings
    from django.db.models import Max

    from pledges.models import Pledge

    since = now - dt.timedelta(seconds=settings.CIVICFUND_RESUME_AFTER_SECONDS)
    last = Pledge.objects.filter(campaign_id=campaign_id).aggregate(
        ended=Max("ended_at"), paid=Max("paid_at"))
    closed_at = Campaign.objects.filter(pk=campaign_id).values_list("closed_at", flat=True).first()
    moments = [m for m in (last["ended"], last["paid"], closed_at) if m is not None]
    return not moments or max(moments) <= since


def _after_commit_now(task_name: str, campaign_id: int) -> None:
    with transaction.atomic():
        _after_commit(task_name, campaign_id)


# --- final reports ---------------------------------------------------------------------------

def _check_spending(spending) -> list[dict]:
    if not isinstance(spending, list):
        raise ApplicationError("The spending breakdown is a list of items and amounts.", field="spending")
    rows = []
    for row in spending:
        item = str(row.get("item", "")).strip() if isinstance(row, dict) else ""
        amount = row.get("amount") if isinstance(row, dict) else None
        if not item or isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
            raise ApplicationError("Each spending line needs an item and a whole, non-negative amount.",
                                   field="spending")
        rows.append({"item": item, "amount": amount})
    return rows


def report_submit(*, campaign: Campaign, user, text: str, spending: list[dict],
                  request_key: str | None = None) -> FinalReport:
    """The owner files (or after a rejection, files again) the final report: paid/rejected → submitted.
    Under the campaign's row lock, a `request_key` already used on this campaign returns that request's
    report (the same form sent twice) instead of refusing the move."""
    spending = _check_spending(spending)
    if not text.strip():
        raise ApplicationError("Describe what was done with the money.", field="text")
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _check_owner(campaign, user)
        if request_key and (done := FinalReport.objects.filter(campaign=campaign, request_key=request_key).first()):
            return done
        campaign_move(campaign, S.REPORT_SUBMITTED, actor=user)
        return FinalReport.objects.create(campaign=campaign, text=text, spending=spending, request_key=request_key)


def report_approve(*, report: FinalReport, admin) -> FinalReport:
    """An admin approves the final report: it becomes public, the campaign is complete and the held
    part becomes due to the owner at once."""
    from payouts.services import held_payout_release

    _check_staff(admin)
    with transaction.atomic():
        campaign = campaign_lock(report.campaign_id)
        report = FinalReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ApplicationError("This report has been reviewed already.", code="already_reviewed")
        campaign_move(campaign, S.COMPLETED, actor=admin, note="Final report approved.")
        report.status, report.reviewed_at, report.reviewed_by = ReportStatus.APPROVED, timezone.now(), admin
        report.save(update_fields=["status", "reviewed_at", "reviewed_by"])
        held_payout_release(campaign)
        notify("report_approved", report_id=report.pk)
    return report


def report_reject(*, report: FinalReport, admin, reason: str) -> FinalReport:
    """An admin rejects the final report with a reason; the owner may revise and file it again."""
    _check_staff(admin)
    if not reason.strip():
        raise ApplicationError("Say why the report is rejected.", field="reason")
    with transaction.atomic():
        campaign = campaign_lock(report.campaign_id)
        report = FinalReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.SUBMITTED:
            raise ApplicationError("This report has been reviewed already.", code="already_reviewed")
        campaign_move(campaign, S.REPORT_REJECTED, actor=admin, note=reason)
        report.status, report.reason = ReportStatus.REJECTED, reason
        report.reviewed_at, report.reviewed_by = timezone.now(), admin
        report.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by"])
    return report
