"""The question form's spam protection and its kept text, shared by the views and the template tags."""

from __future__ import annotations

import time

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

FORM_SALT = "community.question-form"
DRAFT_KEY = "community-draft-%s"


def form_stamp() -> str:
    """The question form's signed start time (spam protection: a form sent too fast is a robot's)."""
    return signing.dumps(time.time(), salt=FORM_SALT)


def spam_refusal(request: HttpRequest) -> str:
    """Why the form looks sent by a robot ("" when it does not): the hidden honeypot field filled, or the
    form sent sooner than CIVICFUND_QUESTION_MIN_SECONDS after it was shown (or without its stamp)."""
    if request.POST.get("website", ""):
        return "honeypot"
    try:
        started = float(signing.loads(request.POST.get("started", ""), salt=FORM_SALT))
    except (signing.BadSignature, ValueError, TypeError):
        return "stamp"
    if time.time() - started < settings.CIVICFUND_QUESTION_MIN_SECONDS:
        return "too_fast"
    return ""


def draft_take(request: HttpRequest, campaign_id: int) -> str:
    """The text a refused question form kept (once)."""
    session = getattr(request, "session", None)
    if session is None or DRAFT_KEY % campaign_id not in session:
        return ""
    return str(session.pop(DRAFT_KEY % campaign_id))
