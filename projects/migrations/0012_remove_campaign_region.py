from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0011_campaign_area_from_region'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='campaign',
            name='region',
        ),
    ]
