"""Fixtures shared by the engine's tests (the root conftest.py holds the project-wide ones)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.utils import translation

from pledges.services import pledge_create

from .factories import GOOD_CARD, StaffFactory, UserFactory, platform


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts and ends in the default language. Requests put the thread's language back
    themselves (platforms.middleware.LanguageRestoreMiddleware); this catches a test that activates
    one directly, so a Persian test never changes the wording another test sees."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _campaigns_forgotten():
    """Each test starts with no campaign kept by the wallet pledge's fast path (pledges.services.intake),
    as a new process does."""
    from pledges.services import intake

    intake._campaigns.clear()


@pytest.fixture
def arts(db):
    return platform("arts")


@pytest.fixture
def charity(db):
    return platform("charity")


@pytest.fixture
def presale(db):
    return platform("presale")


@pytest.fixture
def civic(db):
    return platform("civic")


@pytest.fixture
def owner(db):
    return UserFactory(username="owner")


@pytest.fixture
def backer(db):
    return UserFactory(username="backer")


@pytest.fixture
def backer2(db):
    return UserFactory(username="backer2")


@pytest.fixture
def admin_user(db):
    return StaffFactory(username="staff")


@pytest.fixture
def make_backers(db):
    def make(n: int):
        return [UserFactory() for _ in range(n)]

    return make


@pytest.fixture
def pledge():
    """`pledge(campaign, backer, amount, tier=None, card=GOOD_CARD, now=None, **kw)`: a pledge by card.

    With `now`, the whole pledge happens at that moment: the server's clock reads `now` for the
    call, so a card paid at once is paid then too (DOMAIN.md counts what is paid at the deadline)."""

    def make(campaign, backer, amount, *, tier=None, card=GOOD_CARD, now=None, **kwargs):
        def create():
            return pledge_create(
                campaign_id=campaign.pk,
                backer=backer,
                amount=amount,
                tier_id=tier.pk if tier else None,
                card=card,
                now=now,
                **kwargs,
            )

        if now is None:
            return create()
        with mock.patch("django.utils.timezone.now", return_value=now):
            return create()

    return make


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Use as `with run_on_commit(): ...` so tasks queued with transaction.on_commit run (eagerly)."""

    def ctx():
        return django_capture_on_commit_callbacks(execute=True)

    return ctx
