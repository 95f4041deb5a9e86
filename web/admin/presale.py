"""Pre-sale trust for staff: verify a bank guarantee, record its withdrawal by the issuer, decide backers'
claims, record a call on a guarantee and the issuer's payment. Every change goes through presale's
services (the decision log, the ledger and the e-mails follow)."""

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from core.errors import ApplicationError
from core.money import Money
from presale.claim_money import claim_payment_to_wallet, guarantee_call_record, guarantee_owed, guarantee_receipt_record
from presale.claims import claim_decide
from presale.guarantees import guarantee_verify, guarantee_withdraw
from presale.models import Claim, ClaimEvidence, ClaimPayment, Delivery, Guarantee, GuaranteeCall, ShippingAddress
from web.admin.helpers import action_with_text, admin_error_text, money_column, run_each
from web.forms.fields import AmountField


class AmountTextForm(forms.Form):
    amount = AmountField(label="Amount")
    text = forms.CharField(label="Text", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, currency: str, amount_label: str, text_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        amount = self.fields["amount"]
        assert isinstance(amount, AmountField)
        amount.currency, amount.label, self.fields["text"].label = currency, amount_label, text_label


def action_with_amount(
    modeladmin, request, queryset, *, title, amount_label, text_label, currency, apply, initial=None
):
    """Like `action_with_text`, asking for an amount (typed as the currency writes it) and a text, then
    calling `apply(obj, amount, text)` for each selected object, reporting each domain error."""
    labels = {"currency": currency, "amount_label": amount_label, "text_label": text_label}
    if "apply" in request.POST:
        form = AmountTextForm(request.POST, **labels)
        if form.is_valid():
            for obj in queryset:
                try:
                    apply(obj, form.cleaned_data["amount"], form.cleaned_data["text"])
                    modeladmin.message_user(request, f"{obj}: done.", messages.SUCCESS)
                except ApplicationError as exc:
                    modeladmin.message_user(request, f"{obj}: {admin_error_text(exc)}", messages.ERROR)
            return None
    else:
        form = AmountTextForm(initial=initial, **labels)
    return TemplateResponse(
        request,
        "admin/text_action.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "objects": queryset,
            "action": request.POST.get("action"),
            "opts": modeladmin.model._meta,
        },
    )


@admin.register(Guarantee)
class GuaranteeAdmin(admin.ModelAdmin):
    list_display = ["campaign", "issuer", "reference", "amount_shown", "expires_on", "status", "document_link"]
    list_filter = ["status", "campaign__platform"]
    list_select_related = ["campaign"]
    search_fields = ["issuer", "reference", "campaign__title"]
    readonly_fields = [
        "campaign",
        "issuer",
        "reference",
        "amount",
        "currency",
        "expires_on",
        "document_link",
        "status",
        "verified_at",
        "verified_by",
        "ended_at",
        "end_reason",
    ]
    exclude = ["document"]
    actions = ["verify", "withdraw", "call"]
    amount_shown = staticmethod(money_column("amount", label="amount"))

    @admin.display(description="document")
    def document_link(self, obj: Guarantee) -> str:
        return format_html('<a href="{}">{}</a>', reverse("guarantee-document", args=[obj.pk]), "download")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Verify (checked with the issuer)")
    def verify(self, request, queryset):
        run_each(self, request, queryset, lambda g: guarantee_verify(guarantee=g, staff=request.user))

    @admin.action(description="Record a call on the guarantee (for claims the held part did not cover)")
    def call(self, request, queryset):
        first = queryset.select_related("campaign").first()
        return action_with_amount(
            self,
            request,
            queryset,
            title="Record a call on these guarantees",
            amount_label="Amount called",
            text_label="The call's reference",
            currency=first.currency if first else "IRT",
            initial={"amount": guarantee_owed(first.campaign) if first else None},
            apply=lambda g, amount, text: guarantee_call_record(
                guarantee=g, staff=request.user, amount=amount, reference=text
            ),
        )

    @admin.action(description="Record the issuer's withdrawal")
    def withdraw(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Record the withdrawal of these guarantees",
            label="Why (shown to the public)",
            apply=lambda g, text: guarantee_withdraw(guarantee=g, staff=request.user, reason=text),
        )


class ClaimEvidenceInline(admin.TabularInline):
    model = ClaimEvidence
    fields = ["name", "file_type", "download"]
    readonly_fields = ["name", "file_type", "download"]
    extra = 0
    can_delete = False

    @admin.display(description="file")
    def download(self, obj: ClaimEvidence) -> str:
        return format_html('<a href="{}">{}</a>', reverse("claim-evidence", args=[obj.pk]), "download")

    def has_add_permission(self, request, obj=None):
        return False


class ClaimPaymentInline(admin.TabularInline):
    model = ClaimPayment
    fields = ["source", "amount", "to_wallet", "key", "status", "paid_at", "note"]
    readonly_fields = ["source", "amount", "to_wallet", "key", "status", "paid_at", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ClaimPayment)
class ClaimPaymentAdmin(admin.ModelAdmin):
    """Payments to claims' backers. A payment the card declined ("failed") leaves the claim owed; staff of
    the Finance group pay it to the backer's wallet instead (the action; the backer is e-mailed)."""

    list_select_related = ["claim"]
    list_display = ["key", "claim", "source", "amount_shown", "to_wallet", "status", "created_at", "note"]
    list_filter = ["status", "source", "to_wallet", "claim__campaign__platform"]
    search_fields = ["key", "claim__pledge__backer__email"]
    readonly_fields = ["claim", "source", "amount", "to_wallet", "key", "status", "created_at", "paid_at", "note"]
    actions = ["pay_to_wallet"]

    @admin.display(description="Amount")
    def amount_shown(self, obj: ClaimPayment) -> str:
        return str(Money(obj.amount, obj.claim.currency))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Pay to the backer's wallet instead (card declined)")
    def pay_to_wallet(self, request, queryset):
        run_each(
            self, request, queryset, lambda payment: claim_payment_to_wallet(payment_id=payment.pk, staff=request.user)
        )


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    """Backers' claims: staff decide them here (or on the claim's page) once the owner answered or the
    answer time passed. Accepting takes from the held part first; the rest is owed from the guarantee."""

    list_display = ["pk", "campaign", "backer", "ground", "amount_shown", "status", "answer_due_on", "owed_shown"]
    list_filter = ["status", "ground", "campaign__platform"]
    list_select_related = ["campaign", "backer"]
    search_fields = ["campaign__title", "backer__email", "description"]
    inlines = [ClaimEvidenceInline, ClaimPaymentInline]
    readonly_fields = [
        "pledge",
        "campaign",
        "backer",
        "ground",
        "description",
        "amount",
        "currency",
        "status",
        "filed_at",
        "answer_due_on",
        "answer",
        "answered_at",
        "decided_at",
        "decided_by",
        "reason",
        "accepted_amount",
        "from_held",
        "paid_from_held",
        "paid_from_guarantee",
        "page",
    ]
    actions = ["accept", "accept_in_part", "reject"]
    amount_shown = staticmethod(money_column("amount", label="amount claimed"))

    @admin.display(description="still owed")
    def owed_shown(self, obj: Claim) -> str:
        return str(Money(obj.owed, obj.currency))

    @admin.display(description="page")
    def page(self, obj: Claim) -> str:
        return format_html('<a href="{}">{}</a>', reverse("claim", args=[obj.pk]), "the claim's page")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Accept in full (pays the backer)")
    def accept(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Accept these claims in full",
            label="Reason (shown to the backer and in the public decision log)",
            apply=lambda c, text: claim_decide(claim=c, staff=request.user, accepted_amount=c.amount, reason=text),
        )

    @admin.action(description="Accept in part")
    def accept_in_part(self, request, queryset):
        first = queryset.first()
        return action_with_amount(
            self,
            request,
            queryset,
            title="Accept these claims in part",
            amount_label="Amount accepted (each)",
            text_label="Reason (shown to the backer and in the public decision log)",
            currency=first.currency if first else "IRT",
            apply=lambda c, amount, text: claim_decide(
                claim=c, staff=request.user, accepted_amount=amount, reason=text
            ),
        )

    @admin.action(description="Reject")
    def reject(self, request, queryset):
        return action_with_text(
            self,
            request,
            queryset,
            title="Reject these claims",
            label="Reason (shown to the backer and in the public decision log)",
            apply=lambda c, text: claim_decide(claim=c, staff=request.user, accepted_amount=0, reason=text),
        )


@admin.register(GuaranteeCall)
class GuaranteeCallAdmin(admin.ModelAdmin):
    """Calls on guarantees; recording the issuer's payment books it and pays the claims owed."""

    list_display = ["reference", "guarantee", "amount_shown", "called_at", "received_shown", "received_at"]
    list_select_related = ["guarantee__campaign"]
    readonly_fields = [
        "guarantee",
        "amount",
        "reference",
        "called_at",
        "called_by",
        "received",
        "received_at",
        "received_reference",
    ]
    actions = ["record_receipt"]

    @admin.display(description="called", ordering="amount")
    def amount_shown(self, obj: GuaranteeCall) -> str:
        return str(Money(obj.amount, obj.guarantee.currency))

    @admin.display(description="received", ordering="received")
    def received_shown(self, obj: GuaranteeCall) -> str:
        return str(Money(obj.received, obj.guarantee.currency))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Record the issuer's payment")
    def record_receipt(self, request, queryset):
        first = queryset.select_related("guarantee").first()
        return action_with_amount(
            self,
            request,
            queryset,
            title="Record the money the issuer paid",
            amount_label="Amount received",
            text_label="Bank transfer reference",
            currency=first.guarantee.currency if first else "IRT",
            initial={"amount": first.amount if first else None},
            apply=lambda call, amount, text: guarantee_receipt_record(
                call=call, staff=request.user, amount=amount, reference=text
            ),
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Where shipped rewards are; staff read them (problems reported by backers, late rewards). Moves are
    the owner's and the backer's, through presale.delivery."""

    list_display = ["pledge", "campaign", "status", "tracking_reference", "shipped_at", "confirmed_at", "problem_at"]
    list_filter = ["status", "campaign__platform"]
    list_select_related = ["campaign"]
    search_fields = ["pledge__id", "tracking_reference", "campaign__title"]
    readonly_fields = [
        "pledge",
        "campaign",
        "status",
        "shipped_at",
        "tracking_reference",
        "confirmed_at",
        "problem",
        "problem_at",
        "updated_at",
        "address",
    ]

    @admin.display(description="ship to")
    def address(self, obj: Delivery) -> str:
        address = ShippingAddress.objects.filter(pledge_id=obj.pledge_id).first()
        return ", ".join(address.lines()) if address else "-"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ShippingAddress)
class ShippingAddressAdmin(admin.ModelAdmin):
    """Backers' shipping addresses (deleted by the nightly job the platform's keep days after delivery)."""

    list_display = ["pledge", "recipient", "city", "country", "created_at"]
    list_select_related = ["pledge"]
    search_fields = ["pledge__id", "recipient", "postal_code"]
    readonly_fields = [
        "pledge",
        "recipient",
        "phone",
        "address",
        "city",
        "region",
        "postal_code",
        "country",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
