"""Staff's pages of the community app: questions and comments (hide or show them again) and the abuse
reports to look at (open ones first). Every action calls community.services, which asks the permission
community.moderate_question (group "Reviewers")."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from community import services
from community.models import Follow, MilestoneNotice, Question, QuestionReport
from core.errors import ApplicationError

HIDE_REASONS = {
    "spam": _("Spam or advertising"),
    "abuse": _("Abusive or offensive"),
    "personal": _("Shares someone's personal details"),
}


def _hide(modeladmin, request, questions, reason_key: str) -> None:
    hidden = 0
    for question in questions:
        try:
            services.question_hide(question=question, user=request.user, reason=str(HIDE_REASONS[reason_key]))
            hidden += 1
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{question}: {exc.message}", messages.ERROR)
    if hidden:
        modeladmin.message_user(request, gettext("%(n)s hidden.") % {"n": hidden})


def _hide_action(reason_key: str, on_reports: bool):
    def action(modeladmin, request, queryset):
        qs = queryset.select_related("question__campaign") if on_reports else queryset.select_related("campaign")
        _hide(modeladmin, request, [r.question for r in qs] if on_reports else list(qs), reason_key)

    action.__name__ = f"hide_{reason_key}{'_reported' if on_reports else ''}"
    action.short_description = gettext("Hide: %(reason)s") % {"reason": HIDE_REASONS[reason_key]}  # type: ignore[attr-defined]
    return action


class ReportInline(admin.TabularInline):
    model = QuestionReport
    extra = 0
    fields = ["reporter", "reason", "created_at", "handled_at"]
    readonly_fields = ["reporter", "reason", "created_at", "handled_at"]
    can_delete = False


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "author", "created_at", "answered_at", "hidden_by", "open_reports"]
    list_filter = ["hidden_by", ("answered_at", admin.EmptyFieldListFilter)]
    list_select_related = ["campaign", "author"]
    search_fields = ["body", "answer", "campaign__title", "author__username"]
    readonly_fields = [
        "campaign",
        "author",
        "body",
        "created_at",
        "answer",
        "answered_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "hidden_actor",
    ]
    inlines = [ReportInline]
    actions = [_hide_action(key, False) for key in HIDE_REASONS] + ["show_again"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_report_count=Count("reports", filter=Q(reports__handled_at__isnull=True)))
        )

    @admin.display(description=_("Open reports"), ordering="open_report_count")
    def open_reports(self, obj) -> int:
        return obj.open_report_count

    @admin.action(description=_("Show again"))
    def show_again(self, request, queryset):
        for question in queryset.select_related("campaign"):
            try:
                services.question_show(question=question, user=request.user)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(QuestionReport)
class QuestionReportAdmin(admin.ModelAdmin):
    """Abuse reports, open ones first: hide the question (with a reason the page shows) or mark handled."""

    list_display = ["question_text", "campaign", "reporter", "reason", "created_at", "handled_at"]
    list_filter = [("handled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["question__campaign", "reporter"]
    readonly_fields = ["question", "reporter", "reason", "created_at", "handled_at"]
    actions = [_hide_action(key, True) for key in HIDE_REASONS] + ["mark_handled"]

    @admin.display(description=_("Question"))
    def question_text(self, obj) -> str:
        return obj.question.body[:80]

    @admin.display(description=_("Campaign"))
    def campaign(self, obj) -> str:
        return obj.question.campaign.title

    @admin.action(description=_("Mark handled (nothing to hide)"))
    def mark_handled(self, request, queryset):
        try:
            services.reports_handle(report_ids=list(queryset.values_list("pk", flat=True)), user=request.user)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "campaign", "active", "changed_at"]
    list_filter = ["active"]
    list_select_related = ["user", "campaign"]
    search_fields = ["user__username", "campaign__title"]


@admin.register(MilestoneNotice)
class MilestoneNoticeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "milestone", "sent_at"]
    list_filter = ["milestone"]
    list_select_related = ["campaign"]
