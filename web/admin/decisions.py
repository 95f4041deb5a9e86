from django.contrib import admin

from decisions.kinds import kind_label
from decisions.models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    """The public decision log, read-only: a decision is recorded by the service that makes it."""

    list_display = ["at", "platform", "campaign", "kind_text", "actor_role", "on_behalf_of", "actor"]
    list_filter = ["platform", "actor_role", "kind"]
    list_select_related = ["platform", "campaign", "actor"]
    search_fields = ["kind", "reason", "campaign__title", "on_behalf_of"]
    date_hierarchy = "at"

    @admin.display(description="decision")
    def kind_text(self, obj: Decision) -> str:
        return kind_label(obj.kind)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
