"""Pieces every app's API shares: schema class, pagination, throttling, the token and ping views."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from drf_spectacular import openapi
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.net import client_ip
from accounts.tokens import token_issue

from .auth import EMAIL_UNVERIFIED
from .errors import ErrorSerializer

# Error statuses any operation may answer with, all in the one error format (civicfund/api_errors.py).
# The largest id a query may name: a bigger integer is a 400, not an overflow in the database driver.
MAX_ID = 2**63 - 1


def partner_list_filter(qs: Any, filters: dict[str, Any]) -> Any:
    """Narrow a list of pots or calls by the query parameters both lists take: platform (slug),
    organisation (id) and status."""
    if filters.get("platform"):
        qs = qs.filter(platform__slug=filters["platform"])
    if filters.get("organisation"):
        qs = qs.filter(organisation_id=filters["organisation"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    return qs


ERROR_STATUSES = ("400", "401", "403", "404", "405", "406", "409", "415", "422", "429", "503")


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the error responses documented on every operation, so a
    client (and schemathesis) can validate error bodies too."""

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        for code in ERROR_STATUSES:
            bodies.setdefault(code, self._get_response_for_code(ErrorSerializer, code, direction=direction))
        return bodies


class ScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle reading its rates when used, not at import, so settings overrides apply
    (tests) and a rate of None (CIVICFUND_API_THROTTLE=0) switches a scope off."""

    @property
    def THROTTLE_RATES(self) -> dict[str, Any]:  # type: ignore[override]  # noqa: N802 - the name DRF looks up
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_ident(self, request) -> str:
        """An anonymous client is its real address (CIVICFUND_TRUSTED_PROXIES), never a header it wrote."""
        return client_ip(request)


class TokenObtainView(APIView):
    """Exchange a username and password for the API token of that user (created on first use)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedThrottle]
    throttle_scope = "token"

    @extend_schema(
        operation_id="auth_token_obtain",
        tags=["auth"],
        request=AuthTokenSerializer,
        responses={200: inline_serializer("TokenOut", {"token": serializers.CharField()})},
    )
    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            # The website refuses this login (verification is mandatory): so does the API.
            raise serializers.ValidationError({"username": [EMAIL_UNVERIFIED()]}, code="email_unverified")
        token = token_issue(user=user)
        return Response({"token": token.key})


class PingView(APIView):
    """A trivial endpoint: no database, no authentication. Health checks and the benchmark's baseline."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        operation_id="ping",
        tags=["meta"],
        responses={200: inline_serializer("Pong", {"ok": serializers.BooleanField()})},
    )
    def get(self, request):
        return Response({"ok": True})


def query_params(request) -> dict[str, str]:
    """The query string as a plain dict for a filter serializer. Given the QueryDict itself, DRF
    reads `?status=` as "not given" (its HTML-form rule); as a dict an empty value is refused like
    any other value that is not one of the schema's choices or not a slug."""
    return request.query_params.dict()


def status_filtered(queryset, request, filter_serializer_class):
    """`queryset` narrowed to the `?status=` a list endpoint was asked for, after checking it
    against the filter serializer's choices (an unknown status is a 400 in the one error format)."""
    params = filter_serializer_class(data=query_params(request))
    params.is_valid(raise_exception=True)
    if "status" in params.validated_data:
        queryset = queryset.filter(status=params.validated_data["status"])
    return queryset
