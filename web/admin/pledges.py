from django.contrib import admin

from pledges.models import Pledge
from pledges.selectors import pledges_awaiting_manual_refund
from web.admin.helpers import money_column


class ManualRefundFilter(admin.SimpleListFilter):
    title = "refund"
    parameter_name = "refund"

    def lookups(self, request, model_admin):
        return [("manual", "Waiting for a manual refund")]

    def queryset(self, request, queryset):
        if self.value() == "manual":
            return queryset.filter(pk__in=pledges_awaiting_manual_refund().values("pk"))
        return queryset


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "backer", money_column("amount"), "tier", "source", "status", "created_at"]
    list_filter = ["status", "source", ManualRefundFilter]
    list_select_related = ["campaign", "backer", "tier"]  # the tier is optional: not followed by default
    readonly_fields = [f.name for f in Pledge._meta.fields]

    def has_add_permission(self, request):
        return False
