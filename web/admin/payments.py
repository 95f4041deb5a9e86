from django.contrib import admin

from payments.models import Dispute, PaymentAttempt, StripeEvent
from web.admin.helpers import money_column


@admin.register(PaymentAttempt)
class PaymentAttemptAdmin(admin.ModelAdmin):
    list_display = ["idempotency_key", "kind", money_column("amount"), "status", "reference", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in PaymentAttempt._meta.fields]


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["event_id", "type", "object_id", "created", "received_at", "note"]
    list_filter = ["type"]
    search_fields = ["event_id", "object_id"]
    readonly_fields = [f.name for f in StripeEvent._meta.fields]


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    list_display = ["dispute_id", "pledge", money_column("amount"), "reason", "status", "created_at", "closed_at"]
    list_select_related = ["pledge"]
    list_filter = ["status", "reason"]
    search_fields = ["dispute_id", "payment_intent"]
    readonly_fields = [f.name for f in Dispute._meta.fields]
