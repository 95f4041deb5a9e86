"""`pot_match_commit`: a linear match in one round trip (partners.match_sql), so a wallet pledge to a
matched campaign keeps the one-function fast path. PostgreSQL only."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from partners.match_sql import function_sql  # the function as the code of this release renders it

        schema_editor.execute(function_sql())


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS pot_match_commit(bigint, bigint, bigint, bigint, bigint, bigint, timestamptz, text)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_pot_open_index"),
        ("ledger", "0007_pot_accounts_and_match_kinds"),
        ("civicfund", "0002_outbox_last_error"),
    ]

    operations = [migrations.RunPython(create, drop)]
