"""Following a campaign and its questions (issue 16).

- `Follow`: a person's choice about a campaign's news. Backers follow by default without a row; a row
  with `active=False` is an opt-out (an unfollow or an e-mail's unsubscribe link), which also silences a
  backer. A row with `active=True` is a follower who did not (or did, too) pledge.
- `MilestoneNotice`: a campaign's milestone (half-way, funded, 48 hours left, succeeded, failed)
  announced to its followers: unique per campaign and milestone, written in the same transaction as its
  outbox mail, so each is mailed once whatever the retries, workers or pledges crossing it at once. An
  update needs no row: its one outbox mail is written with the update (`projects.services.update_post`).
- `Question`: a question or comment on a campaign, its owner's public answer, and its hiding (by the
  owner or staff, with a public reason). `QuestionReport`: someone reported it as abuse (staff look).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

BODY_MAX = 2000  # characters of a question, a comment or an answer
REASON_MAX = 300  # characters of a hiding reason or an abuse report
LINKS_MAX = 2  # links in one question or answer (spam protection)


class Follow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="follows")
    active = models.BooleanField(default=True)  # False: opted out (also a backer's default following)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "campaign"], name="follow_once")]
        indexes = [models.Index(fields=["campaign", "active"], name="follow_campaign_active")]

    def __str__(self) -> str:
        return f"{self.user_id} {'follows' if self.active else 'left'} campaign {self.campaign_id}"


class Milestone(models.TextChoices):
    HALF_WAY = "half_way", _("Half-way")
    FUNDED = "funded", _("Funded")
    ENDING = "ending", _("48 hours left")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class MilestoneNotice(models.Model):
    """A milestone announced once: the unique (campaign, milestone) makes every path idempotent."""

    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="milestone_notices")
    milestone = models.CharField(max_length=20, choices=Milestone.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "milestone"], name="milestone_notice_once")]

    def __str__(self) -> str:
        return f"{self.milestone} of campaign {self.campaign_id}"


class HiddenBy(models.TextChoices):
    OWNER = "owner", _("the owner")
    STAFF = "staff", _("staff")


MODERATE = "community.moderate_question"  # the permission Question declares: hide any campaign's


class Question(models.Model):
    campaign = models.ForeignKey("projects.Campaign", on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions")
    body = models.TextField(max_length=BODY_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(max_length=BODY_MAX, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.CharField(max_length=10, choices=HiddenBy.choices, blank=True)
    hidden_reason = models.CharField(max_length=REASON_MAX, blank=True)
    hidden_actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "-created_at"], name="question_campaign_created")]
        permissions = [("moderate_question", "Hide questions and comments of any campaign")]

    def __str__(self) -> str:
        return f"question {self.pk} on campaign {self.campaign_id}"

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class QuestionReport(models.Model):
    """Someone reported a question as abuse; staff see the open reports in the admin and may hide it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=REASON_MAX, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["handled_at", "-created_at"]
        constraints = [models.UniqueConstraint(fields=["question", "reporter"], name="question_report_once")]

    def __str__(self) -> str:
        return f"report of question {self.question_id}"
