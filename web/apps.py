from django.apps import AppConfig


class WebConfig(AppConfig):
    """The citizen site and the admin: views, forms, the `civic` template tags, every ModelAdmin
    (web.admin, autodiscovered), the demo data. Imports every domain app; none imports it."""

    name = "web"
    verbose_name = "Site"
