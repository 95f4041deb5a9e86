from django.contrib import admin

from ledger.models import Account, Entry, Transaction


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryInline(admin.TabularInline):
    model = Entry
    extra = 0
    fields = ["account", "amount", "pledge"]
    readonly_fields = ["account", "amount", "pledge"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transaction)
class TransactionAdmin(ReadOnly):
    list_display = ["key", "kind", "campaign", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["campaign"]  # optional, so not followed by default: one query per row
    inlines = [EntryInline]


@admin.register(Account)
class AccountAdmin(ReadOnly):
    list_display = ["__str__", "kind", "currency", "campaign", "user", "platform"]
    list_filter = ["kind", "currency"]
    list_select_related = ["campaign", "user", "platform"]  # each optional: one query per row otherwise
