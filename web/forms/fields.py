"""Form fields shared by the site: amounts typed by a person, converted exactly to minor units (the
rules are core.money's: `amount_parse`, `MAX_AMOUNT`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.money import amount_parse
from core.text import digits


class AmountField(forms.CharField):
    """A money amount as a person types it, cleaned to integer minor units of `currency`."""

    def __init__(self, *, currency: str = "IRT", **kwargs: Any) -> None:
        self.currency = currency
        kwargs.setdefault("error_messages", {"required": _("Enter an amount.")})
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})
        return attrs

    def prepare_value(self, value: Any) -> Any:
        """Shown in the page's digits (Persian on a Persian page); `amount_parse` reads either back."""
        return digits(value) if isinstance(value, str | int) and not isinstance(value, bool) else value

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 40:
            raise forms.ValidationError(_("This amount is too large."), code="too_large")
        return amount_parse(value, self.currency)


def _attributes(attrs: dict[str, Any]) -> str:
    """Attributes in the order given, as Django's widget templates write them (True: the name alone;
    False or None: left out)."""
    plain = ((k, v) for k, v in attrs.items() if v is not True and v is not False and v is not None)
    flags = ((k,) for k, v in attrs.items() if v is True)
    return format_html_join("", ' {}="{}"', plain) + format_html_join("", " {}", flags)


class QuickSelect(forms.Select):
    """A `<select>` written in Python rather than through Django's template per option: the browse form's
    area list has over a hundred options, and rendering them one template each was about a third of the
    browse page's CPU. Same HTML as Django's (name, then the attributes; the first option matching the
    value selected); plain choices only (no groups)."""

    def render(self, name, value, attrs=None, renderer=None):
        final = {"name": name, **self.build_attrs(self.attrs, attrs)}
        chosen = next(iter(self.format_value(value)), None)
        rows = []
        selected_one = False
        for option_value, label in self.choices:
            option = "" if option_value is None else str(option_value)
            selected = not selected_one and option == chosen
            selected_one = selected_one or selected
            rows.append((option, " selected" if selected else "", label))
        options = format_html_join("", '<option value="{}"{}>{}</option>', rows)
        return format_html("<select{}>{}</select>", _attributes(final), options)
