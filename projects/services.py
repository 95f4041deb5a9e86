"""Campaign lifecycle: drafting, review, updates, story pictures. Final reports' filing and rejection are
projects.reports; the deadline close, the split and the report's approval, which move money, are
funding's (funding.services)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.errors import ApplicationError, PermissionDenied
from core.money import MAX_AMOUNT
from core.outbox import notify
from core.text import title_refusal
from platforms.models import Area, Category, Platform

from . import hooks
from .models import (
    Campaign,
    CampaignStatus,
    CampaignStatusChange,
    CampaignUpdate,
    RewardTier,
    StoryImage,
    UpdateKind,
)
from .pictures import video_parse
from .selectors import campaign_lock
from .story_images import MAX_PER_CAMPAIGN, story_image_encode

R = TypeVar("R", bound=Model)

log = logging.getLogger(__name__)
S = CampaignStatus


def campaign_move(campaign: Campaign, new_status: str, *, actor: Any = None, note: str = "") -> Campaign:
    """Move a campaign along its lifecycle. Caller holds the campaign's row lock (`campaign_lock`).
    Raises InvalidTransition for a move the map in models.TRANSITIONS does not allow."""
    campaign.check_move(new_status)
    old = campaign.status
    CampaignStatusChange.objects.create(
        campaign=campaign, from_status=old, to_status=new_status, actor=actor, note=note
    )
    campaign.status = new_status
    campaign.save(update_fields=["status"])
    hooks.campaign_moved.run(campaign=campaign, from_status=old, to_status=new_status, actor=actor, note=note)
    return campaign


def _check_owner(campaign: Campaign, user: Any) -> None:
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied("Only the campaign's owner may do this.")


def _once(model: type[R], *, campaign: Campaign, request_key: str | None, create: Callable[[], R]) -> R:
    """`create()` writes one row of `model` with `request_key` (the caller found none of that key). Two
    copies of one owner form sent at once both get there: the unique (campaign, request_key) constraint
    refuses the second row, and the loser returns the winner's, its own writes rolled back."""
    try:
        with transaction.atomic():
            return create()
    except IntegrityError:
        if request_key and (row := model._default_manager.filter(campaign=campaign, request_key=request_key).first()):
            return row
        raise


REVIEW_CAMPAIGN = "projects.review_campaign"
REVIEW_REPORT = "projects.review_report"


def check_permission(user: Any, permission: str) -> None:
    """Raise PermissionDenied unless `user` holds the named permission (a superuser holds all; the
    groups "Reviewers" and "Finance" hold theirs, accounts.groups). Being staff is not enough."""
    if user is None or not user.has_perm(permission):
        raise PermissionDenied("You lack the permission to do this.")


TITLE_REFUSALS = {
    "title_control": "A title is one line: no line breaks, tabs or other control characters.",
    "title_bidi": "A title cannot contain bidirectional override or isolate characters.",
    "title_invisible": "A title needs visible characters, not only spaces or zero-width characters.",
}
# How far ahead a campaign may be set to start (its deadline then follows the platform's bound).
MAX_START_AHEAD = dt.timedelta(days=365)


def check_title(title: str, *, field: str = "title") -> None:
    """Refuse a title with a control character, a bidi override or nothing visible (it goes into
    e-mail subjects, where a line break makes every mail about the campaign fail)."""
    if code := title_refusal(title):
        raise ApplicationError(TITLE_REFUSALS[code], code=code, field=field)


def _check_campaign_fields(
    *,
    platform: Platform,
    category: Category,
    goal: Any,
    starts_at: dt.datetime,
    deadline: dt.datetime,
    funding_model: str,
    now: dt.datetime,
    area: Area | None = None,
) -> None:
    if category.platform_id != platform.pk:
        raise ApplicationError("Choose a category of this platform.", field="category")
    if area is not None and area.platform_id != platform.pk:
        raise ApplicationError("Choose an area of this platform.", field="area")
    if funding_model not in platform.funding_models:
        allowed = ", ".join(platform.funding_models)
        raise ApplicationError(f"This platform allows these funding models: {allowed}.", field="funding_model")
    if isinstance(goal, bool) or not isinstance(goal, int) or goal <= 0:
        raise ApplicationError("The goal must be a positive whole amount.", field="goal")
    if goal > MAX_AMOUNT:
        raise ApplicationError("The goal is too large.", field="goal")
    if deadline <= starts_at:
        raise ApplicationError("The deadline must come after the start.", field="deadline")
    if deadline <= now:
        raise ApplicationError("The deadline must be in the future.", field="deadline")
    if starts_at > now + MAX_START_AHEAD:
        raise ApplicationError("A campaign starts within a year.", code="start_too_far", field="starts_at")
    if deadline > max(starts_at, now) + dt.timedelta(days=platform.max_campaign_days):
        raise ApplicationError(
            f"On this platform a campaign runs at most {platform.max_campaign_days} days: choose an earlier deadline.",
            code="deadline_too_far",
            field="deadline",
        )


def campaign_create(
    *,
    owner: Any,
    platform: Platform,
    category: Category,
    title: str,
    story: str,
    goal: int,
    deadline: dt.datetime,
    funding_model: str,
    starts_at: dt.datetime | None = None,
    area: Area | None = None,
    image: Any = None,
    image_alt: str = "",
    video_url: str = "",
    video_embed: bool = False,
) -> Campaign:
    """A new draft campaign in the platform's currency (`image`: an uploaded picture, already checked
    by the form). No `starts_at`: it starts as soon as it is approved (`campaign_approve`). `area`, one
    of the platform's, may wait until the draft is submitted. `video_url`: a YouTube, Vimeo or PeerTube
    address (projects.pictures.video_parse), embedded on the page only if `video_embed` and embeddable."""
    starts_at = starts_at or timezone.now()
    video_url, video_embed = _video_fields(video_url, video_embed)
    _check_campaign_fields(
        platform=platform,
        category=category,
        goal=goal,
        starts_at=starts_at,
        deadline=deadline,
        funding_model=funding_model,
        now=timezone.now(),
        area=area,
    )
    if not title.strip():
        raise ApplicationError("Give the campaign a title.", field="title")
    check_title(title)
    return Campaign.objects.create(
        owner=owner,
        platform=platform,
        category=category,
        title=title.strip(),
        story=story,
        goal=goal,
        currency=platform.currency,
        starts_at=starts_at,
        deadline=deadline,
        funding_model=funding_model,
        area=area,
        image=image or "",
        image_alt=image_alt.strip(),
        video_url=video_url,
        video_embed=video_embed,
    )


def _video_fields(video_url: str, video_embed: bool) -> tuple[str, bool]:
    """The video address as stored (normalised, or "" for none) and whether it is embedded (only a
    YouTube or Vimeo video can be); ApplicationError (field "video_url") for any other address."""
    if not (video_url or "").strip():
        return "", False
    video = video_parse(video_url)
    return video.url, bool(video_embed) and video.embeddable


def campaign_edit(*, campaign: Campaign, user: Any, **fields: Any) -> Campaign:
    """Change a draft. Only drafts change; a submitted campaign is sent back to edit it."""
    editable = {
        "title",
        "story",
        "goal",
        "starts_at",
        "deadline",
        "funding_model",
        "category",
        "area",
        "image",
        "image_alt",
        "video_url",
        "video_embed",
    }
    if unknown := set(fields) - editable:
        raise ApplicationError(f"Cannot edit {', '.join(sorted(unknown))}.")
    if "video_url" in fields or "video_embed" in fields:
        fields["video_url"], fields["video_embed"] = _video_fields(
            fields.get("video_url", campaign.video_url), fields.get("video_embed", campaign.video_embed)
        )
    if "title" in fields:
        if not str(fields["title"]).strip():
            raise ApplicationError("Give the campaign a title.", field="title")
        check_title(fields["title"])
        fields["title"] = fields["title"].strip()
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _check_owner(campaign, user)
        if campaign.status != S.DRAFT:
            raise ApplicationError("Only a draft can be edited.", code="not_draft")
        for name, value in fields.items():
            setattr(campaign, name, value)
        _check_campaign_fields(
            platform=campaign.platform,
            category=campaign.category,
            goal=campaign.goal,
            starts_at=campaign.starts_at,
            deadline=campaign.deadline,
            funding_model=campaign.funding_model,
            now=timezone.now(),
            area=campaign.area,
        )
        if "goal" in fields and campaign.tiers.filter(amount__gt=campaign.goal * TIER_MAX_GOAL_MULTIPLE).exists():
            raise ApplicationError(
                "A reward costs more than this goal: lower the reward first.", code="goal_below_tier", field="goal"
            )
        campaign.save()
    return campaign


def tier_add(
    *,
    campaign: Campaign,
    user: Any,
    amount: int,
    title: str,
    description: str = "",
    quantity_limit: int | None = None,
    estimated_delivery: dt.date | None = None,
    ships: bool = False,
    request_key: str | None = None,
) -> RewardTier:
    """Add a reward tier to the owner's draft. A `request_key` already used on this campaign returns
    that request's tier instead of adding another. A reward that ships must state its estimated
    delivery month; the month is kept as its 1st day."""
    if campaign.owner_id != user.pk:
        raise PermissionDenied("Only the campaign's owner may do this.")
    if request_key and (done := RewardTier.objects.filter(campaign=campaign, request_key=request_key).first()):
        return done
    if campaign.status != S.DRAFT:
        raise ApplicationError("Reward tiers are set while the campaign is a draft.", code="not_draft")
    if not campaign.platform.allow_reward_tiers:
        raise ApplicationError("This platform takes no reward tiers.", code="tiers_not_allowed")
    estimated_delivery = _check_tier_fields(
        campaign,
        amount=amount,
        title=title,
        quantity_limit=quantity_limit,
        estimated_delivery=estimated_delivery,
        ships=ships,
    )
    return _once(
        RewardTier,
        campaign=campaign,
        request_key=request_key,
        create=lambda: RewardTier.objects.create(
            campaign=campaign,
            amount=amount,
            title=title,
            description=description,
            quantity_limit=quantity_limit,
            estimated_delivery=estimated_delivery,
            ships=ships,
            request_key=request_key,
        ),
    )


# A reward tier costs at most this many times the campaign's goal (see `_check_tier_fields`).
TIER_MAX_GOAL_MULTIPLE = 1


def _check_tier_fields(
    campaign: Campaign,
    *,
    amount: Any,
    title: str,
    quantity_limit: int | None,
    estimated_delivery: dt.date | None,
    ships: bool,
) -> dt.date | None:
    """Refuse a reward tier that makes no sense on `campaign`; return its delivery month as its 1st day.

    A reward costs at most the campaign's goal (`TIER_MAX_GOAL_MULTIPLE` times it): one backer taking
    a dearer reward would pay more than the whole campaign asks for, which is a typing slip (an extra
    zero or three) rather than an offer. The walkthrough's £100,000,000,000 reward on a £2,000 goal is
    refused with a message naming the goal."""
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < campaign.platform.min_pledge:
        raise ApplicationError("A tier's amount must be at least the platform's smallest pledge.", field="amount")
    if amount > campaign.goal * TIER_MAX_GOAL_MULTIPLE:
        raise ApplicationError(
            "A reward's amount cannot be more than the campaign's goal.", code="tier_above_goal", field="amount"
        )
    if quantity_limit is not None and quantity_limit < 1:
        raise ApplicationError("A limited tier needs at least one unit.", field="quantity_limit")
    check_title(title)
    if ships and estimated_delivery is None:
        raise ApplicationError(
            "A reward that ships states its estimated delivery month.",
            code="delivery_month_required",
            field="estimated_delivery",
        )
    return estimated_delivery.replace(day=1) if estimated_delivery is not None else None


def _draft_tier(*, tier: RewardTier, user: Any) -> tuple[Campaign, RewardTier]:
    """The tier and its campaign, the campaign's row locked; refused unless `user` owns the campaign and
    it is a draft (no pledge can point at a draft's tier, so changing or removing one harms nobody)."""
    campaign = campaign_lock(tier.campaign_id)
    _check_owner(campaign, user)
    if campaign.status != S.DRAFT:
        raise ApplicationError("Reward tiers are set while the campaign is a draft.", code="not_draft")
    return campaign, RewardTier.objects.select_for_update().get(pk=tier.pk)


def tier_edit(*, tier: RewardTier, user: Any, **fields: Any) -> RewardTier:
    """Change a reward tier of the owner's draft (title, amount, description, limit, delivery month),
    under the rules `tier_add` applies. Locks the campaign's row, then the tier's."""
    editable = {"amount", "title", "description", "quantity_limit", "estimated_delivery", "ships"}
    fields.pop("request_key", None)
    if unknown := set(fields) - editable:
        raise ApplicationError(f"Cannot edit {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        campaign, tier = _draft_tier(tier=tier, user=user)
        for name, value in fields.items():
            setattr(tier, name, value)
        tier.estimated_delivery = _check_tier_fields(
            campaign,
            amount=tier.amount,
            title=tier.title,
            quantity_limit=tier.quantity_limit,
            estimated_delivery=tier.estimated_delivery,
            ships=tier.ships,
        )
        tier.save()
    return tier


def tier_delete(*, tier: RewardTier, user: Any) -> None:
    """Remove a reward tier from the owner's draft. Locks the campaign's row, then the tier's."""
    with transaction.atomic():
        _, tier = _draft_tier(tier=tier, user=user)
        tier.delete()


def campaign_submit(*, campaign: Campaign, user: Any) -> Campaign:
    """draft → submitted, by the owner, for an admin's review. A platform with areas needs the
    campaign's area by now (statistics count every campaign by area)."""
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        _check_owner(campaign, user)
        if campaign.area_id is None and Area.objects.filter(platform_id=campaign.platform_id).exists():
            raise ApplicationError("Choose the campaign's area before submitting it.", code="area_required")
        if not campaign.platform.allow_free_amounts and not campaign.tiers.exists():
            raise ApplicationError(
                "Add at least one reward tier: this platform takes no free amounts.", code="tiers_required"
            )
        hooks.submission_check.check(campaign=campaign, user=user)
        return campaign_move(campaign, S.SUBMITTED, actor=user)


def campaign_approve(*, campaign: Campaign, admin: Any) -> Campaign:
    """submitted → live, by a reviewer; the deadline must still be ahead."""
    check_permission(admin, REVIEW_CAMPAIGN)
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        now = timezone.now()
        if campaign.status == S.SUBMITTED and campaign.deadline <= now:
            raise ApplicationError(
                "The deadline has passed; send the campaign back for a new one.", code="deadline_passed"
            )
        campaign_move(campaign, S.LIVE, actor=admin)
        if campaign.starts_at < now:  # "as soon as approved" (or a start that passed under review)
            campaign.starts_at = now
            campaign.save(update_fields=["starts_at"])
        notify("campaign_approved", campaign_id=campaign.pk)
        return campaign


def campaign_send_back(*, campaign: Campaign, admin: Any, reason: str, private_note: str = "") -> Campaign:
    """submitted → draft with the reason the owner sees. `reason` is public (the decision log shows it);
    `private_note` only the owner and staff see."""
    check_permission(admin, REVIEW_CAMPAIGN)
    if not reason.strip():
        raise ApplicationError("Say why the campaign is sent back.", field="reason")
    with transaction.atomic():
        campaign = campaign_lock(campaign.pk)
        campaign_move(campaign, S.DRAFT, actor=admin, note=reason)
        campaign.review_note, campaign.review_private_note = reason, private_note.strip()
        campaign.save(update_fields=["review_note", "review_private_note"])
        notify("campaign_sent_back", campaign_id=campaign.pk)
        return campaign


def campaigns_feature(*, campaign_ids: list[int], featured: bool) -> int:
    """Staff's pick for the front pages: mark (or unmark) the campaigns as featured; returns how many
    changed. A mark on a campaign that is not live shows nowhere until it is (the front pages list
    live campaigns only); it changes neither its lifecycle nor its terms."""
    return Campaign.objects.filter(pk__in=campaign_ids).exclude(featured=featured).update(featured=featured)


UPDATE_MAIL_WINDOW = dt.timedelta(days=7)


def update_mails_left(campaign: Campaign, now: dt.datetime | None = None) -> int:
    """How many more updates of `campaign` may e-mail its backers now (its platform's
    `update_mails_per_week`, counted over the last 7 days)."""
    since = (now or timezone.now()) - UPDATE_MAIL_WINDOW
    mailed = CampaignUpdate.objects.filter(campaign=campaign, mailed=True, created_at__gt=since).count()
    return max(0, campaign.platform.update_mails_per_week - mailed)


def campaign_ships(campaign: Campaign) -> bool:
    """The campaign has a reward that ships (its owner may post delivery updates)."""
    return RewardTier.objects.filter(campaign=campaign, ships=True).exists()


def update_post(
    *,
    campaign: Campaign,
    user: Any,
    title: str,
    body: str,
    kind: str = UpdateKind.NEWS,
    request_key: str | None = None,
) -> CampaignUpdate:
    """Post an update and e-mail the backers (its outbox rows in the same transaction): a delivery update
    (`kind` delivery, only on a campaign with a reward that ships) goes to the backers of rewards that
    ship. A `request_key` already used on this campaign returns that request's update: no second
    update, no second e-mail."""
    _check_owner(campaign, user)
    if request_key and (done := CampaignUpdate.objects.filter(campaign=campaign, request_key=request_key).first()):
        return done
    if campaign.status in (S.DRAFT, S.SUBMITTED):
        raise ApplicationError("Updates are posted once the campaign is live.", code="not_live")
    if not title.strip() or not body.strip():
        raise ApplicationError("An update needs a title and a text.")
    check_title(title)
    kind = kind or UpdateKind.NEWS
    if kind not in UpdateKind.values:
        raise ApplicationError(gettext_noop("Choose news or delivery."), code="invalid_kind", field="kind")
    if kind == UpdateKind.DELIVERY and not campaign_ships(campaign):
        raise ApplicationError(
            gettext_noop("Delivery updates are for campaigns with rewards that ship."),
            code="no_shipped_rewards",
            field="kind",
        )

    def create() -> CampaignUpdate:
        # Under the campaign's lock, so two updates posted at once cannot both be the last one mailed.
        locked = campaign_lock(campaign.pk)
        mailed = update_mails_left(locked) > 0
        update = CampaignUpdate.objects.create(
            campaign=campaign, title=title.strip(), body=body, kind=kind, request_key=request_key, mailed=mailed
        )
        if mailed:
            notify("update_posted", update_id=update.pk)
        return update

    return _once(CampaignUpdate, campaign=campaign, request_key=request_key, create=create)


# --- pictures for the story and updates -------------------------------------------------------


def picture_upload_check(*, campaign: Campaign, user: Any, image: Any, alt: str) -> str:
    """What every picture an owner uploads needs (story, updates, gallery): the owner, a file, and alt text
    on one line; returns the alt text stripped."""
    _check_owner(campaign, user)
    alt = (alt or "").strip()
    if not alt:
        raise ApplicationError(
            gettext_noop("Describe the picture for people who cannot see it (alt text)."),
            code="alt_required",
            field="alt",
        )
    check_title(alt, field="alt")
    if image is None:
        raise ApplicationError(gettext_noop("Choose a picture to upload."), code="image_required", field="image")
    return alt


def story_image_add(*, campaign: Campaign, user: Any, image: Any, alt: str) -> StoryImage:
    """The owner uploads a picture for the campaign's story or updates, with its alt text (required, one
    line). The file is checked and re-encoded (projects.story_images); the answer's `markdown` is what
    to paste into the text."""
    alt = picture_upload_check(campaign=campaign, user=user, image=image, alt=alt)
    encoded = story_image_encode(image, campaign.pk)
    with transaction.atomic():
        locked = campaign_lock(campaign.pk)
        if StoryImage.objects.filter(campaign=locked).count() >= MAX_PER_CAMPAIGN:
            raise ApplicationError(
                f"A campaign has at most {MAX_PER_CAMPAIGN} pictures.", code="too_many_images", field="image"
            )
        return StoryImage.objects.create(campaign=locked, image=encoded, alt=alt[:200], uploaded_by=user)
