from django.apps import AppConfig


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = "Platforms"

    def ready(self) -> None:
        # Imported here and in the handler, not at the top: an AppConfig module loads before the models.
        from django.db.models.signals import post_migrate

        post_migrate.connect(_presets_ensure, sender=self)


def _presets_ensure(sender: AppConfig, using: str = "default", **kwargs: object) -> None:
    """The data migration ships the presets; a test database flushed between transactional tests
    (which emits post_migrate, as for content types) gets them back here."""
    from .models import Area, Category, Platform
    from .presets import presets_load

    if not Platform.objects.using(using).exists():
        presets_load(Platform, Category, Area)
