from django.contrib import admin

from platforms.models import Category, Platform


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "currency", "funding_models", "collection_mode", "refund_destination"]
    inlines = [CategoryInline]
