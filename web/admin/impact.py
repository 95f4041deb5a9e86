from django.contrib import admin

from impact.models import FollowUp, Indicator, StandardIndicator, UpkeepPlan


@admin.register(StandardIndicator)
class StandardIndicatorAdmin(admin.ModelAdmin):
    """The platform's standard indicators (per category, or for all), summed across campaigns."""

    list_display = ["name", "unit", "platform", "category"]
    list_filter = ["platform"]
    fields = ["platform", "category", "name", "name_fa", "unit", "unit_fa"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "campaign", "target", "achieved", "unit"]
    list_select_related = ["campaign"]
    search_fields = ["name", "campaign__title"]


@admin.register(UpkeepPlan)
class UpkeepPlanAdmin(admin.ModelAdmin):
    list_display = ["campaign", "creates_asset", "maintainer", "months"]
    list_select_related = ["campaign"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["campaign", "months", "due_on", "requested_at", "status", "submitted_at"]
    list_filter = ["status", "months"]
    list_select_related = ["campaign"]
    readonly_fields = ["requested_at", "reminded_at", "submitted_at", "submitted_by"]
