"""Staff's pages for the partners app: organisations (verify), members, endorsements, sponsors, pots
(pay in, close), matches and calls. Money and decisions change only through partners' services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.errors import ApplicationError
from partners.models import Application, Call, Endorsement, Match, Membership, Organisation, Pot, Sponsorship
from partners.services import calls as call_services
from partners.services import organisations as org_services
from partners.services import rounds
from web.admin.helpers import admin_error_text, money_column, run_each


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


class CallAdminForm(forms.ModelForm):
    """A new call is published through `call_create` (its decision recorded); its rules run in clean(), so
    each refusal shows next to its field and nothing is written. Later only its wording changes."""

    class Meta:
        model = Call
        fields = [
            "organisation",
            "title",
            "theme",
            "description",
            "criteria",
            "areas",
            "categories",
            "pot",
            "applications_open_at",
            "applications_close_at",
            "campaigns_deadline",
        ]

    def clean(self):
        data = super().clean() or {}
        if self.instance.pk is None and data.get("organisation") is not None and not self.errors:
            try:
                call_services.call_check(
                    organisation=data["organisation"],
                    title=data.get("title", ""),
                    theme=data.get("theme", ""),
                    description=data.get("description", ""),
                    criteria=data.get("criteria", ""),
                    applications_open_at=data.get("applications_open_at"),
                    applications_close_at=data.get("applications_close_at"),
                    campaigns_deadline=data.get("campaigns_deadline"),
                    pot=data.get("pot"),
                    areas=list(data.get("areas") or []),
                    categories=list(data.get("categories") or []),
                )
            except ApplicationError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, admin_error_text(exc))
        return data


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    form = CallAdminForm
    list_display = [
        "title",
        "organisation",
        "platform",
        "status",
        "applications_close_at",
        "campaigns_deadline",
        "round_closed_at",
    ]
    list_filter = ["platform", "status"]
    search_fields = ["title", "theme", "description"]
    filter_horizontal = ["categories", "areas"]
    inlines = [ApplicationInline]
    actions = ["close_round"]

    def get_readonly_fields(self, request, obj=None):
        fixed = ["platform", "status", "round_closed_at", "created_at"]
        if obj is not None:  # the terms applicants relied on do not change
            fixed += ["organisation", "pot", "applications_open_at", "applications_close_at", "campaigns_deadline"]
        return fixed

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["title", "theme", "description", "criteria"])
            return
        data = form.cleaned_data
        try:
            created = call_services.call_create(
                organisation=data["organisation"],
                user=request.user,
                title=data["title"],
                theme=data["theme"],
                description=data["description"],
                criteria=data["criteria"],
                applications_open_at=data["applications_open_at"],
                applications_close_at=data["applications_close_at"],
                campaigns_deadline=data["campaigns_deadline"],
                pot=data.get("pot"),
                areas=list(data.get("areas") or []),
                categories=list(data.get("categories") or []),
            )
        except ApplicationError as exc:  # a race after clean(): say so rather than fail
            raise ValidationError(admin_error_text(exc)) from exc
        obj.pk = created.pk
        obj.refresh_from_db()

    @admin.action(description="Close the quadratic round of the selected calls (once their pot's window ended)")
    def close_round(self, request, queryset):
        run_each(self, request, queryset, lambda call: rounds.round_close(call=call))


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Applications are decided by the call's organisation (site or API), so read-only here."""

    list_display = ["campaign", "call", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "call__platform"]
    search_fields = ["campaign__title", "call__title"]
    list_select_related = ["campaign", "call"]
    readonly_fields = ["call", "campaign", "status", "reason", "submitted_at", "decided_at", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
