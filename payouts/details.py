"""Owners' bank details: which account number a platform pays to (IBAN or Sheba), their validation
(schwifty, which keeps the IBAN registry's formats and check digits, Iran's included) and the rule that
an owner states them before submitting a campaign."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from core.errors import ApplicationError
from core.text import TO_ASCII_DIGITS
from projects import hooks as project_hooks
from projects.models import Campaign

from .models import BankDetails

# Platforms in these currencies pay to an Iranian account (Sheba); the others to an IBAN.
SHEBA_CURRENCIES = frozenset({"IRR", "IRT"})


def account_field(currency: str) -> str:
    """The BankDetails field a platform in this currency pays to: "sheba" or "iban"."""
    return "sheba" if currency in SHEBA_CURRENCIES else "iban"


def account_number_clean(value: str, *, field: str) -> str:
    """A typed IBAN or Sheba as stored: compact, upper case, Latin digits ("" stays ""). A Sheba may be
    typed without its "IR". Raises ApplicationError(field=...) when schwifty refuses the number, or when
    an Iranian number is typed as an IBAN (it goes in the Sheba field) or a foreign one as a Sheba."""
    text = "".join(value.translate(TO_ASCII_DIGITS).split()).replace("-", "").upper()
    if not text:
        return ""
    if field == "sheba" and text.isdigit():
        text = "IR" + text
    try:
        number = IBAN(text)
    except SchwiftyException:
        if field == "sheba":
            raise ApplicationError(
                gettext_noop("This is not a valid Sheba number: IR followed by 24 digits, as on your bank card."),
                code="invalid_sheba",
                field=field,
            ) from None
        raise ApplicationError(
            gettext_noop("This is not a valid IBAN: check it against your bank statement."),
            code="invalid_iban",
            field=field,
        ) from None
    if field == "sheba" and number.country_code != "IR":
        raise ApplicationError(
            gettext_noop("A Sheba number starts with IR: put a foreign account in the IBAN field."),
            code="invalid_sheba",
            field=field,
        )
    if field == "iban" and number.country_code == "IR":
        raise ApplicationError(
            gettext_noop("This is an Iranian account: put it in the Sheba field."), code="invalid_iban", field=field
        )
    return number.compact


def bank_details_save(*, user: Any, holder_name: str, iban: str = "", sheba: str = "") -> BankDetails:
    """Set the user's bank details (one row per user), after validating both numbers. At least one
    account number is required."""
    holder = " ".join(holder_name.split())
    if not holder:
        raise ApplicationError(gettext_noop("Give the account holder's name."), field="holder_name")
    if len(holder) > 140:
        raise ApplicationError(gettext_noop("The holder's name is too long."), field="holder_name")
    iban = account_number_clean(iban, field="iban")
    sheba = account_number_clean(sheba, field="sheba")
    if not iban and not sheba:
        raise ApplicationError(gettext_noop("Give an IBAN or a Sheba number."), code="account_required", field="iban")
    details, _ = BankDetails.objects.update_or_create(
        user=user, defaults={"holder_name": holder, "iban": iban, "sheba": sheba}
    )
    return details


def bank_details_of(user: Any) -> BankDetails | None:
    return BankDetails.objects.filter(user_id=user.pk).first()


def account_number_for(user: Any, currency: str) -> str:
    """The account a payment in this currency goes to, "" if the user has not given one."""
    details = bank_details_of(user)
    return getattr(details, account_field(currency)) if details else ""


def number_display(number: str) -> str:
    """An IBAN or Sheba in groups of four, as banks print it."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


@project_hooks.submission_check.register
def bank_details_required(*, campaign: Campaign, user: Any) -> None:
    """projects.hooks.submission_check: the owner says where the money goes before a review (an IBAN
    on a platform in pounds, a Sheba on an Iranian one), so an approved campaign can be paid out."""
    if not account_number_for(campaign.owner, campaign.currency):
        if account_field(campaign.currency) == "sheba":
            message = gettext_noop("Add your Sheba number (on My account) before submitting: the money is paid to it.")
        else:
            message = gettext_noop("Add your IBAN (on My account) before submitting: the money is paid to it.")
        raise ApplicationError(message, code="bank_details_required")
