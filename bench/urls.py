"""The site's URLs plus endpoints that exist only in the benchmark's server (bench/settings.py).

They are the floor under a pledge's cost: an authenticated request that does nothing, the cheapest
write there is (no authentication, one row into a table with only its primary key), and the fair
floor of an authenticated write (issue 12): the same API authentication as a pledge (the default
classes, so the token is checked exactly as the pledge's is), the JSON body read, one single-row
INSERT. Whatever a pledge does, it does at least as much as the last one on the same server. And a
ceiling: the pledge's authentication, then only the SQL function that writes a wallet pledge."""

from django.db import connection
from django.urls import include, path
from django.utils import timezone
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

FLOOR_TABLE = "bench_floor_write"


class AuthenticatedNoop(APIView):
    """The API's own authentication (a token look-up), then nothing."""

    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"ok": True})


class OneInsert(APIView):
    """No authentication, like the ping; the JSON body read, one single-row INSERT (autocommit)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    def post(self, request):
        amount = int(request.data["amount"])
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FLOOR_TABLE} (amount) VALUES (%s) RETURNING id", [amount])
            (row_id,) = cursor.fetchone()
        return Response({"id": row_id, "amount": amount}, status=201)


class AuthenticatedInsert(APIView):
    """A pledge's own authentication and permission (the API's defaults), the JSON body read, one
    single-row INSERT (autocommit): the least an authenticated write can cost on this server."""

    permission_classes = [IsAuthenticated]

    def post(self, request):
        amount = int(request.data["amount"])
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {FLOOR_TABLE} (amount) VALUES (%s) RETURNING id",
                [amount],
            )
            (row_id,) = cursor.fetchone()
        return Response({"id": row_id, "amount": amount}, status=201)


class PledgeStatementOnly(APIView):
    """The ceiling of any wallet pledge that writes what this one writes: the pledge's authentication,
    then only `pledge_wallet_commit` (the statement a pledge prepares, without the statistics and pot
    parts), on arguments read once per process. None of the pledge's Python: no rules checked first, no
    answer built but the pledge's id. Not a pledge (no idempotency answer, no hooks): a measure only."""

    permission_classes = [IsAuthenticated]
    _campaigns: dict = {}

    def post(self, request, pk: int):
        from core.sql import execute_prepared
        from ledger.models import Account
        from projects.models import Campaign

        currency = self._campaigns.get(pk)
        if currency is None:
            currency = self._campaigns[pk] = Campaign.objects.values_list("currency", flat=True).get(pk=pk)
        at, amount = timezone.now(), int(request.data["amount"])
        args = [pk, request.user.pk, None, amount, currency]
        keys = [Account.key_for(user_id=request.user.pk), Account.key_for(campaign=Campaign(pk=pk))]
        args += [request.headers.get("Idempotency-Key"), at, at, *keys]
        sql = "SELECT outcome, pledge_id FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, NULL, TRUE)"
        with connection.cursor() as cursor:
            execute_prepared(cursor, sql, args)
            outcome, pledge_id = cursor.fetchone()
        return Response({"id": pledge_id, "amount": amount, "outcome": outcome}, status=201 if outcome == "ok" else 409)


urlpatterns = [
    path("bench/noop/", AuthenticatedNoop.as_view()),
    path("bench/insert/", OneInsert.as_view()),
    # Under /api/ like the pledge, so the platform middleware skips both alike (no platform look-up).
    path("api/bench/auth-insert/", AuthenticatedInsert.as_view()),
    path("api/bench/pledge-statement/<int:pk>/", PledgeStatementOnly.as_view()),
    path("", include("civicfund.urls")),
]
