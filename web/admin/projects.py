from django.contrib import admin
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from core.money import Money
from funding.services import report_approve
from projects import reports, services
from projects.models import (
    Campaign,
    CampaignStatus,
    CampaignStatusChange,
    CampaignUpdate,
    FinalReport,
    ReportAttachment,
    ReportStatus,
    RewardTier,
    StoryImage,
)
from web.admin.helpers import MoneyFieldsAdmin, ReviewButtonsAdmin, action_with_text, money_column, run_each


def _terms_fixed(campaign) -> bool:
    """Once a campaign leaves its draft, backers (and the review) rely on its terms as they stand."""
    return campaign is not None and campaign.status != CampaignStatus.DRAFT


class TierInline(admin.TabularInline):
    model = RewardTier
    extra = 0
    readonly_fields = ["quantity_claimed"]

    def get_readonly_fields(self, request, obj=None):
        # A reward's price is a term; its limit may still grow (never below what is claimed).
        return [*self.readonly_fields, "amount"] if _terms_fixed(obj) else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return not _terms_fixed(obj) and super().has_delete_permission(request, obj)


class StatusChangeInline(admin.TabularInline):
    model = CampaignStatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "actor", "note", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(ReviewButtonsAdmin, MoneyFieldsAdmin, admin.ModelAdmin):
    list_display = [
        "title",
        "platform",
        "status",
        money_column("goal"),
        "deadline",
        money_column("raised_at_close", label="raised at close"),
        "featured",
    ]
    list_filter = ["status", "platform", "funding_model", "featured"]
    search_fields = ["title", "story"]
    # The lifecycle and the money are changed only by the services (actions below), never by hand.
    readonly_fields = [
        "status",
        "review_note",
        "review_private_note",
        "report_due_on",
        "currency",
        "closed_at",
        "raised_at_close",
        "backers_at_close",
        "collected",
        "fee_amount",
        "first_payout_amount",
        "held_amount",
        "first_payout_due",
    ]
    # The terms backers pledge on: fixed once the campaign is submitted (the owner edits drafts only).
    # The area too: the statistics count the campaign under it from then on.
    terms = ["platform", "owner", "category", "area", "goal", "starts_at", "deadline", "funding_model"]
    inlines = [TierInline, StatusChangeInline]
    actions = ["approve", "send_back", "feature", "unfeature"]
    money_fields = ("goal", "raised_at_close", "collected", "fee_amount", "first_payout_amount", "held_amount")
    # Approve / Send back on the campaign's own page: buttons that post the list's actions for this one
    # campaign, so they run the same services under the same permission.
    change_form_template = "admin/projects/campaign/change_form.html"

    def waits_for_review(self, obj) -> bool:
        return obj.status == CampaignStatus.SUBMITTED

    def readonly_names(self, request, obj=None):
        return [*self.readonly_fields, *self.terms] if _terms_fixed(obj) else list(self.readonly_fields)

    def has_review_permission(self, request):
        return request.user.has_perm(services.REVIEW_CAMPAIGN)

    @admin.action(description="Approve selected campaigns (go live)", permissions=["review"])
    def approve(self, request, queryset):
        run_each(self, request, queryset, lambda c: services.campaign_approve(campaign=c, admin=request.user))

    # The front pages' pick (the `featured` box on a campaign's page does the same for one).
    @admin.action(description="Feature selected campaigns on the front pages", permissions=["change"])
    def feature(self, request, queryset):
        services.campaigns_feature(campaign_ids=list(queryset.values_list("pk", flat=True)), featured=True)

    @admin.action(description="Stop featuring selected campaigns", permissions=["change"])
    def unfeature(self, request, queryset):
        services.campaigns_feature(campaign_ids=list(queryset.values_list("pk", flat=True)), featured=False)

    @admin.action(description="Send selected campaigns back to their owners", permissions=["review"])
    def send_back(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Send back",
            label="Reason (public: the owner and the decision log show it)",
            private_label="Private note to the owner (optional, never public)",
            apply=lambda c, reason, private: services.campaign_send_back(
                campaign=c, admin=request.user, reason=reason, private_note=private
            ),
        )


class AttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0
    # Uploaded by the owner with their checks (projects.attachments); staff see them, never replace them.
    fields = ["download", "caption", "content_type", "size"]
    readonly_fields = ["download", "content_type", "size"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="file")
    def download(self, obj: ReportAttachment) -> str:
        # Stored outside MEDIA_ROOT (no URL of its own): served by the site with its checks.
        return format_html('<a href="{}">{}</a>', reverse("report-attachment", args=[obj.pk]), obj.content_type)


@admin.register(FinalReport)
class FinalReportAdmin(ReviewButtonsAdmin, admin.ModelAdmin):
    list_display = ["campaign", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]
    # The owner's report as they filed it: staff read it (the spending as a table), never rewrite it.
    readonly_fields = [
        "campaign",
        "status",
        "text_shown",
        "spending_table",
        "reason",
        "private_note",
        "reviewed_at",
        "reviewed_by",
        "submitted_at",
    ]
    fields = tuple(readonly_fields)
    inlines = [AttachmentInline]

    @admin.display(description="what was done with the money")
    def text_shown(self, obj: FinalReport) -> str:
        return linebreaks_filter(obj.text, autoescape=True)

    @admin.display(description="spending")
    def spending_table(self, obj: FinalReport) -> str:
        currency = obj.campaign.currency
        rows = format_html_join(
            "",
            '<tr><td>{}</td><td style="text-align:end">{}</td></tr>',
            ((line.get("item", ""), Money(int(line.get("amount") or 0), currency)) for line in obj.spending or []),
        )
        total = sum(int(line.get("amount") or 0) for line in obj.spending or [])
        return format_html(
            '<table class="spending"><thead><tr><th scope="col">item</th><th scope="col">amount</th></tr></thead>'
            '<tbody>{}</tbody><tfoot><tr><th scope="row">total</th><td style="text-align:end">{}</td></tr></tfoot>'
            "</table>",
            rows,
            Money(total, currency),
        )

    actions = ["approve", "reject"]
    # Approve / Reject on the report's own page, as on a campaign's: the list's actions for this one.
    change_form_template = "admin/projects/finalreport/change_form.html"

    def waits_for_review(self, obj) -> bool:
        return obj.status == ReportStatus.SUBMITTED

    def has_review_permission(self, request):
        return request.user.has_perm(services.REVIEW_REPORT)

    @admin.action(description="Approve selected reports (releases the held part)", permissions=["review"])
    def approve(self, request, queryset):
        run_each(self, request, queryset, lambda r: report_approve(report=r, admin=request.user))

    @admin.action(description="Reject selected reports", permissions=["review"])
    def reject(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Reject report",
            label="Reason (public: the owner and the decision log show it)",
            private_label="Private note to the owner (optional, never public)",
            apply=lambda r, reason, private: reports.report_reject(
                report=r, admin=request.user, reason=reason, private_note=private
            ),
        )


@admin.register(CampaignUpdate)
class CampaignUpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "kind", "mailed", "created_at"]
    list_filter = ["kind", "mailed", "campaign__platform"]


@admin.register(StoryImage)
class StoryImageAdmin(admin.ModelAdmin):
    """Pictures owners uploaded for stories and updates (checked and re-encoded on upload)."""

    list_display = ["id", "campaign", "alt", "uploaded_by", "created_at"]
    readonly_fields = ["campaign", "image", "uploaded_by", "created_at"]
    search_fields = ["alt", "campaign__title"]
