"""Sign-up, log-in and password-reset pages in formal Persian, with Persian digits.

allauth's and Django's own Persian is informal in places ("یه حساب نساختی") and writes numbers in Latin
digits ("8 حرف"). The sentences below are theirs, listed so that `makemessages` copies them into our
catalogue, where locale/fa_translations.py words them; LOCALE_PATHS puts our catalogue before theirs.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

from core.text import digits


class MinimumLengthPersianDigitsValidator(MinimumLengthValidator):
    """Django's minimum length rule, its number written in the page's digits ("۸" on a Persian page)."""

    def get_error_message(self):
        return digits(super().get_error_message())

    def get_help_text(self):
        return digits(super().get_help_text())


ALLAUTH = [
    pgettext_lazy("field label", "Login"),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise "
        "contact us if you do not receive it in a few minutes."
    ),
    gettext_noop("Hello from %(site_name)s!"),
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),
    gettext_noop("If you have not created an account yet, then please %(link)ssign up%(end_link)s first."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Sign Up"),
    gettext_noop("Forgot your password?"),
    gettext_noop("Forgot Password?"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("You must type the same password each time."),
    gettext_noop("Please type your current password."),
    gettext_noop("Your password is now changed."),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("In case you forgot, your username is %(username)s."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
]
PASSWORD_RULES = [
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
]
