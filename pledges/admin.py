from django.contrib import admin

from .models import Pledge


@admin.register(Pledge)
class PledgeAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "backer", "amount", "currency", "tier", "source", "status", "created_at"]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in Pledge._meta.fields]

    def has_add_permission(self, request):
        return False
