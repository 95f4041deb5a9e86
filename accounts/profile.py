"""A person's public name: what campaign pages, cards, owner profiles and e-mails show instead of the
username. Kept in auth's `first_name` (last_name unused), so every page that has the user row has the
name too, without a join or a query per campaign (docs/architecture.md, "Display names")."""

from __future__ import annotations

from typing import Any

from core.errors import ApplicationError
from core.text import title_refusal

DISPLAY_NAME_MAX = 80


def display_name(user: Any) -> str:
    """The name the user chose on My account; without one, their username, cut at an "@" so that a
    username typed as an e-mail address never shows the address."""
    name = (getattr(user, "first_name", "") or "").strip()
    if name:
        return name
    username = user.get_username() if hasattr(user, "get_username") else str(user)
    return username.split("@", 1)[0] or username


def display_name_set(*, user: Any, name: str) -> str:
    """Set (or, with "", clear) the user's display name: one visible line of at most DISPLAY_NAME_MAX
    characters, spaces collapsed. Raises ApplicationError (field "display_name"); nothing is saved then."""
    name = " ".join(name.split())
    if len(name) > DISPLAY_NAME_MAX:
        raise ApplicationError(
            f"A display name has at most {DISPLAY_NAME_MAX} characters.", code="name_too_long", field="display_name"
        )
    if name and (refusal := title_refusal(name)):
        raise ApplicationError(
            f"A display name is one visible line of text ({refusal}).", code="name_invalid", field="display_name"
        )
    user.first_name, user.last_name = name, ""
    user.save(update_fields=["first_name", "last_name"])
    return display_name(user)
