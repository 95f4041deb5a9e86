"""`{% load ops %}{% ops_warnings %}`: the admin's front page says when the close job is late."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from ..jobs import CLOSE_TASK, LATE_AFTER_INTERVALS, job_state

register = template.Library()


@register.inclusion_tag("ops/warnings.html")
def ops_warnings() -> dict[str, Any]:
    state = job_state(CLOSE_TASK)
    return {
        "close": state,
        "late_after": LATE_AFTER_INTERVALS,
        "minutes_since": (
            int((timezone.now() - state.last_succeeded_at).total_seconds() // 60) if state.last_succeeded_at else None
        ),
    }
