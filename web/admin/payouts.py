from django.contrib import admin

from payouts import services
from payouts.models import Payout, StripeConnectAccount
from web.admin.helpers import action_with_text, money_column


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "kind",
        money_column("amount"),
        "due_on",
        "status",
        "reference",
        "paid_at",
        money_column("reversed_amount", label="reversed"),
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Payout._meta.fields]
    actions = ["record_transfer"]

    def has_add_permission(self, request):
        return False

    def has_record_permission(self, request):
        return request.user.has_perm(services.RECORD_PAYOUT)

    @admin.action(description="Record the bank transfer of selected payouts", permissions=["record"])
    def record_transfer(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Record bank transfer",
            label="Transfer reference",
            apply=lambda p, ref: services.payout_confirm(payout_id=p.pk, reference=ref, actor=request.user),
        )


@admin.register(StripeConnectAccount)
class StripeConnectAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "account_id", "charges_enabled", "payouts_enabled", "details_submitted", "updated_at"]
    readonly_fields = [f.name for f in StripeConnectAccount._meta.fields]
