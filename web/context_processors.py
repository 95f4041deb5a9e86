from django.conf import settings
from django.utils import translation


def site(request):
    """The platform being viewed (if any) and the languages a visitor may switch to."""
    return {
        "current_platform": getattr(request, "platform", None),
        "site_languages": settings.LANGUAGES,
        "is_rtl": translation.get_language_bidi(),
    }
