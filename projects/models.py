"""Campaigns, their reward tiers, updates and final reports, and the campaign lifecycle's one map."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from core import money
from core.errors import InvalidTransition
from platforms.models import Area, Category, FundingModel, Platform

from .attachments import private_storage


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    LIVE = "live", _("Live")
    SUCCEEDED = "succeeded", _("Funded")
    FAILED = "failed", _("Failed")
    REFUNDING = "refunding", _("Failed: refunding")
    REFUNDED = "refunded", _("Failed: refunded")
    PAID = "paid", _("Funded: first payout paid")
    REPORT_SUBMITTED = "report_submitted", _("Final report submitted")
    REPORT_REJECTED = "report_rejected", _("Final report rejected")
    COMPLETED = "completed", _("Completed")


S = CampaignStatus
# Named groups of statuses, defined once: what the site calls funded, failed and public.
FUNDED_STATUSES: tuple[str, ...] = (S.SUCCEEDED, S.PAID, S.REPORT_SUBMITTED, S.REPORT_REJECTED, S.COMPLETED)
FAILED_STATUSES: tuple[str, ...] = (S.FAILED, S.REFUNDING, S.REFUNDED)
NOT_PUBLIC_STATUSES: tuple[str, ...] = (S.DRAFT, S.SUBMITTED)  # only their owner and staff see them
# The one map of allowed lifecycle moves.
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED},
    S.SUBMITTED: {S.LIVE, S.DRAFT},
    S.LIVE: {S.SUCCEEDED, S.FAILED},
    S.FAILED: {S.REFUNDING},
    S.REFUNDING: {S.REFUNDED},
    S.REFUNDED: set(),
    S.SUCCEEDED: {S.PAID},
    S.PAID: {S.REPORT_SUBMITTED},
    S.REPORT_SUBMITTED: {S.COMPLETED, S.REPORT_REJECTED},
    S.REPORT_REJECTED: {S.REPORT_SUBMITTED},
    S.COMPLETED: set(),
}


# What a refused move says, in whole sentences the site translates (web.labels.transition_text):
# the move the campaign has made already, or "This campaign is <state>, so it cannot <move>."
ALREADY_DONE: dict[str, str] = {
    S.DRAFT: gettext_noop("This campaign is already a draft."),
    S.SUBMITTED: gettext_noop("This campaign has already been submitted for review."),
    S.LIVE: gettext_noop("This campaign is already live."),
    S.SUCCEEDED: gettext_noop("This campaign has already been closed as funded."),
    S.FAILED: gettext_noop("This campaign has already been closed as not funded."),
    S.REFUNDING: gettext_noop("This campaign's backers are already being refunded."),
    S.REFUNDED: gettext_noop("This campaign's backers have already been refunded."),
    S.PAID: gettext_noop("This campaign's first payout has already been paid."),
    S.REPORT_SUBMITTED: gettext_noop("This campaign's final report has already been submitted."),
    S.REPORT_REJECTED: gettext_noop("This campaign's final report has already been rejected."),
    S.COMPLETED: gettext_noop("This campaign is already completed."),
}
CANNOT_MOVE = gettext_noop("This campaign is %(state)s, so it cannot %(move)s.")
STATE_WORDS: dict[str, str] = {
    S.DRAFT: gettext_noop("a draft"),
    S.SUBMITTED: gettext_noop("waiting for review"),
    S.LIVE: gettext_noop("live"),
    S.SUCCEEDED: gettext_noop("funded"),
    S.FAILED: gettext_noop("not funded"),
    S.REFUNDING: gettext_noop("refunding its backers"),
    S.REFUNDED: gettext_noop("closed and its backers refunded"),
    S.PAID: gettext_noop("funded and its first payout paid"),
    S.REPORT_SUBMITTED: gettext_noop("waiting for its final report to be reviewed"),
    S.REPORT_REJECTED: gettext_noop("waiting for a revised final report"),
    S.COMPLETED: gettext_noop("completed"),
}
MOVE_WORDS: dict[str, str] = {
    S.DRAFT: gettext_noop("go back to its owner as a draft"),
    S.SUBMITTED: gettext_noop("be submitted for review"),
    S.LIVE: gettext_noop("be approved"),
    S.SUCCEEDED: gettext_noop("be closed as funded"),
    S.FAILED: gettext_noop("be closed as not funded"),
    S.REFUNDING: gettext_noop("start refunding its backers"),
    S.REFUNDED: gettext_noop("be marked as refunded"),
    S.PAID: gettext_noop("have its first payout paid"),
    S.REPORT_SUBMITTED: gettext_noop("take a final report"),
    S.REPORT_REJECTED: gettext_noop("have its final report rejected"),
    S.COMPLETED: gettext_noop("be completed"),
}


def transition_message(from_status: str, to_status: str) -> str:
    """The engine's English for a refused move (the API's message)."""
    if from_status == to_status:
        return ALREADY_DONE[to_status]
    return CANNOT_MOVE % {"state": STATE_WORDS[from_status], "move": MOVE_WORDS[to_status]}


class Campaign(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="campaigns")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="campaigns")
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(max_length=200)
    story = models.TextField()
    # Where the campaign is for, from its platform's list (statistics count by it). Null only for a
    # campaign of a platform without areas, or a draft not yet given one (submission requires it).
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, blank=True, related_name="campaigns")
    goal = models.BigIntegerField(help_text="Minor units of the platform's currency.")
    currency = models.CharField(max_length=3)
    starts_at = models.DateTimeField()
    deadline = models.DateTimeField()
    funding_model = models.CharField(max_length=20, choices=FundingModel.choices)
    status = models.CharField(max_length=20, choices=CampaignStatus.choices, default=S.DRAFT)
    review_note = models.TextField(blank=True, help_text="Why the campaign was sent back.")
    # The campaign's picture on its page and cards; the owner describes it for screen readers.
    image = models.ImageField(upload_to="campaigns/%Y/%m/", blank=True)
    image_alt = models.CharField(max_length=200, blank=True, help_text="What the picture shows.")
    # Staff's pick for the front pages (web.views.public): shown first among the live campaigns.
    featured = models.BooleanField(default=False, help_text="Show on the front page and the platform's page.")
    # One video on YouTube, Vimeo or a PeerTube server (projects.pictures.video_parse): a link, or, when
    # `video_embed`, a privacy-respecting player loaded only after the visitor asks for it.
    video_url = models.URLField(max_length=500, blank=True)
    video_embed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once at the close, so the outcome never changes after the fact.
    closed_at = models.DateTimeField(null=True, blank=True)
    raised_at_close = models.BigIntegerField(null=True, blank=True)
    backers_at_close = models.PositiveIntegerField(null=True, blank=True)
    # Set when the collected money is split (charge now: at the close).
    collected = models.BigIntegerField(null=True, blank=True)
    fee_amount = models.BigIntegerField(null=True, blank=True)
    first_payout_amount = models.BigIntegerField(null=True, blank=True)
    held_amount = models.BigIntegerField(null=True, blank=True)
    first_payout_due = models.DateField(null=True, blank=True)
    # Set when the first payout is paid: the final report is due by then (platform.report_due_days later).
    report_due_on = models.DateField(null=True, blank=True)
    # The staff's private note to the owner when sending the campaign back: never public, never logged.
    review_private_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The group "Reviewers" has it (accounts.groups); is_staff alone does not (docs/security.md).
        permissions = [("review_campaign", "Can approve or send back submitted campaigns")]
        indexes = [models.Index(fields=["status", "deadline"], name="campaign_status_deadline")]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive"),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("starts_at")), name="campaign_deadline_after_start"
            ),
            models.CheckConstraint(
                condition=Q(collected__isnull=True)
                | Q(collected=models.F("fee_amount") + models.F("first_payout_amount") + models.F("held_amount")),
                name="campaign_split_adds_up",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.area is not None and self.platform_id is not None and self.area.platform_id != self.platform_id:
            raise ValidationError({"area": "Choose an area of the campaign's platform."})

    def can_move_to(self, new_status: str) -> bool:
        return new_status in TRANSITIONS[self.status]

    def check_move(self, new_status: str) -> None:
        if not self.can_move_to(new_status):
            raise InvalidTransition(
                transition_message(self.status, new_status), from_status=self.status, to_status=new_status
            )

    def accepts_pledges(self, now: dt.datetime) -> bool:
        """DOMAIN.md "Time": live, started, and strictly before the deadline by the server clock. The one
        statement of the rule; `pledges.services.intake.pledge_refusal` says which part failed, and the
        SQL function `pledge_wallet_commit` (pledges.wallet_sql) re-checks it under the lock."""
        return self.status == S.LIVE and self.starts_at <= now < self.deadline

    @staticmethod
    def accepting_pledges_q(now: dt.datetime) -> Q:
        """`accepts_pledges(now)` as a filter, for lists (the front pages' live cards): the same three
        conditions (tests/projects/test_accepting_q.py holds the two together)."""
        return Q(status=S.LIVE, starts_at__lte=now, deadline__gt=now)

    def success_reached(self, raised: int) -> bool:
        """DOMAIN.md: integer arithmetic, so exactly the threshold succeeds and one unit less fails."""
        if self.funding_model == FundingModel.ALL_OR_NOTHING:
            return raised >= self.goal
        return raised * 100 >= self.goal * self.platform.success_threshold_percent

    def money(self, amount: int) -> money.Money:
        return money.Money(amount, self.currency)


class CampaignStatusChange(models.Model):
    """Every lifecycle move, who made it and why: the campaign's public history."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=CampaignStatus.choices)
    to_status = models.CharField(max_length=20, choices=CampaignStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RewardTier(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tiers")
    amount = models.BigIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    quantity_limit = models.PositiveIntegerField(null=True, blank=True)
    quantity_claimed = models.PositiveIntegerField(default=0)
    # A physical reward the owner ships: its backers give a shipping address when they pledge, and it
    # states its estimated delivery month (`estimated_delivery` holds the 1st of that month; the
    # promise is kept if it is delivered by the month's last day, presale.selectors.delivery_due).
    ships = models.BooleanField(default=False, help_text="A physical reward shipped to the backer's address.")
    estimated_delivery = models.DateField(
        null=True, blank=True, help_text="Estimated delivery month (the 1st of the month)."
    )
    # The owner's page sends a fresh key with each form, so the same form sent twice adds one reward.
    request_key = models.CharField(max_length=120, null=True, blank=True, editable=False)  # noqa: DJ001 (unique if set)

    class Meta:
        ordering = ["amount", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "request_key"],
                name="tier_unique_request_key",
                condition=Q(request_key__isnull=False),
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tier_amount_positive"),
            # A reward that ships promises a month: without one it could never be late.
            models.CheckConstraint(
                condition=Q(ships=False) | Q(estimated_delivery__isnull=False), name="tier_ships_has_delivery_month"
            ),
            # The database itself refuses an oversold tier.
            models.CheckConstraint(
                condition=Q(quantity_limit__isnull=True) | Q(quantity_claimed__lte=models.F("quantity_limit")),
                name="tier_never_oversold",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int | None:
        if self.quantity_limit is None:
            return None
        return self.quantity_limit - self.quantity_claimed

    def clean(self) -> None:
        if self.ships and self.estimated_delivery is None:
            raise ValidationError({"estimated_delivery": "A reward that ships states its estimated delivery month."})
        if self.estimated_delivery is not None:
            self.estimated_delivery = self.estimated_delivery.replace(day=1)
        # tier_never_oversold, said in words: the admin's form never lets the database refuse it.
        if self.quantity_limit is not None and self.quantity_limit < self.quantity_claimed:
            raise ValidationError(
                {
                    "quantity_limit": f"{self.quantity_claimed} of this reward are already "
                    "claimed: the limit cannot be lower."
                }
            )


class UpdateKind(models.TextChoices):
    NEWS = "news", _("News")
    # Where the rewards are (made, shipped, delayed): offered for campaigns with rewards that ship, shown
    # with a "Delivery" badge, and e-mailed to the backers of those rewards.
    DELIVERY = "delivery", _("Delivery")


class CampaignUpdate(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(max_length=200)
    body = models.TextField()
    kind = models.CharField(max_length=10, choices=UpdateKind.choices, default=UpdateKind.NEWS)
    created_at = models.DateTimeField(auto_now_add=True)
    # The owner's page sends a fresh key with each form, so the same form sent twice adds one update
    # and e-mails the backers once.
    request_key = models.CharField(max_length=120, null=True, blank=True, editable=False)  # noqa: DJ001 (unique if set)
    # False when the campaign had used up its platform's update e-mails for the week: posted, not mailed.
    mailed = models.BooleanField(default=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "request_key"],
                name="update_unique_request_key",
                condition=Q(request_key__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class FinalReport(models.Model):
    """The owner's proof of delivery. Each filing is a row; approval of one releases the held part."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="final_reports")
    text = models.TextField()
    spending = models.JSONField(default=list, help_text='[{"item": "...", "amount": 123}, ...]')
    status = models.CharField(max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    reason = models.TextField(blank=True, help_text="Why the report was rejected (public).")
    # The staff's private note to the owner on a rejection: never public, never logged.
    private_note = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The owner's page sends a fresh key with each form, so the same form sent twice adds one report.
    request_key = models.CharField(max_length=120, null=True, blank=True, editable=False)  # noqa: DJ001 (unique if set)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        permissions = [("review_report", "Can approve or reject final reports (approval releases the held part)")]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "request_key"],
                name="report_unique_request_key",
                condition=Q(request_key__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["campaign"], condition=Q(status="approved"), name="one_approved_report_per_campaign"
            ),
        ]

    def __str__(self) -> str:
        return f"Final report of {self.campaign}"

    @property
    def spending_total(self) -> int:
        return sum(int(row.get("amount", 0)) for row in self.spending)


class ReportAttachment(models.Model):
    """A receipt or photo of a final report: an image or a PDF, its type read from its content when it
    was uploaded (`projects.attachments`), served as a download with that type, publicly once approved."""

    report = models.ForeignKey(FinalReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="reports/%Y/%m/", storage=private_storage)
    caption = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=40, default="application/octet-stream")
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.caption or self.file.name


def _story_image_path(instance: StoryImage, filename: str) -> str:
    return f"story-images/{filename}"


class StoryImage(models.Model):
    """A picture the owner uploaded for the campaign's story and updates (projects.story_images: checked
    and re-encoded). Its alt text is required: the story shows it to readers who cannot see the image."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="story_images")
    image = models.ImageField(upload_to=_story_image_path)
    alt = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.alt

    @property
    def markdown(self) -> str:
        """What the owner pastes into the story or an update to show this picture."""
        alt = self.alt.replace("[", "(").replace("]", ")")
        return f"![{alt}]({self.image.url})"


def _gallery_path(instance: CampaignPicture, filename: str) -> str:
    return f"gallery/{filename}"


class CampaignPicture(models.Model):
    """A picture of the campaign's gallery, shown in `position` order under its main picture; uploaded
    to the site (projects.pictures: checked and re-encoded), with its required alt text."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="gallery")
    image = models.ImageField(upload_to=_gallery_path)
    alt = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt


def _pending_path(instance: PendingPicture, filename: str) -> str:
    return f"pending/{filename}"


class PendingPicture(models.Model):
    """A picture chosen on a form that came back with an error elsewhere: kept for its user (by a
    random token in the form's hidden field) so it need not be chosen again. Checked like any
    picture; taken (and deleted) when the form is saved; a day old, it is cleared."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    image = models.ImageField(upload_to=_pending_path)
    name = models.CharField(max_length=200, help_text="The file's name as chosen, shown back to its user.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
