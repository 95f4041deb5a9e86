"""Staff see a campaign's gallery pictures and the backers' name choices, and may remove a picture that
breaks the platform's rules (the owner's page adds and orders them; web.views.pictures)."""

from __future__ import annotations

from django.contrib import admin

from pledges.models import BackerVisibility
from projects.models import CampaignPicture


@admin.register(CampaignPicture)
class CampaignPictureAdmin(admin.ModelAdmin):
    """Gallery pictures (checked and re-encoded on upload): staff read them and may delete one."""

    list_display = ["id", "campaign", "position", "alt", "uploaded_by", "created_at"]
    readonly_fields = ["campaign", "image", "position", "width", "height", "uploaded_by", "created_at"]
    search_fields = ["alt", "campaign__title"]
    list_filter = ["campaign__platform"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # owners add pictures on their page, through projects.gallery


@admin.register(BackerVisibility)
class BackerVisibilityAdmin(admin.ModelAdmin):
    """How each backer chose to appear on a campaign's public list (read-only: the backer decides)."""

    list_display = ["campaign", "backer", "by_name", "updated_at"]
    list_filter = ["by_name"]
    readonly_fields = ["campaign", "backer", "by_name", "updated_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
