"""Each wallet keeps the sum of its debits (`Account.debited`), so a spend reads the balance as the
credits less that figure; existing wallets start from their entries."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def from_entries(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Entry = apps.get_model("ledger", "Entry")
    debits = (
        Entry.objects.filter(account_id=OuterRef("pk"), amount__lt=0)
        .values("account_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    Account.objects.filter(kind="wallet").update(debited=-Coalesce(Subquery(debits), 0))


class Migration(migrations.Migration):
    dependencies = [("ledger", "0010_alter_account_kind_alter_transaction_kind")]

    operations = [
        migrations.AddField(model_name="account", name="debited", field=models.BigIntegerField(default=0)),
        migrations.RunPython(from_entries, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="account",
            constraint=models.CheckConstraint(condition=models.Q(debited__gte=0), name="account_debited_not_negative"),
        ),
    ]
