"""Fixtures of the community tests: a live campaign on the civic platform, people with verified e-mails."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from tests.factories import CampaignFactory, UserFactory
from tests.web.conftest import verified


@pytest.fixture(autouse=True)
def _clean_limits():
    cache.clear()  # the rate limits count in the cache
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return verified(UserFactory(username="maker"))


@pytest.fixture
def campaign(db, owner):
    return CampaignFactory(
        slug="civic", owner=owner, title="Community garden", goal=100_000, funding_model="all_or_nothing"
    )


@pytest.fixture
def fan(db):
    return verified(UserFactory(username="fan"))


@pytest.fixture
def sent():
    """The e-mails sent so far, by recipient: {address: [subjects]}."""

    def read():
        out: dict[str, list[str]] = {}
        for message in mail.outbox:
            for to in message.to:
                out.setdefault(to, []).append(message.subject)
        return out

    return read
