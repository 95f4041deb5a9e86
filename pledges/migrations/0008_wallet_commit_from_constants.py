"""`pledge_wallet_commit` again, now rendered from the Python constants it must agree with
(pledges.wallet_sql), and refusing an amount above core.money.MAX_AMOUNT. PostgreSQL only."""

from django.db import migrations

def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from pledges.wallet_sql import function_sql  # the function as the code of this release renders it

        schema_editor.execute(function_sql())


def back(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        previous = import_module("pledges.migrations.0005_pledge_wallet_commit_function")
        schema_editor.execute(previous.CREATE)


class Migration(migrations.Migration):
    dependencies = [("pledges", "0007_pledge_history"), ("civicfund", "0001_initial"), ("ledger", "0005_account_platform_moved"), ("projects", "0008_platform_category_moved")]

    operations = [migrations.RunPython(create, back)]
