"""What a block of code asked the database, as SQL, for tests that count statements."""

from django.db import connection


def statements(captured: list[dict]) -> list[str]:
    """The SQL of each captured query, a prepared statement's EXECUTE as the statement it runs
    (core.sql); the PREPARE itself, sent once per connection, is left out."""
    prepared = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, statement FROM pg_prepared_statements")
            prepared = dict(cursor.fetchall())
    texts = []
    for query in captured:
        sql = query["sql"]
        if sql.startswith("PREPARE "):
            continue
        if sql.startswith("EXECUTE "):
            sql = prepared[sql.split()[1].split("(")[0]]
        texts.append(sql)
    return texts
