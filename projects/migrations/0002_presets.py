from django.db import migrations


def load(apps, schema_editor):
    from platforms.presets import presets_load

    presets_load(apps.get_model("projects", "Platform"), apps.get_model("projects", "Category"))


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
