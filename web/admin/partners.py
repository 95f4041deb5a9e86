"""Staff's pages for the partners app: organisations (verify), members, endorsements, sponsors, pots
(pay in, close), matches and calls. Money and decisions change only through partners' services."""

from django.contrib import admin

from partners.models import Application, Call, Endorsement, Match, Membership, Organisation, Pot, Sponsorship
from partners.services import organisations as org_services
from web.admin.helpers import money_column, run_each


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "kind", "verified_at"]
    list_filter = ["platform", "kind", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["verified_at", "verified_by", "created_at"]
    inlines = [MembershipInline]
    actions = ["verify"]

    @admin.action(description="Verify the selected organisations (recorded publicly)")
    def verify(self, request, queryset):
        run_each(
            self, request, queryset, lambda o: org_services.organisation_verify(organisation=o, staff=request.user)
        )


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    """Endorsements are given and withdrawn by the organisation's members (site or API), so read-only here."""

    list_display = ["organisation", "campaign", "created_at", "withdrawn_at"]
    list_filter = ["organisation__platform", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organisation", "campaign"]
    search_fields = ["organisation__name", "campaign__title", "note"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Sponsorship)
class SponsorshipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "platform", "campaign", "created_at"]
    list_filter = ["platform"]
    raw_id_fields = ["campaign"]
    fields = ["organisation", "campaign"]

    def save_model(self, request, obj, form, change):
        # Through the service: only a verified organisation, a campaign of its platform.
        saved = org_services.sponsorship_add(organisation=obj.organisation, staff=request.user, campaign=obj.campaign)
        obj.pk, obj.platform = saved.pk, saved.platform


class ReadOnlyMoney(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pot)
class PotAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organisation",
        "platform",
        "rule",
        "status",
        money_column("budget"),
        money_column("paid_in", label="paid in"),
        money_column("available"),
        "opens_at",
        "closes_at",
    ]
    list_filter = ["platform", "rule", "status"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = ["paid_in", "available", "status", "closed_at", "currency", "created_at"]
    filter_horizontal = ["categories", "areas"]
    raw_id_fields = ["campaigns"]


@admin.register(Match)
class MatchAdmin(ReadOnlyMoney):
    list_display = ["id", "pot", "campaign", "pledge", money_column("amount"), "status", "created_at"]
    list_filter = ["status", "pot__platform"]
    list_select_related = ["pot", "campaign"]


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    can_delete = False
    readonly_fields = ["campaign", "status", "reason", "submitted_at", "decided_at", "decided_by"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "platform", "status", "applications_close_at", "campaigns_deadline"]
    list_filter = ["platform", "status"]
    search_fields = ["title", "theme", "description"]
    readonly_fields = ["status", "round_closed_at", "created_at"]
    filter_horizontal = ["categories", "areas"]
    inlines = [ApplicationInline]
