from django.contrib import admin

from platforms.models import Area, Category, Platform, PlatformPage
from platforms.pages import pages_default_store


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    fields = ["slug", "name", "name_fa", "kind", "population"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "currency", "funding_models", "collection_mode", "refund_destination"]
    inlines = [CategoryInline, AreaInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new platform starts with the default about, FAQ, terms and privacy pages
            pages_default_store(obj, PlatformPage)


@admin.register(PlatformPage)
class PlatformPageAdmin(admin.ModelAdmin):
    """The platform's about, FAQ, terms and privacy pages, one row per language; the body is Markdown,
    shown sanitised (no HTML or scripts survive)."""

    list_display = ["platform", "kind", "language", "title", "updated_at"]
    list_filter = ["platform", "kind", "language"]
    search_fields = ["title", "body"]
    readonly_fields = ["updated_at"]
