"""The demo's community: each of two campaigns has questions, one answered and one hidden, and followers."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from community.models import Follow, Question

pytestmark = pytest.mark.django_db


def test_the_demo_has_questions_one_answered_one_hidden_and_followers(client):
    call_command("load_demo", stdout=None)
    for title in ("Community garden on Mill Lane", "جشنواره تئاتر خیابانی"):
        questions = Question.objects.filter(campaign__title=title)
        assert questions.count() == 3
        assert questions.exclude(answered_at=None).count() == 1
        assert questions.exclude(hidden_at=None).count() == 1
        assert Follow.objects.filter(campaign__title=title, active=True).exists()
    garden = Question.objects.filter(campaign__title="Community garden on Mill Lane").first().campaign
    page = client.get(f"/civic/campaigns/{garden.pk}/").content.decode()
    assert "Hidden by the owner: <bdi>Advertising</bdi>" in page and "Apples, pears and plums" in page
