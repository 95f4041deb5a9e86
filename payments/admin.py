from django.contrib import admin

from .models import PaymentAttempt


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    list_display = ["idempotency_key", "kind", "amount", "currency", "status", "reference", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in PaymentAttempt._meta.fields]
