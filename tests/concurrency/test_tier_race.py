"""Many backers claim the last units of a limited reward tier at the same instant."""

import pytest

from core.errors import PledgeRefused
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_cancel, pledge_create
from projects.models import RewardTier

from .support import GOOD_CARD, backers_make, campaign_live, threads_run

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

TIER_AMOUNT = 50_000


def _race(units: int, backers: int):
    campaign = campaign_live(
        "presale", goal=10_000_000, tiers=[{"amount": TIER_AMOUNT, "title": "Early bird", "quantity_limit": units}]
    )
    tier = campaign.tiers.get()
    people = backers_make(backers)

    def pledge_by(backer):
        return lambda: pledge_create(
            campaign_id=campaign.pk, backer=backer, amount=TIER_AMOUNT, tier_id=tier.pk, card=GOOD_CARD
        )

    run = threads_run([pledge_by(b) for b in people])
    return campaign, RewardTier.objects.get(pk=tier.pk), run


@pytest.mark.parametrize(("units", "backers"), [(1, 2), (3, 8)])
def test_backers_racing_for_the_last_units_of_a_tier_never_oversell_it(presets, units, backers):
    campaign, tier, run = _race(units, backers)

    assert run.unexpected(PledgeRefused) == []
    assert len(run.values) == units
    assert all(p.status == PledgeStatus.PAID for p in run.values)
    assert len(run.errors) == backers - units
    assert {e.code for e in run.errors} == {"tier_sold_out"}
    assert tier.quantity_claimed == tier.quantity_limit == units
    pledges = Pledge.objects.filter(campaign=campaign)
    assert pledges.count() == units  # a refused claim leaves no pledge behind
    assert pledges.filter(tier=tier, status=PledgeStatus.PAID).count() == units
    assert len({p.backer_id for p in pledges}) == units


def test_a_sold_out_tier_takes_the_next_unit_freed_by_a_cancellation(presets):
    campaign, tier, run = _race(1, 2)
    winner = run.values[0]
    pledge_cancel(pledge_id=winner.pk, backer=winner.backer)
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0
    latecomer = backers_make(1)[0]
    pledge = pledge_create(
        campaign_id=campaign.pk, backer=latecomer, amount=TIER_AMOUNT, tier_id=tier.pk, card=GOOD_CARD
    )
    assert pledge.status == PledgeStatus.PAID
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1
