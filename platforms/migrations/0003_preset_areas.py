"""The preset platforms get their areas: Iran's 31 provinces on arts, charity and presale; the civic
portal's (invented) wards. A preset platform that has areas already is left as it is."""

from django.db import migrations


def load(apps, schema_editor):
    from platforms.presets import preset_areas_load

    preset_areas_load(apps.get_model("platforms", "Platform"), apps.get_model("platforms", "Area"))


class Migration(migrations.Migration):
    dependencies = [("platforms", "0002_area")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
