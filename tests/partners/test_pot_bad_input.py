"""Bad input at the pot service: a match asked for another platform's campaign, an unverified
organisation or a member of another organisation changing a pot, an edit that would break the rule: a
clear error, and nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import ApplicationError, PermissionDenied
from ledger.models import Transaction
from partners.models import Match, Pot
from partners.services import pots
from pledges.models import Pledge

from ..factories import CampaignFactory, UserFactory
from .conftest import organisation_make

pytestmark = pytest.mark.django_db


def test_a_pot_never_matches_a_campaign_of_another_platform(make_pot, backer):
    pot = make_pot(paid_in=50_000)
    arts = CampaignFactory(slug="arts")
    stray = Pledge(pk=10**9, campaign=arts, backer=backer, amount=5_000, currency=arts.currency)
    before = Transaction.objects.count()
    with pytest.raises(ApplicationError, match="another platform") as refused:
        pots.pledge_match(pledge=stray, campaign=arts, pot=pot)
    assert refused.value.code == "platform_mismatch"
    with pytest.raises(ApplicationError, match="another platform"):
        pots.milestone_check(campaign=arts, pot=pot)
    pot.refresh_from_db()
    assert pot.available == 50_000 and not Match.objects.exists() and Transaction.objects.count() == before


def test_changing_a_pot_is_checked_as_creating_one(make_pot, org_admin, org_reviewer, civic, council):
    pot = make_pot(paid_in=10_000, budget=20_000)
    terms = dict(name=pot.name, budget=20_000, opens_at=pot.opens_at, closes_at=pot.closes_at, rule="linear", ratio=1)
    stranger = organisation_make(civic, "Other Council", admin=UserFactory()).members.get().user
    for user in (org_reviewer, stranger):
        with pytest.raises(PermissionDenied):
            pots.pot_update(pot=pot, user=user, **{**terms, "ratio": 3})
    cases = [
        (dict(ratio=0), "more than 0"),
        (dict(cap_per_pledge=0), "at least one unit"),
        (dict(closes_at=pot.opens_at - dt.timedelta(seconds=1)), "end after it opens"),
        (dict(budget=9_999), "less than what was paid in"),
        (dict(rule="milestone"), "cannot change"),
        (dict(campaigns=[CampaignFactory(slug="arts")]), "pot's platform"),
    ]
    for change, message in cases:
        with pytest.raises(ApplicationError, match=message):
            pots.pot_update(pot=pot, user=org_admin, **{**terms, **change})
    council.verified_at = None
    council.save(update_fields=["verified_at"])
    with pytest.raises(ApplicationError, match="not verified"):
        pots.pot_update(pot=pot, user=org_admin, **{**terms, "ratio": 2})
    fresh = Pot.objects.get(pk=pot.pk)
    assert (fresh.ratio, fresh.budget, fresh.rule, fresh.closes_at) == (1, 20_000, "linear", pot.closes_at)


def test_an_administrator_changes_the_ratio_and_later_pledges_follow_it(make_pot, org_admin, backer, pledge):
    pot = make_pot(paid_in=50_000, budget=60_000)
    pots.pot_update(
        pot=pot,
        user=org_admin,
        name="Doubled",
        budget=60_000,
        opens_at=pot.opens_at,
        closes_at=pot.closes_at,
        rule="linear",
        ratio=2,
    )
    campaign = CampaignFactory(slug="civic", goal=100_000)
    pledge(campaign, backer, 1_000)
    assert Match.objects.get().amount == 2_000


def test_nothing_is_written_for_a_pot_on_a_window_ending_before_it_opens(council, org_admin):
    now = timezone.now()
    with pytest.raises(ApplicationError, match="end after it opens"):
        pots.pot_create(
            organisation=council,
            user=org_admin,
            name="Backwards",
            budget=1_000,
            opens_at=now,
            closes_at=now - dt.timedelta(days=1),
            rule="linear",
            ratio=1,
        )
    assert not Pot.objects.exists()
