"""Milestone grants (DOMAIN.md): once citizen money × 100 ≥ goal × milestone percent from at least N
distinct backers, the grant (an amount, or floor(goal × grant percent)) is committed once, or what the
pot has left if that is less."""

import pytest

from partners.models import Match

from ..factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_the_grant_comes_once_at_the_milestone_with_enough_backers(make_pot, make_backers, pledge, audit_clean):
    campaign = CampaignFactory(slug="civic", goal=100_000)
    make_pot(rule="milestone", paid_in=50_000, milestone_percent=30, milestone_backers=2, grant_percent=25)
    one, two, three = make_backers(3)
    pledge(campaign, one, 30_000)  # 30% but one backer: no grant yet
    assert not Match.objects.exists()
    pledge(campaign, two, 100)  # 30.1% from two backers: 25% of the goal
    assert [m.amount for m in Match.objects.all()] == [25_000]
    pledge(campaign, three, 5_000)  # once only
    assert Match.objects.count() == 1
    audit_clean()


def test_short_of_the_milestone_gets_nothing_and_a_small_pot_gives_what_it_has(make_pot, make_backers, pledge):
    short = CampaignFactory(slug="civic", goal=100_000)
    make_pot(rule="milestone", paid_in=7_000, milestone_percent=30, milestone_backers=1, grant_amount=10_000)
    one, two = make_backers(2)
    pledge(short, one, 29_900)
    assert not Match.objects.exists()
    pledge(short, two, 100)  # exactly 30%: the grant, but the pot holds only 7,000
    assert [m.amount for m in Match.objects.all()] == [7_000]
