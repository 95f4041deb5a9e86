"""Form fields shared by the site: amounts typed by a person, converted exactly to minor units (the
rules are core.money's: `amount_parse`, `MAX_AMOUNT`)."""

from __future__ import annotations

from typing import Any

from django import forms
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
