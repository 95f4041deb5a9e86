"""Platform and Category move here from `projects` with their tables (`projects_platform`,
`projects_category`): the models are created in the migration state only, nothing changes in the
database; their content types follow them, so admin permissions given on them survive."""

import django.db.models.deletion
import platforms.models
from django.db import migrations, models


def _move(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("platform", "category"):
        if ContentType.objects.filter(app_label=target, model=model).exists():
            continue  # already there (e.g. created by a post_migrate of a partial run)
        ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_move(apps, schema_editor):
    _move(apps, "projects", "platforms")


def content_types_back(apps, schema_editor):
    _move(apps, "platforms", "projects")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("projects", "0006_campaign_backers_at_close"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Platform',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120)),
                        ('slug', models.SlugField(unique=True)),
                        ('domain', models.CharField(blank=True, help_text='Optional own domain.', max_length=200)),
                        ('language', models.CharField(default='en', max_length=8)),
                        ('currency', models.CharField(max_length=3)),
                        ('time_zone', models.CharField(default='UTC', max_length=64)),
                        ('holiday_country', models.CharField(help_text='ISO country code of public holidays.', max_length=2)),
                        ('holiday_subdivision', models.CharField(blank=True, max_length=10)),
                        ('weekend_days', models.JSONField(default=list, validators=[platforms.models._validate_weekdays])),
                        ('funding_models', models.JSONField(default=list, validators=[platforms.models._validate_funding_models])),
                        ('allow_reward_tiers', models.BooleanField(default=True)),
                        ('allow_free_amounts', models.BooleanField(default=True)),
                        ('min_pledge', models.BigIntegerField(default=1, help_text='Minor units.')),
                        ('success_threshold_percent', models.PositiveSmallIntegerField(default=25)),
                        ('fee_basis_points', models.PositiveIntegerField(default=0, help_text='1% = 100.')),
                        ('first_payout_percent', models.PositiveSmallIntegerField(default=90)),
                        ('payout_delay_working_days', models.PositiveSmallIntegerField(default=15)),
                        ('collection_mode', models.CharField(choices=[('charge_now', 'Charge at pledge time'), ('charge_on_success', 'Save the card, charge if the campaign succeeds')], default='charge_now', max_length=20)),
                        ('refund_destination', models.CharField(choices=[('card', 'Back to the card'), ('wallet', "To the backer's on-site wallet")], default='card', max_length=10)),
                        ('payment_gateway', models.CharField(blank=True, choices=[('sandbox', 'Sandbox'), ('stripe', 'Stripe')], help_text="Blank: the deployment's default gateway.", max_length=20)),
                        ('description', models.TextField(blank=True)),
                    ],
                    options={
                        'db_table': 'projects_platform',
                        'ordering': ['id'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('success_threshold_percent__gte', 1), ('success_threshold_percent__lte', 100)), name='platform_threshold_1_100'), models.CheckConstraint(condition=models.Q(('first_payout_percent__lte', 100)), name='platform_first_payout_le_100'), models.CheckConstraint(condition=models.Q(('fee_basis_points__lt', 10000)), name='platform_fee_lt_100'), models.CheckConstraint(condition=models.Q(('min_pledge__gte', 1)), name='platform_min_pledge_positive')],
                    },
                ),
                migrations.CreateModel(
                    name='Category',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField()),
                        ('name', models.CharField(max_length=120)),
                        ('name_fa', models.CharField(blank=True, max_length=120)),
                        ('platform', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='categories', to='platforms.platform')),
                    ],
                    options={
                        'verbose_name_plural': 'categories',
                        'db_table': 'projects_category',
                        'ordering': ['platform_id', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('platform', 'slug'), name='category_unique_slug_per_platform')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_move, content_types_back),
    ]
