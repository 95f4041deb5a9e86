from django.contrib import admin

from core.money import money_text
from payouts import services
from payouts.details import account_field, bank_details_of, number_display
from payouts.models import Payout, StripeConnectAccount, Withdrawal
from payouts.withdrawals import RECORD_WITHDRAWAL, withdrawal_pay
from web.admin.helpers import action_with_text, money_column


@admin.register(Payout)
class PayoutAdmin(admin.ModelAdmin):
    list_display = [
        "campaign",
        "kind",
        money_column("amount"),
        "due_on",
        "status",
        "reference",
        "paid_at",
        money_column("reversed_amount", label="reversed"),
    ]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Payout._meta.fields]
    actions = ["record_transfer"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # The owner's account number is private: only staff who record transfers (Finance) see it.
        fields = [*self.readonly_fields, "amount_to_pay"]
        return [*fields, "pay_to"] if self.has_record_permission(request) else fields

    @admin.display(description="Amount to pay")
    def amount_to_pay(self, obj):
        return money_text(obj.amount, obj.currency)

    @admin.display(description="Pay to (owner's bank details)")
    def pay_to(self, obj):
        details = bank_details_of(obj.campaign.owner)
        number = getattr(details, account_field(obj.currency)) if details else ""
        if details is None or not number:
            return "The owner has given no account for this currency."
        kind = "Sheba" if account_field(obj.currency) == "sheba" else "IBAN"
        return f"{details.holder_name} — {kind} {number_display(number)}"

    def has_record_permission(self, request):
        return request.user.has_perm(services.RECORD_PAYOUT)

    @admin.action(description="Record the bank transfer of selected payouts", permissions=["record"])
    def record_transfer(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Record bank transfer",
            label="Transfer reference",
            apply=lambda p, ref: services.payout_confirm(payout_id=p.pk, reference=ref, actor=request.user),
        )


@admin.register(StripeConnectAccount)
class StripeConnectAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "account_id", "charges_enabled", "payouts_enabled", "details_submitted", "updated_at"]
    readonly_fields = [f.name for f in StripeConnectAccount._meta.fields]


@admin.register(Withdrawal)
class WithdrawalAdmin(admin.ModelAdmin):
    """Backers' wallet withdrawals: Finance staff pay each by bank transfer to the account shown, then
    record the transfer's reference (the ledger moves the money out to the bank)."""

    list_display = ["id", "user", "amount_text", "status", "requested_at", "paid_at"]
    list_filter = ["status", "currency"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Withdrawal._meta.fields if f.name not in ("holder_name", "account_number")]
    actions = ["record_transfer"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_record_permission(self, request):
        return request.user.has_perm(RECORD_WITHDRAWAL)

    def get_readonly_fields(self, request, obj=None):
        # The bank account is private: only staff who record transfers (Finance) see it.
        fields = [*self.readonly_fields, "amount_text"]
        return [*fields, "pay_to"] if self.has_record_permission(request) else fields

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    @admin.display(description="Amount")
    def amount_text(self, obj):
        return money_text(obj.amount, obj.currency)

    @admin.display(description="Pay to")
    def pay_to(self, obj):
        return f"{obj.holder_name} — {number_display(obj.account_number)}"

    @admin.action(description="Record the bank transfer of selected withdrawals", permissions=["record"])
    def record_transfer(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Record bank transfer",
            label="Transfer reference",
            apply=lambda w, ref: withdrawal_pay(withdrawal_id=w.pk, reference=ref, actor=request.user),
        )
