"""Staff's pages for the partners app: organisations (verify), members, endorsements, sponsors, pots
(pay in, close), matches and calls. Money and decisions change only through partners' services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from core.errors import ApplicationError
from core.money import amount_parse
from partners.models import (
    Application,
    Call,
    Endorsement,
    Match,
    Membership,
    Organisation,
    Pot,
    PotStatus,
    Sponsorship,
)
from partners.services import calls as call_services
from partners.services import organisations as org_services
from partners.services import pots as pot_services
from partners.services import rounds
from web.admin.helpers import action_with_text, admin_error_text, money_column, run_each


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


POT_TERMS = [
    "name",
    "budget",
    "opens_at",
    "closes_at",
    "rule",
    "ratio",
    "cap_per_pledge",
    "cap_per_campaign",
    "cap_per_campaign_percent",
    "matched_pledges_per_backer",
    "milestone_percent",
    "milestone_backers",
    "grant_amount",
    "grant_percent",
    "cap_percent",
]
POT_CHOICES = ["categories", "areas", "campaigns"]


class PotAdminForm(forms.ModelForm):
    """Staff's pot form: the terms are checked by the pot service (the same sentences as on the site and
    in the API), so a rule that cannot work is shown next to its field and nothing is written."""

    class Meta:
        model = Pot
        fields = ["organisation", *POT_TERMS, *POT_CHOICES]
        help_texts = {
            "budget": "Minor units (pence, rials): what the organisation means to pay in.",
            "ratio": "Linear: each unit given is matched by this much (1 = every £1 becomes £2).",
            "cap_per_pledge": "Linear, minor units: the most one pledge is matched.",
            "cap_per_campaign": "Linear, minor units: the most one campaign gets from the pot.",
            "cap_per_campaign_percent": "Linear: the most one campaign gets, as a share of its goal.",
            "matched_pledges_per_backer": "Linear: how many of a backer's pledges to one campaign are matched.",
        }

    def clean(self):
        data: dict[str, Any] = super().clean() or {}
        organisation = data.get("organisation") or getattr(self.instance, "organisation", None)
        if organisation is None or self.errors:
            return data
        terms: dict[str, Any] = {name: data.get(name) for name in POT_TERMS}
        if self.instance.pk:
            terms["rule"] = self.instance.rule
        try:
            org_services.check_verified(organisation)
            if self.instance.pk and data.get("budget") is not None and data["budget"] < self.instance.paid_in:
                raise ApplicationError("The budget cannot be less than what was paid in already.", field="budget")
            pot_services.pot_rule_fields(
                platform=organisation.platform,
                categories=list(data.get("categories") or []),
                areas=list(data.get("areas") or []),
                campaigns=list(data.get("campaigns") or []),
                **terms,
            )
        except ApplicationError as exc:
            field = exc.field if exc.field in self.fields else None
            raise ValidationError({field: admin_error_text(exc)} if field else admin_error_text(exc)) from None
        return data


class PayInForm(forms.Form):
    amount = forms.CharField(label="Amount received (in the currency, e.g. 2500.00)")
    reference = forms.CharField(label="Bank transfer reference (never booked twice)", max_length=100)


@admin.register(Pot)
class PotAdmin(admin.ModelAdmin):
    """Create and edit pots (checked by the pot service), record a bank transfer paid in (a ledger
    movement organisation → pot), close a pot early with a public reason (a decision)."""

    form = PotAdminForm
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
    list_select_related = ["organisation", "platform"]
    search_fields = ["name", "organisation__name"]
    readonly_fields = ["platform", "paid_in", "available", "status", "closed_at", "currency", "created_at"]
    filter_horizontal = ["categories", "areas"]
    raw_id_fields = ["campaigns"]
    actions = ["pay_in", "close_early"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        fixed = ["organisation", "rule"]
        if obj.status != PotStatus.OPEN:
            fixed += POT_TERMS + POT_CHOICES
        return [*fixed, *self.readonly_fields]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        choices = {name: list(data.get(name) or []) for name in POT_CHOICES}
        terms = {name: data[name] for name in POT_TERMS if name in data}
        if change:
            terms.setdefault("rule", obj.rule)
            saved = pot_services.pot_update(pot=obj, user=request.user, **choices, **terms)
        else:
            saved = pot_services.pot_create(organisation=data["organisation"], user=request.user, **choices, **terms)
        obj.pk, obj.platform_id, obj.currency = saved.pk, saved.platform_id, saved.currency

    def save_related(self, request, form, formsets, change):
        """The service set the eligibility already."""

    @admin.action(description="Record a bank transfer paid into the selected pot")
    def pay_in(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Choose one pot: a transfer is paid into one pot.", messages.ERROR)
            return None
        pot = queryset.get()
        form = PayInForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            try:
                amount = amount_parse(form.cleaned_data["amount"], pot.currency)
                pot_services.pot_pay_in(
                    pot=pot, staff=request.user, amount=amount, reference=form.cleaned_data["reference"]
                )
            except ValidationError as exc:
                form.add_error("amount", exc)
            except ApplicationError as exc:
                field = exc.field if exc.field in form.fields else None
                form.add_error(field, admin_error_text(exc))
            else:
                self.message_user(request, f"{pot}: paid in, recorded in the books.", messages.SUCCESS)
                return None
        return TemplateResponse(
            request,
            "admin/text_action.html",
            {
                **self.admin_site.each_context(request),
                "title": "Record a bank transfer",
                "form": form,
                "objects": [pot],
                "action": "pay_in",
                "opts": Pot._meta,
            },
        )

    @admin.action(description="Close the selected pots early (what is left goes back to the organisation)")
    def close_early(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Close early",
            label="Reason (public: the decision log shows it)",
            apply=lambda pot, reason: pot_services.pot_close(pot=pot, user=request.user, reason=reason),
        )


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
