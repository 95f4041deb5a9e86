from django.contrib import admin

from platforms.models import Area, Category, Platform


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
