"""Following campaigns and their questions: every rule of the community app (views, API, admin and tasks
only call these). Refusals are ApplicationErrors worded in the active language."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.outbox import notify
from core.public_pages import public_pages_changed
from projects.models import NOT_PUBLIC_STATUSES, Campaign

from .models import MODERATE, REASON_MAX, Follow, HiddenBy, Question, QuestionReport
from .text import body_clean, body_refusal

UNSUBSCRIBE_SALT = "community.unsubscribe"


def _body_error(text: str, field: str) -> None:
    refusal = body_refusal(text)
    if not refusal:
        return
    messages = {
        "body_empty": _("Write something first."),
        "body_long": _("That is too long: at most 2,000 characters."),
        "body_control": _("The text contains control characters; write plain text."),
        "body_bidi": _("The text cannot contain bidirectional override or isolate characters."),
        "body_links": _("At most two links, please."),
    }
    raise ApplicationError(messages[refusal], code=refusal, field=field)


def _check_member(user: Any) -> None:
    """Signed in with a verified e-mail address (spam protection: no throwaway accounts)."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    if not EmailAddress.objects.filter(user_id=user.pk, verified=True).exists():
        raise PermissionDenied(_("Confirm your e-mail address first."), code="email_unverified")


def _check_public(campaign: Campaign) -> None:
    if campaign.status in NOT_PUBLIC_STATUSES:
        raise ApplicationError(_("This campaign is not public yet."), code="not_public")


# --- following ------------------------------------------------------------------------------------


def follow_set(*, user: Any, campaign: Campaign, follow: bool) -> Follow:
    """Follow a public campaign's news, or stop (which also stops a backer's default following)."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    _check_public(campaign)
    if follow and campaign.owner_id == user.pk:
        raise ApplicationError(_("You own this campaign: its news is yours already."), code="own_campaign")
    row, _created = Follow.objects.update_or_create(user=user, campaign=campaign, defaults={"active": follow})
    return row


def unsubscribe_token(*, user_id: int, campaign_id: int) -> str:
    """The signed token of an e-mail's one-click unsubscribe link (no login; it never expires, as links
    in old e-mails must keep working)."""
    return signing.dumps([user_id, campaign_id], salt=UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str) -> tuple[int, int]:
    """(user id, campaign id) of a token; ApplicationError for a forged or damaged one."""
    try:
        user_id, campaign_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(user_id), int(campaign_id)
    except (signing.BadSignature, ValueError, TypeError):
        raise ApplicationError(_("This unsubscribe link is not valid."), code="bad_token") from None


def follow_unsubscribe(*, token: str) -> Campaign:
    """The person of the token stops following the campaign (an opt-out row, so a backer stops too).
    Idempotent: the same link clicked again changes nothing."""
    user_id, campaign_id = unsubscribe_read(token)
    campaign = Campaign.objects.select_related("platform").filter(pk=campaign_id).first()
    if campaign is None or not get_user_model().objects.filter(pk=user_id).exists():  # a deleted account
        raise ApplicationError(_("This unsubscribe link is not valid."), code="bad_token")
    Follow.objects.update_or_create(user_id=user_id, campaign=campaign, defaults={"active": False})
    return campaign


# --- questions --------------------------------------------------------------------------------------


def question_ask(*, campaign: Campaign, user: Any, body: str) -> Question:
    """A signed-in person with a verified e-mail asks a question (or comments) on a public campaign; its
    owner is e-mailed (with the question, in the same transaction)."""
    _check_member(user)
    _check_public(campaign)
    _body_error(body, "body")
    with transaction.atomic():
        question = Question.objects.create(campaign=campaign, author=user, body=body_clean(body))
        if campaign.owner_id != user.pk:
            notify("question_asked", question_id=question.pk)
    return question


def question_answer(*, question: Question, user: Any, answer: str) -> Question:
    """The campaign's owner answers publicly (again: the answer is replaced). The asker is e-mailed the
    first time."""
    campaign = question.campaign
    if user is None or campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(_("Only the campaign's owner may answer."))
    if question.hidden:
        raise ApplicationError(_("This question is hidden."), code="hidden")
    _body_error(answer, "answer")
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        first = question.answered_at is None
        question.answer, question.answered_at = body_clean(answer), timezone.now()
        question.save(update_fields=["answer", "answered_at"])
        if first and question.author_id != user.pk:
            notify("question_answered", question_id=question.pk)
    return question


def question_moderator(question: Question, user: Any) -> str:
    """Who `user` is to moderate `question`: HiddenBy.OWNER, HiddenBy.STAFF, or "" (not allowed)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    if user.has_perm(MODERATE):
        return HiddenBy.STAFF
    if question.campaign.owner_id == user.pk:
        return HiddenBy.OWNER
    return ""


def question_hide(*, question: Question, user: Any, reason: str) -> Question:
    """The campaign's owner or staff (permission community.moderate_question) hide a question with a
    public reason; its open abuse reports count as handled; no page kept for anonymous visitors shows
    it any longer."""
    role = question_moderator(question, user)
    if not role:
        raise PermissionDenied(_("Only the campaign's owner or staff may hide this."))
    reason = " ".join(reason.split())
    if not reason:
        raise ApplicationError(_("Say why it is hidden."), code="reason_missing", field="reason")
    if len(reason) > REASON_MAX or body_refusal(reason, limit=REASON_MAX):
        raise ApplicationError(_("Give a short plain reason (at most 300 characters)."), field="reason")
    with transaction.atomic():
        now = timezone.now()
        Question.objects.filter(pk=question.pk).update(
            hidden_at=now, hidden_by=role, hidden_reason=reason, hidden_actor=user
        )
        QuestionReport.objects.filter(question=question, handled_at__isnull=True).update(handled_at=now)
        transaction.on_commit(public_pages_changed)  # not a moment longer on a page kept for visitors
    question.refresh_from_db()
    return question


def question_show(*, question: Question, user: Any) -> Question:
    """Staff show a hidden question again (an owner may not undo staff's hiding)."""
    role = question_moderator(question, user)
    if not role or (role == HiddenBy.OWNER and question.hidden_by == HiddenBy.STAFF):
        raise PermissionDenied(_("Only the campaign's owner or staff may hide this."))
    Question.objects.filter(pk=question.pk).update(hidden_at=None, hidden_by="", hidden_reason="", hidden_actor=None)
    question.refresh_from_db()
    return question


def question_report(*, question: Question, user: Any, reason: str = "") -> QuestionReport:
    """A signed-in person reports a question as abuse, once (a second report changes nothing). The
    staff who may moderate are e-mailed when a question gets its first open report."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    reason = " ".join(reason.split())[:REASON_MAX]
    if reason and body_refusal(reason, limit=REASON_MAX):
        raise ApplicationError(_("Give a short plain reason (at most 300 characters)."), field="reason")
    with transaction.atomic():
        # The question's row lock puts reports of one question in line, so exactly one of them is the
        # first open report, which alone mails the moderators (more reports add to what they will find).
        Question.objects.select_for_update().filter(pk=question.pk).first()
        report, created = QuestionReport.objects.get_or_create(
            question=question, reporter=user, defaults={"reason": reason}
        )
        others_open = QuestionReport.objects.filter(question=question, handled_at__isnull=True).exclude(pk=report.pk)
        if created and not others_open.exists():
            notify("question_reported", report_id=report.pk)
    return report


def reports_handle(*, report_ids: list[int], user: Any) -> int:
    """Staff mark reports handled without hiding (nothing wrong found)."""
    if user is None or not user.has_perm(MODERATE):
        raise PermissionDenied(_("Only staff may do this."))
    return QuestionReport.objects.filter(pk__in=report_ids, handled_at__isnull=True).update(handled_at=timezone.now())
