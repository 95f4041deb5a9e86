"""What a campaign page's follow box and questions need (templates/projects/_follow.html,
_questions.html), read in a constant number of queries however many questions are shown."""

from __future__ import annotations

from typing import Any

from django import template

from community.models import BODY_MAX, REASON_MAX
from community.selectors import QUESTIONS_SHOWN, campaign_questions, follow_state
from community.services import MODERATE
from web.community_forms import draft_take, form_stamp

register = template.Library()


@register.simple_tag(takes_context=True)
def campaign_follow(context: Any, campaign: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"state": follow_state(user, campaign), "own": getattr(user, "pk", None) == campaign.owner_id}


@register.simple_tag(takes_context=True)
def campaign_questions_box(context: Any, campaign: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    owner = signed_in and getattr(user, "pk", None) == campaign.owner_id
    staff = signed_in and bool(user is not None and user.has_perm(MODERATE))
    return {
        "questions": list(campaign_questions(campaign.pk)[:QUESTIONS_SHOWN]),
        "signed_in": signed_in,
        "owner": owner,
        "moderator": owner or staff,
        "staff": staff,
        "draft": draft_take(request, campaign.pk) if signed_in else "",
        "stamp": form_stamp() if signed_in else "",
        "body_max": BODY_MAX,
        "reason_max": REASON_MAX,
    }
