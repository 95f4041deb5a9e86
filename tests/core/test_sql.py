"""A hot statement is prepared once per connection and then only executed (core.sql), and answers
exactly what the plain statement answers, also when the session lost its prepared statements."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.sql import execute_prepared

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SQL = "SELECT %s::int + %s::int, '100%%' || %s::text"


def _run(params):
    with connection.cursor() as cursor:
        execute_prepared(cursor, SQL, params)
        return cursor.fetchone()


def test_prepared_once_then_executed_with_the_same_answers():
    with CaptureQueriesContext(connection) as first:
        assert _run([1, 2, "a"]) == (3, "100%a")
    with CaptureQueriesContext(connection) as second:
        assert _run([40, 2, "b"]) == (42, "100%b")
    assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "EXECUTE"]
    assert [q["sql"].split()[0] for q in second.captured_queries] == ["EXECUTE"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        assert any("$1::int + $2::int, '100%' || $3::text" in row[0] for row in cursor.fetchall())


def test_a_session_that_forgot_its_statements_prepares_them_again():
    _run([1, 1, "x"])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as a pooler's DISCARD ALL would
    assert _run([2, 3, "y"]) == (5, "100%y")


def test_a_statement_whose_answer_changed_shape_is_prepared_anew():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE shape (a int)")
        cursor.execute("INSERT INTO shape VALUES (1)")
        execute_prepared(cursor, "SELECT * FROM shape WHERE a = %s", [1])
        assert cursor.fetchall() == [(1,)]
        cursor.execute("ALTER TABLE shape ADD COLUMN b int DEFAULT 2")  # as a migration might
        execute_prepared(cursor, "SELECT * FROM shape WHERE a = %s", [1])
        assert cursor.fetchall() == [(1, 2)]


def test_behind_a_pooler_that_forgets_every_statement_it_runs_plain_text():
    """A pooler in transaction mode gives each statement another session: what one prepared, the next
    does not know. The statement still runs, and the connection stops preparing."""

    def forgetful(execute, sql, params, many, context):
        if sql.startswith("EXECUTE "):
            context["cursor"].execute("DEALLOCATE ALL")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(forgetful), CaptureQueriesContext(connection) as sent:
        assert _run([1, 2, "a"]) == (3, "100%a")
        assert _run([3, 4, "b"]) == (7, "100%b")
    kinds = [q["sql"].split()[0] for q in sent.captured_queries if not q["sql"].startswith("DEALLOCATE")]
    assert kinds == ["PREPARE", "EXECUTE", "PREPARE", "EXECUTE", "SELECT", "SELECT"]


def test_a_new_connection_prepares_again():
    _run([1, 1, "x"])
    connection.close()
    assert _run([7, 8, "z"]) == (15, "100%z")


def test_inside_a_transaction_it_is_a_plain_statement():
    with transaction.atomic(), CaptureQueriesContext(connection) as inside:
        assert _run([1, 2, "a"]) == (3, "100%a")
    assert [q["sql"].split()[0] for q in inside.captured_queries] == ["SELECT"]
