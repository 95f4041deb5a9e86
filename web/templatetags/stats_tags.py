"""Template tags of the statistics: the once-only home-area question."""

from django import template

from platforms.selectors import areas_of
from stats.services.areas import home_area_asked

register = template.Library()


@register.inclusion_tag("stats/_home_area.html", takes_context=True)
def home_area_question(context, platform):
    """The home-area question for a signed-in backer who has not answered it on this platform (and
    a platform with a list of areas); nothing otherwise."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or home_area_asked(user, platform):
        return {"areas": []}
    return {"platform": platform, "areas": list(areas_of([platform])), "next": request.get_full_path()}
