"""The account page: the user's API tokens, listed and revoked (docs/security.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.tokens import token_expired, token_expires_at, tokens_of, tokens_revoke


@login_required
def account_page(request):
    """GET: the API tokens (never their whole key), each with when it expires. POST: revoke them all."""
    if request.method == "POST":
        if tokens_revoke(user=request.user):
            messages.success(request, _("Your API tokens are revoked: apps using them must sign in again."))
        return redirect("my-account")
    tokens = [
        {
            "start": token.key[:6],
            "created": token.created,
            "expires": token_expires_at(token.created),
            "expired": token_expired(token.created),
        }
        for token in tokens_of(user=request.user)
    ]
    return render(request, "account/me.html", {"tokens": tokens})
