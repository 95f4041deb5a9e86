"""Admin actions that need one more word from the admin (a reason, a transfer reference)."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.template.response import TemplateResponse

from civicfund.errors import ApplicationError


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=True)


def action_with_text(modeladmin, request, queryset, *, title: str, label: str, apply):
    """Show a small form asking for `label`, then call `apply(obj, text)` for each selected object,
    reporting each domain error next to the object it concerns."""
    if "apply" in request.POST:
        form = TextForm(request.POST)
        if form.is_valid():
            for obj in queryset:
                try:
                    apply(obj, form.cleaned_data["text"])
                    modeladmin.message_user(request, f"{obj}: done.", messages.SUCCESS)
                except ApplicationError as exc:
                    modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
            return None
    else:
        form = TextForm()
    form.fields["text"].label = label
    return TemplateResponse(request, "admin/text_action.html", {
        **modeladmin.admin_site.each_context(request), "title": title, "form": form,
        "objects": queryset, "action": request.POST.get("action"), "opts": modeladmin.model._meta,
    })


def run_each(modeladmin, request, queryset, apply) -> None:
    for obj in queryset:
        try:
            apply(obj)
            modeladmin.message_user(request, f"{obj}: done.", messages.SUCCESS)
        except ApplicationError as exc:
            modeladmin.message_user(request, f"{obj}: {exc.message}", messages.ERROR)
