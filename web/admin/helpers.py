"""Admin helpers: actions that need one more word from the admin (a reason, a transfer reference),
and money columns written as the currency is."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from core.errors import ApplicationError, InvalidTransition
from core.money import Money
from web.labels import transition_text


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=True)
    private = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


def admin_error_text(exc: ApplicationError) -> str:
    """A domain error in the admin's language: the engine's own sentence (translated when the catalogue
    has it), a refused lifecycle move said in words."""
    if isinstance(exc, InvalidTransition) and exc.to_status:
        return transition_text(exc)
    return gettext(exc.message)


def action_with_text(modeladmin, request, queryset, *, title: str, label: str, apply, private_label: str = ""):
    """Show a small form asking for `label`, then call `apply(obj, text)` for each selected object,
    reporting each domain error next to the object it concerns. With `private_label`, the form also
    asks for a private note, and `apply(obj, text, private)` gets it."""
    if "apply" in request.POST:
        form = TextForm(request.POST)
        if form.is_valid():
            for obj in queryset:
                try:
                    if private_label:
                        apply(obj, form.cleaned_data["text"], form.cleaned_data["private"])
                    else:
                        apply(obj, form.cleaned_data["text"])
                    modeladmin.message_user(request, f"{obj}: done.", messages.SUCCESS)
                except ApplicationError as exc:
                    modeladmin.message_user(request, f"{obj}: {admin_error_text(exc)}", messages.ERROR)
            return None
    else:
        form = TextForm()
    form.fields["text"].label = label
    if private_label:
        form.fields["private"].label = private_label
    else:
        del form.fields["private"]
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


def run_each(modeladmin, request, queryset, apply) -> None:
    for obj in queryset:
        try:
            apply(obj)
            modeladmin.message_user(request, f"{obj}: done.", messages.SUCCESS)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {admin_error_text(exc)}", messages.ERROR)


def money_column(field: str, *, currency: str = "currency", label: str | None = None):
    """A list column showing `field` (minor units) as its currency writes it: 200000 GBP as
    "£2,000.00", so no admin misreads an amount a hundred times too big. Sorts by the field."""

    def show(obj):
        value = getattr(obj, field)
        return "" if value is None else str(Money(value, getattr(obj, currency)))

    show.short_description = label or field.replace("_", " ")  # type: ignore[attr-defined]
    show.admin_order_field = field  # type: ignore[attr-defined]
    return show


class MoneyFieldsAdmin:
    """A ModelAdmin mixin: on the change page, each money field of `money_fields` (minor units) that is
    read-only is shown as its currency writes it ("£2,000.00", not "200000"). The raw field leaves the
    form and a display of the same label takes its place (`<field>_text`, made here)."""

    money_fields: tuple[str, ...] = ()
    money_currency = "currency"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in cls.money_fields:
            show = money_column(name, currency=cls.money_currency)
            setattr(cls, f"{name}_text", staticmethod(show))

    def readonly_names(self, request, obj=None) -> list[str]:
        """The fields read-only on this page, by their own names (override this, not get_readonly_fields)."""
        return list(super().get_readonly_fields(request, obj))  # type: ignore[misc]

    def _money_shown(self, request, obj) -> list[str]:
        readonly = self.readonly_names(request, obj)
        return [name for name in self.money_fields if name in readonly]

    def get_readonly_fields(self, request, obj=None):
        readonly = self.readonly_names(request, obj)
        return [f"{name}_text" if name in self.money_fields else name for name in readonly]

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *self._money_shown(request, obj)]  # type: ignore[misc]


class ReviewButtonsAdmin:
    """Buttons on an object's own admin page while it waits for review (`waits_for_review`), for a
    reviewer (`has_review_permission`): they post the list's review actions for this one object, so the
    same services run under the same permission. The page's template includes admin/_review_button.html."""

    def waits_for_review(self, obj) -> bool:
        raise NotImplementedError

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
        shown = obj is not None and self.waits_for_review(obj) and self.has_review_permission(request)  # type: ignore[attr-defined]
        extra_context = {**(extra_context or {}), "review_buttons": shown}
        return super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
