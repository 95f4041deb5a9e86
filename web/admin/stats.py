from django.contrib import admin

from stats.models import OpenDataFile, OpenDataSettings, Tally


@admin.register(OpenDataSettings)
class OpenDataSettingsAdmin(admin.ModelAdmin):
    """A platform's open-data licence (CC BY 4.0 without a row), publisher and 360Giving prefix."""

    list_display = ["platform", "licence", "publisher", "giving_prefix"]


@admin.register(OpenDataFile)
class OpenDataFileAdmin(admin.ModelAdmin):
    """The published files, read-only: the daily job (stats.tasks.open_data_publish_all) writes them."""

    list_display = ["platform", "name", "licence", "generated_at"]
    list_filter = ["platform"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tally)
class TallyAdmin(admin.ModelAdmin):
    """The statistics' totals, read-only: kept as the money moves; `manage.py stats_rebuild` recounts them."""

    list_display = ["platform", "category", "area", "period", "raised", "backers", "funded", "failed"]
    list_filter = ["platform"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
