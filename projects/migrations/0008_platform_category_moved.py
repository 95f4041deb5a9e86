"""State only: Platform and Category moved to the `platforms` app with their tables (platforms 0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0005_account_platform_moved'),
        ('platforms', '0001_initial'),
        ('projects', '0007_first_payout_due_from_deadline'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='campaign',
                    name='category',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='platforms.category'),
                ),
                migrations.AlterField(
                    model_name='campaign',
                    name='platform',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='platforms.platform'),
                ),
                migrations.DeleteModel(
                    name='Category',
                ),
                migrations.DeleteModel(
                    name='Platform',
                ),
            ],
            database_operations=[],
        ),
    ]
