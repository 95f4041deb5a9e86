"""Form fields shared by the site: amounts typed by a person, converted exactly to minor units."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from civicfund import money

MAX_AMOUNT = 10**15  # minor units, as pledges.services.MAX_AMOUNT
# Persian and Arabic-Indic digits, and the separators people type.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


_NUMBER = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")


def _not_a_number(currency: str) -> forms.ValidationError:
    """ "Enter the amount as a number, like 15000." with an example the currency can hold (25.50 for
    pounds), in the page's digits."""
    from django.utils.translation import get_language

    example = "15000" if money.exponent(currency) == 0 else "25." + "50".ljust(money.exponent(currency), "0")
    if (get_language() or "").startswith("fa"):
        example = example.translate(str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫"))
    return forms.ValidationError(
        _("Enter the amount as a number, like %(example)s.") % {"example": example}, code="invalid"
    )


def amount_parse(text: str, currency: str) -> int:
    """ "15,000" toman -> 15000; "25.50" GBP -> 2550; "۱۵٬۰۰۰" -> 15000. Decimal, never float.

    Raises forms.ValidationError for anything that is not a positive amount the currency can hold.
    """
    raw = (text or "").strip().translate(_DIGITS)
    raw = raw.replace("٬", "").replace(",", "").replace(" ", "").replace("\u00a0", "").replace("٫", ".")
    for symbol in ("£", "$", "€"):
        raw = raw.replace(symbol, "")
    if not raw:
        raise forms.ValidationError(_("Enter an amount."), code="required")
    # Digits and one decimal point: Decimal would also take "1e3", "NaN" or "Infinity".
    if not _NUMBER.fullmatch(raw):
        raise _not_a_number(currency)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise _not_a_number(currency) from None
    if value < 0:
        raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
    if value == 0:
        raise forms.ValidationError(_("The amount must be more than zero."), code="zero")
    exp = money.exponent(currency)
    minor = value.scaleb(exp)
    if minor != minor.to_integral_value():
        if exp:
            raise forms.ValidationError(_("Use at most %(n)s decimal places.") % {"n": exp}, code="precision")
        raise forms.ValidationError(_("This currency has no fractions: enter a whole amount."), code="precision")
    minor = int(minor)
    if minor > MAX_AMOUNT:
        raise forms.ValidationError(_("This amount is too large."), code="too_large")
    return minor


class AmountField(forms.CharField):
    """A money amount as a person types it, cleaned to integer minor units of `currency`."""

    def __init__(self, *, currency: str = "IRT", **kwargs):
        self.currency = currency
        kwargs.setdefault("error_messages", {"required": _("Enter an amount.")})
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})
        return attrs

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 40:
            raise forms.ValidationError(_("This amount is too large."), code="too_large")
        return amount_parse(value, self.currency)
