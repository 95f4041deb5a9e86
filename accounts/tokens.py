"""API tokens: issued for a password to accounts with a verified e-mail, valid for
CIVICFUND_API_TOKEN_DAYS, listed and revoked on the account page, all revoked when the password changes
(docs/security.md). The token row is DRF's (its key is looked up by api.auth.TokenAuth in one query);
nothing about a token is cached, so a revocation holds on the next request."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token


def token_expires_at(created: dt.datetime) -> dt.datetime:
    if timezone.is_naive(created):  # SQLite's raw cursor: UTC without a zone
        created = timezone.make_aware(created, dt.UTC)
    return created + dt.timedelta(days=settings.CIVICFUND_API_TOKEN_DAYS)


def token_expired(created: dt.datetime, *, now: dt.datetime | None = None) -> bool:
    return token_expires_at(created) <= (now or timezone.now())


def token_issue(*, user: Any) -> Token:
    """The user's token, a new one if theirs has expired (or none was issued)."""
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and token_expired(token.created):
            token.delete()
            token = None
        return token or Token.objects.create(user=user)


def tokens_of(*, user: Any) -> list[Token]:
    return list(Token.objects.filter(user=user))


def tokens_revoke(*, user: Any) -> int:
    """Revoke every API token of `user` (the account page's button, a password change or reset)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


def revoke_on_password_change(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """post_save of the user model: `set_password()` leaves the new password in `_password` until the
    save is over, wherever it was called (the site's change and reset pages, the admin, changepassword)."""
    if not created and getattr(instance, "_password", None) is not None:
        tokens_revoke(user=instance)
