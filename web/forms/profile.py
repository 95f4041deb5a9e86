"""The display name a person shows on their campaigns and owner profile."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.profile import DISPLAY_NAME_MAX


class DisplayNameForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        max_length=DISPLAY_NAME_MAX * 4,  # the service says why a longer name is refused
        help_text=_(
            "Shown on your campaigns, your public profile and in e-mails to backers instead of your "
            "username. Your e-mail address is never shown. Leave it empty to show your username."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
