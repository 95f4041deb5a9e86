"""Pre-sale trust for staff: verify a bank guarantee, record its withdrawal by the issuer. Every change
goes through presale's services (the decision log and the e-mails follow)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from presale.guarantees import guarantee_verify, guarantee_withdraw
from presale.models import Delivery, Guarantee, ShippingAddress
from web.admin.helpers import action_with_text, money_column, run_each


@admin.register(Guarantee)
class GuaranteeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "issuer", "reference", "amount_shown", "expires_on", "status", "document_link"]
    list_filter = ["status", "campaign__platform"]
    list_select_related = ["campaign"]
    search_fields = ["issuer", "reference", "campaign__title"]
    readonly_fields = [
        "campaign",
        "issuer",
        "reference",
        "amount",
        "currency",
        "expires_on",
        "document_link",
        "status",
        "verified_at",
        "verified_by",
        "ended_at",
        "end_reason",
    ]
    exclude = ["document"]
    actions = ["verify", "withdraw"]
    amount_shown = money_column("amount", label="amount")

    @admin.display(description="document")
    def document_link(self, obj: Guarantee) -> str:
        return format_html('<a href="{}">{}</a>', reverse("guarantee-document", args=[obj.pk]), "download")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Verify (checked with the issuer)")
    def verify(self, request, queryset):
        run_each(self, request, queryset, lambda g: guarantee_verify(guarantee=g, staff=request.user))

    @admin.action(description="Record the issuer's withdrawal")
    def withdraw(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Record the withdrawal of these guarantees",
            label="Why (shown to the public)",
            apply=lambda g, text: guarantee_withdraw(guarantee=g, staff=request.user, reason=text),
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Where shipped rewards are; staff read them (problems reported by backers, late rewards). Moves are
    the owner's and the backer's, through presale.delivery."""

    list_display = ["pledge", "campaign", "status", "tracking_reference", "shipped_at", "confirmed_at", "problem_at"]
    list_filter = ["status", "campaign__platform"]
    list_select_related = ["campaign"]
    search_fields = ["pledge__id", "tracking_reference", "campaign__title"]
    readonly_fields = [
        "pledge",
        "campaign",
        "status",
        "shipped_at",
        "tracking_reference",
        "confirmed_at",
        "problem",
        "problem_at",
        "updated_at",
        "address",
    ]

    @admin.display(description="ship to")
    def address(self, obj: Delivery) -> str:
        address = ShippingAddress.objects.filter(pledge_id=obj.pledge_id).first()
        return ", ".join(address.lines()) if address else "-"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShippingAddress)
class ShippingAddressAdmin(admin.ModelAdmin):
    """Backers' shipping addresses (deleted by the nightly job the platform's keep days after delivery)."""

    list_display = ["pledge", "recipient", "city", "country", "created_at"]
    list_select_related = ["pledge"]
    search_fields = ["pledge__id", "recipient", "postal_code"]
    readonly_fields = [
        "pledge",
        "recipient",
        "phone",
        "address",
        "city",
        "region",
        "postal_code",
        "country",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
