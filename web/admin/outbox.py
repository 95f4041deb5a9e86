from django.contrib import admin

from core.models import OutboxMail


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    """E-mails not sent yet; one with many attempts is one the mail server keeps refusing."""

    list_display = ["id", "kind", "ids", "created_at", "attempts", "not_before", "last_error"]
    list_filter = ["kind", "attempts"]
    readonly_fields = ["kind", "ids", "created_at", "last_error"]
