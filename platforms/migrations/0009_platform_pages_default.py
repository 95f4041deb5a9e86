"""The default about, FAQ, terms and privacy pages (English and Persian) of the platforms that exist,
for staff to edit in the admin (platforms.pages)."""

from django.db import migrations


def store(apps, schema_editor):
    from platforms.pages import pages_default_store

    Platform = apps.get_model("platforms", "Platform")
    PlatformPage = apps.get_model("platforms", "PlatformPage")
    for platform in Platform.objects.all():
        pages_default_store(platform, PlatformPage)


class Migration(migrations.Migration):
    dependencies = [("platforms", "0008_platform_pages")]

    operations = [migrations.RunPython(store, migrations.RunPython.noop)]
