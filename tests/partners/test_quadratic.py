"""Quadratic rounds, case by case (DOMAIN.md "Quadratic round"): at the round's close, for each campaign
take each backer's total citizen money s; weight = (Σ√s)² − Σs (one backer weighs 0); share = pot ×
weight ÷ Σ weights; a share above the cap (cap percent of the pot) is set to the cap and the rest shared
again by weight among the uncapped, until none is over; each match rounded down to the unit, what rounding
leaves stays in the pot. Then the matches live as any other: the complement rule, a failed campaign's
return, the leftover at the pot's close, and the per-pot audit."""

from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from core.errors import ApplicationError
from decisions.models import Decision
from funding.services import campaign_close
from ledger.models import Entry, Transaction, TransactionKind
from partners.models import CallStatus, Match, MatchStatus, PotStatus
from partners.services import pots
from partners.services.rounds import campaign_weight, quadratic_shares, round_close, rounds_close_due
from partners.tasks import close_due_rounds
from pledges.services import pledge_cancel
from projects.models import CampaignStatus

from .calls_helpers import approved_live, call_make

pytestmark = pytest.mark.django_db

# Weights of the worked examples (perfect squares, so each is exact):
# four backers of 100: (4 × 10)² − 400 = 1,200; backers of 400 and 100: (20 + 10)² − 500 = 400;
# two backers of 100: (10 + 10)² − 200 = 200.
W1200, W400, W200 = [100, 100, 100, 100], [400, 100], [100, 100]


# --- the arithmetic ----------------------------------------------------------------------------


def test_weight_is_the_square_of_summed_roots_less_the_sum():
    assert campaign_weight(W1200) == 1_200
    assert campaign_weight(W400) == 400
    assert campaign_weight([2_500, 100, 1]) == (50 + 10 + 1) ** 2 - 2_601


def test_a_campaign_with_one_backer_weighs_nothing_however_much_they_give():
    assert campaign_weight([1_000_000]) == 0
    assert campaign_weight([]) == 0


def test_many_small_backers_outweigh_one_large_one():
    assert quadratic_shares(10_000, {1: Decimal(1_200), 2: Decimal(0), 3: Decimal(400)}, 100) == {
        1: 7_500,
        2: 0,
        3: 2_500,
    }


def test_a_share_above_the_cap_is_capped_and_the_excess_shared_by_weight_among_the_rest():
    # pot 10,000, cap 40% = 4,000: 6,000 / 2,000 / 2,000 → 4,000, and the other 6,000 by weight: 3,000 each
    weights = {1: Decimal(1_200), 2: Decimal(400), 3: Decimal(400)}
    assert quadratic_shares(10_000, weights, 40) == {1: 4_000, 2: 3_000, 3: 3_000}


def test_the_redistribution_repeats_until_none_is_over_the_cap():
    # pot 9,000, cap 35% = 3,150. First 6,000 / 2,000 / 1,000: A capped; 5,850 by weight 400:200 gives
    # C 3,900 (over: capped); E then takes the remaining 2,700.
    weights = {1: Decimal(1_200), 2: Decimal(400), 3: Decimal(200)}
    assert quadratic_shares(9_000, weights, 35) == {1: 3_150, 2: 3_150, 3: 2_700}


def test_a_share_exactly_at_the_cap_is_not_over_it():
    assert quadratic_shares(10_000, {1: Decimal(1_200), 2: Decimal(400)}, 75) == {1: 7_500, 2: 2_500}


def test_every_campaign_capped_leaves_the_rest_in_the_pot():
    assert quadratic_shares(10_000, {1: Decimal(1_200), 2: Decimal(400)}, 30) == {1: 3_000, 2: 3_000}


def test_each_match_is_rounded_down_to_the_unit():
    assert quadratic_shares(1_000, {1: Decimal(200), 2: Decimal(200), 3: Decimal(200)}, 100) == {
        1: 333,
        2: 333,
        3: 333,
    }
    # a cap that is not a whole unit: 35% of 1,001 = 350.35 → 350
    assert quadratic_shares(1_001, {1: Decimal(1_200), 2: Decimal(400)}, 35)[1] == 350


def test_irrational_weights_are_computed_in_decimals_not_floats():
    # backers of 1 and 2: (1 + √2)² − 3 = 2√2 = 2.8284271247461900976...; against 200:
    # 1,000,000 × 2√2 ÷ (200 + 2√2) = 13,944.92...; the other 986,055.07...
    weights = {1: campaign_weight([1, 2]), 2: Decimal(200)}
    assert str(weights[1])[:22] == "2.82842712474619009760"
    assert quadratic_shares(1_000_000, weights, 100) == {1: 13_944, 2: 986_055}


def test_nobody_weighs_anything_so_nothing_is_shared():
    assert quadratic_shares(10_000, {1: Decimal(0), 2: Decimal(0)}, 50) == {1: 0, 2: 0}


# --- the round in the books ----------------------------------------------------------------------


@pytest.fixture
def round_call(council, org_admin, make_pot):
    pot = make_pot(rule="quadratic", ratio=None, paid_in=10_000, cap_percent=100)
    return call_make(council, org_admin, pot=pot)


def _back(pledge, make_backers, campaign, amounts):
    for backer, amount in zip(make_backers(len(amounts)), amounts, strict=True):
        pledge(campaign, backer, amount)


@pytest.fixture
def three(round_call, make_backers, pledge):
    """Many small (1,200), one large (0) and a pair (400) in the round."""
    small = approved_live(round_call, goal=800)
    large = approved_live(round_call, goal=20_000)
    pair = approved_live(round_call, goal=10_000)
    _back(pledge, make_backers, small, W1200)
    _back(pledge, make_backers, large, [10_000])
    _back(pledge, make_backers, pair, W400)
    return small, large, pair


def test_the_round_books_each_share_from_the_pot_to_the_campaigns_escrow(round_call, three, audit_clean):
    small, large, pair = three
    result = round_close(call=round_call, now=round_call.pot.closes_at)
    assert result.matches == {small.pk: 7_500, large.pk: 0, pair.pk: 2_500}
    assert sorted((m.campaign_id, m.amount, m.pledge_id) for m in Match.objects.all()) == sorted(
        [(small.pk, 7_500, None), (pair.pk, 2_500, None)]
    )
    for txn in Transaction.objects.filter(kind=TransactionKind.MATCH):
        assert sum(Entry.objects.filter(transaction=txn).values_list("amount", flat=True)) == 0
    pot = round_call.pot
    pot.refresh_from_db()
    assert pot.available == 0
    round_call.refresh_from_db()
    assert round_call.round_closed_at is not None and round_call.status == CallStatus.CLOSED
    assert "shared among 2 campaigns" in Decision.objects.get(kind="call.round_closed").reason
    audit_clean()


def test_a_backers_several_pledges_count_as_one_total(round_call, make_backers, pledge):
    one_backer = approved_live(round_call)
    pair = approved_live(round_call)
    (b,) = make_backers(1)
    pledge(one_backer, b, 100)
    pledge(one_backer, b, 300)  # one backer, however many pledges: weight 0
    _back(pledge, make_backers, pair, W200)
    assert round_close(call=round_call, now=round_call.pot.closes_at).matches == {one_backer.pk: 0, pair.pk: 10_000}


def test_a_cancelled_pledge_does_not_count(round_call, make_backers, pledge):
    a, b = approved_live(round_call), approved_live(round_call)
    _back(pledge, make_backers, a, W200)
    (backer,) = make_backers(1)
    cancelled = pledge(b, backer, 100)
    _back(pledge, make_backers, b, [100])
    pledge_cancel(pledge_id=cancelled.pk, backer=backer)
    assert round_close(call=round_call, now=round_call.pot.closes_at).matches == {a.pk: 10_000, b.pk: 0}


def test_only_live_campaigns_approved_in_the_call_share(round_call, make_backers, pledge):
    from partners.models import Application, ApplicationStatus

    from ..factories import CampaignFactory

    approved = approved_live(round_call)
    declined = CampaignFactory(slug="civic")
    Application.objects.create(call=round_call, campaign=declined, status=ApplicationStatus.DECLINED)
    outside = CampaignFactory(slug="civic")
    for campaign in (approved, declined, outside):
        _back(pledge, make_backers, campaign, W200)
    assert round_close(call=round_call, now=round_call.pot.closes_at).matches == {approved.pk: 10_000}


def test_the_round_waits_for_its_pot_to_close(round_call, three):
    with pytest.raises(ApplicationError, match="closes when its pot does"):
        round_close(call=round_call, now=timezone.now())
    assert not Match.objects.exists()
    assert rounds_close_due(now=timezone.now()) == 0


def test_run_again_the_round_does_nothing(round_call, three, audit_clean):
    first = round_close(call=round_call, now=round_call.pot.closes_at)
    again = round_close(call=round_call, now=round_call.pot.closes_at)
    assert again.already and again.shared == first.shared == 10_000
    assert Match.objects.count() == 2 and Decision.objects.filter(kind="call.round_closed").count() == 1
    audit_clean()


def test_a_round_killed_halfway_leaves_nothing_and_the_next_run_completes_it(round_call, three, audit_clean):
    with mock.patch("partners.services.rounds.decision_record", side_effect=RuntimeError("worker killed")):
        with pytest.raises(RuntimeError):
            round_close(call=round_call, now=round_call.pot.closes_at)
    assert not Match.objects.exists() and not Transaction.objects.filter(kind=TransactionKind.MATCH).exists()
    round_call.refresh_from_db()
    assert round_call.round_closed_at is None
    assert rounds_close_due(now=round_call.pot.closes_at) == 1
    assert sorted(Match.objects.values_list("amount", flat=True)) == [2_500, 7_500]
    audit_clean()


def test_the_scheduled_job_closes_the_round_before_the_pot(round_call, three, audit_clean):
    closes = round_call.pot.closes_at
    assert pots.pots_close_due(now=closes) == 0  # the pot waits for its round
    with mock.patch("django.utils.timezone.now", return_value=closes):
        assert close_due_rounds() == 1
        assert close_due_rounds() == 0
    assert pots.pots_close_due(now=closes) == 1
    audit_clean(now=closes)


def test_the_complement_rule_and_a_failed_campaign_send_the_match_back_to_the_pot(
    round_call, three, audit_clean, org_admin
):
    small, large, pair = three
    round_close(call=round_call, now=round_call.pot.closes_at)
    # small: citizen 400 of a goal of 800 (the 50% share met), with its match 7,900 ≥ 800: funded, collected.
    assert campaign_close(campaign_id=small.pk, now=small.deadline) == CampaignStatus.SUCCEEDED
    # pair: citizen 500 of 10,000 (below 50%): judged on citizen money alone, fails, match back to the pot.
    assert campaign_close(campaign_id=pair.pk, now=pair.deadline) in (CampaignStatus.FAILED, CampaignStatus.REFUNDING)
    assert dict(Match.objects.values_list("campaign_id", "status")) == {
        small.pk: MatchStatus.COLLECTED,
        pair.pk: MatchStatus.RETURNED,
    }
    pot = round_call.pot
    pot.refresh_from_db()
    assert pot.available == 2_500
    audit_clean(now=pair.deadline)
    pot = pots.pot_close(pot=pot, now=pot.closes_at)
    assert (pot.status, pot.available) == (PotStatus.CLOSED, 0)  # the 2,500 back to the council
    audit_clean(now=pair.deadline)


def test_rounding_leaves_the_remainder_in_the_pot(council, org_admin, make_pot, make_backers, pledge, audit_clean):
    pot = make_pot(rule="quadratic", ratio=None, paid_in=1_000, cap_percent=100)
    call = call_make(council, org_admin, pot=pot)
    campaigns = [approved_live(call) for _ in range(3)]
    for campaign in campaigns:
        _back(pledge, make_backers, campaign, W200)
    result = round_close(call=call, now=pot.closes_at)
    assert sorted(result.matches.values()) == [333, 333, 333] and result.left == 1
    pot.refresh_from_db()
    assert pot.available == 1
    audit_clean()


def test_the_campaigns_close_job_closes_their_round_first(round_call, three, audit_clean):
    from funding.services import close_due_campaigns

    small, _large, pair = three
    close_due_campaigns(now=small.deadline)  # the round's job never ran: the close runs the round first
    round_call.refresh_from_db()
    assert round_call.round_closed_at == small.deadline
    assert dict(Match.objects.values_list("campaign_id", "status")) == {
        small.pk: MatchStatus.COLLECTED,
        pair.pk: MatchStatus.RETURNED,
    }
    audit_clean(now=small.deadline)
