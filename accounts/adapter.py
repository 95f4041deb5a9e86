"""allauth's account adapter with our keying of the failed-login limit."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from .net import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's limits key on the real client too (CIVICFUND_TRUSTED_PROXIES, one knob for all)."""
        return client_ip(request)

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The per-account limit of failed logins counts each account's failures per client address:
        someone guessing an account's password from one address slows only themselves, never the
        owner signing in from elsewhere (allauth's default key is the account alone, so five wrong
        passwords from anywhere locked the owner out for five minutes)."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{client_ip(request)}"
