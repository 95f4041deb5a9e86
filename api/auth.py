"""API authentication (kept apart from api.base: DRF imports it while its own views load)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from accounts.tokens import token_expired


def EMAIL_UNVERIFIED() -> str:  # noqa: N802 - a message, translated when used
    return _("Verify your e-mail address first: follow the link we sent you when you signed up.")


class TokenAuth(TokenAuthentication):
    """DRF's token authentication in one plain query (token joined to its user, and whether the user has
    a verified e-mail address) instead of a compiled ORM query: every API call of a mobile client pays
    for it. A token of an account whose e-mail was never verified is refused, as the website refuses
    its login (ACCOUNT_EMAIL_VERIFICATION = "mandatory")."""

    _sql: str | None = None

    @classmethod
    def _query(cls) -> str:
        if cls._sql is None:
            user = get_user_model()._meta
            cols = ", ".join(f'u."{f.column}"' for f in user.concrete_fields)
            emails = EmailAddress._meta.db_table
            verified = f'EXISTS (SELECT 1 FROM "{emails}" e WHERE e."user_id" = u."{user.pk.column}" AND e."verified")'
            cls._sql = (
                f'SELECT t."key", t."created", {verified}, {cols} FROM "{Token._meta.db_table}" t '
                f'JOIN "{user.db_table}" u ON u."{user.pk.column}" = t."user_id" WHERE t."key" = %s'
            )
        return cls._sql

    def authenticate_credentials(self, key):
        with connection.cursor() as cursor:
            cursor.execute(self._query(), [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        User = get_user_model()
        user = User.from_db(connection.alias, [f.attname for f in User._meta.concrete_fields], row[3:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if not row[2]:
            raise exceptions.AuthenticationFailed(EMAIL_UNVERIFIED())
        if token_expired(row[1]):
            raise exceptions.AuthenticationFailed(_("This token has expired: ask for a new one with your password."))
        token = Token.from_db(connection.alias, ["key", "user_id", "created"], [row[0], user.pk, row[1]])
        token.user = user
        return user, token
