"""API authentication (kept apart from api.base: DRF imports it while its own views load)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


class TokenAuth(TokenAuthentication):
    """DRF's token authentication in one plain query (token joined to its user) instead of a
    compiled ORM query: every API call of a mobile client pays for it. Same answers and errors."""

    _sql: str | None = None

    @classmethod
    def _query(cls) -> str:
        if cls._sql is None:
            user = get_user_model()._meta
            cols = ", ".join(f'u."{f.column}"' for f in user.concrete_fields)
            cls._sql = (
                f'SELECT t."key", t."created", {cols} FROM "{Token._meta.db_table}" t '
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
        user = User.from_db(connection.alias, [f.attname for f in User._meta.concrete_fields], row[2:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token.from_db(connection.alias, ["key", "user_id", "created"], [row[0], user.pk, row[1]])
        token.user = user
        return user, token
