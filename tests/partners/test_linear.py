"""Linear match funding, case by case (DOMAIN.md "Match funding: exact rules"): each counting citizen
pledge, in commit order, gets min(floor(amount × ratio), per-pledge cap, per-campaign cap − already
matched, pot available), and nothing once the backer has the per-backer number of matched pledges; the
money moves pot → escrow in the pledge's transaction; a cancelled pledge frees its match; a failed
campaign returns it; the citizen-share rule; the leftover back to the organisation; the audit clean."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import ApplicationError, PermissionDenied
from decisions.models import Decision
from funding.services import campaign_close
from ledger.models import Entry, Transaction, TransactionKind
from partners.models import Match, MatchStatus, Pot, PotStatus
from partners.services import pots
from pledges.services import pledge_cancel, pledge_create
from projects.models import CampaignStatus

from ..factories import CampaignFactory, area, wallet_top_up
from ..queries import statements

pytestmark = pytest.mark.django_db


def _matched(pot, campaign=None):
    qs = Match.objects.filter(pot=pot, status=MatchStatus.COMMITTED)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return sorted(qs.values_list("amount", flat=True))


def _close(campaign):
    status = campaign_close(campaign_id=campaign.pk, now=campaign.deadline)
    campaign.refresh_from_db()
    return status


@pytest.fixture
def garden(civic):
    return CampaignFactory(slug="civic", goal=100_000, funding_model="all_or_nothing")


def test_a_pledge_is_matched_one_to_one_in_its_own_transaction(make_pot, garden, backer, pledge, audit_clean):
    pot = make_pot(paid_in=100_000)
    p = pledge(garden, backer, 2_500)
    match = Match.objects.get()
    assert (match.pledge, match.amount, match.campaign) == (p, 2_500, garden)
    pot.refresh_from_db()
    assert pot.available == 97_500
    txn = Transaction.objects.get(kind=TransactionKind.MATCH)
    assert sorted(Entry.objects.filter(transaction=txn).values_list("amount", flat=True)) == [-2_500, 2_500]
    audit_clean()


@pytest.mark.postgres
def test_a_wallet_pledge_asks_about_open_pots_in_its_own_statement_and_is_matched_once_one_opens(
    make_pot, garden, backer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wallet_top_up(backer, currency=garden.currency, amount=100_000, platform_slug="civic")
    pledge_create(campaign_id=garden.pk, backer=backer, amount=1_000, source="wallet")  # makes the escrow
    with CaptureQueriesContext(connection) as queries:
        pledge_create(campaign_id=garden.pk, backer=backer, amount=1_000, source="wallet")
    asked = [sql for sql in statements(queries.captured_queries) if Pot._meta.db_table in sql]
    assert len(asked) == 1 and "pledge_wallet_commit" in asked[0]  # no pot open: no query of its own
    make_pot()
    third = pledge_create(campaign_id=garden.pk, backer=backer, amount=1_000, source="wallet")
    assert Match.objects.get().pledge == third


@pytest.mark.postgres
def test_a_retried_wallet_pledge_answers_what_the_first_did_its_match_included(make_pot, garden, backer):
    """Through the API, the retry of a matched wallet pledge (same Idempotency-Key) answers 200 with the
    first answer: its campaign's title and its match, which the retry does not book again."""
    from tests.api.conftest import client_for

    wallet_top_up(backer, currency=garden.currency, amount=100_000, platform_slug="civic")
    pledge_create(campaign_id=garden.pk, backer=backer, amount=1_000, source="wallet")  # makes the escrow
    pot = make_pot()
    client, body = client_for(backer), {"amount": 2_000, "source": "wallet"}
    url = f"/api/v1/campaigns/{garden.pk}/pledges/"
    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    again = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert (first.json()["matched"], first.json()["campaign_title"]) == (2_000, garden.title)
    assert _matched(pot) == [2_000]


def test_the_ratio_rounds_down_to_the_unit(make_pot, garden, backer, pledge):
    make_pot(ratio="0.5")
    pledge(garden, backer, 333)  # 166.5 → 166
    assert [m.amount for m in Match.objects.all()] == [166]


def test_the_per_pledge_cap(make_pot, garden, backer, backer2, pledge):
    pot = make_pot(ratio=2, cap_per_pledge=1_000)
    pledge(garden, backer, 400)  # 800, under the cap
    pledge(garden, backer2, 600)  # 1,200 → 1,000
    assert _matched(pot) == [800, 1_000]


def test_the_per_campaign_cap_as_an_amount_and_as_a_share_of_the_goal(make_pot, garden, make_backers, pledge):
    pot = make_pot(cap_per_campaign=5_000, cap_per_campaign_percent=4)  # 4% of 100,000 = 4,000 wins
    one, two, three = make_backers(3)
    pledge(garden, one, 3_000)
    pledge(garden, two, 3_000)  # only 1,000 left under the campaign's cap
    pledge(garden, three, 3_000)  # nothing left
    assert _matched(pot, garden) == [1_000, 3_000]
    other = CampaignFactory(slug="civic", goal=100_000)
    pledge(other, one, 500)  # another campaign has its own cap
    assert _matched(pot, other) == [500]


def test_one_matched_pledge_per_backer_by_default_and_more_when_the_pot_says(make_pot, garden, backer, pledge):
    pot = make_pot()
    pledge(garden, backer, 1_000)
    pledge(garden, backer, 1_000)
    assert _matched(pot) == [1_000]
    generous = make_pot(matched_pledges_per_backer=2)
    pledge(garden, backer, 700)
    pledge(garden, backer, 800)
    assert _matched(generous) == [700, 800]


def test_the_pot_runs_out_at_the_last_unit(make_pot, garden, make_backers, pledge, audit_clean):
    pot = make_pot(paid_in=2_500)
    one, two, three = make_backers(3)
    pledge(garden, one, 2_000)
    pledge(garden, two, 2_000)  # only 500 left
    pledge(garden, three, 2_000)  # none
    assert _matched(pot) == [500, 2_000]
    pot.refresh_from_db()
    assert pot.available == 0
    audit_clean()


def test_a_cancelled_pledge_frees_its_match_and_others_are_not_rematched(make_pot, garden, make_backers, audit_clean):
    pot = make_pot(paid_in=3_000)
    one, two, three = make_backers(3)
    for backer in (one, two, three):
        wallet_top_up(backer, amount=5_000, currency="GBP", platform_slug="civic")
    first = pledge_create(campaign_id=garden.pk, backer=one, amount=2_000, source="wallet")
    pledge_create(campaign_id=garden.pk, backer=two, amount=2_000, source="wallet")  # gets the last 1,000
    pledge_cancel(pledge_id=first.pk, backer=one)
    assert Match.objects.get(pledge=first).status == MatchStatus.RETURNED
    pot.refresh_from_db()
    assert pot.available == 2_000
    assert _matched(pot) == [1_000]  # the second pledge keeps its partial match
    pledge_create(
        campaign_id=garden.pk, backer=three, amount=2_000, source="wallet"
    )  # a new pledge draws on the freed money
    assert _matched(pot) == [1_000, 2_000]
    audit_clean()


def test_only_a_milestone_pot_sends_wallet_pledges_to_the_python_path(make_pot, garden, backer):
    make_pot()  # linear: matched in the fast path's transaction
    assert not pots.wallet_fast_path_refused(campaign=garden)
    assert [p.rule for p in garden.match_pots] == ["linear"]
    assert not pots.wallet_fast_path_refused(campaign=CampaignFactory(slug="arts"))
    make_pot(rule="milestone", milestone_percent=50, grant_amount=1_000)
    assert pots.wallet_fast_path_refused(campaign=garden)


def test_a_failed_campaign_returns_its_match_to_the_pot_never_to_a_card(make_pot, garden, backer, pledge, audit_clean):
    pot = make_pot()
    pledge(garden, backer, 10_000)  # 10% of the goal: fails
    assert _close(garden) == CampaignStatus.REFUNDING
    assert Match.objects.get().status == MatchStatus.RETURNED
    pot.refresh_from_db()
    assert pot.available == 100_000
    audit_clean()


def test_match_money_counts_toward_the_goal_when_the_citizen_share_is_met(
    make_pot, garden, make_backers, pledge, audit_clean
):
    pot = make_pot(matched_pledges_per_backer=None)
    one, two = make_backers(2)
    pledge(garden, one, 25_000)
    pledge(garden, two, 25_000)  # citizens 50,000 = 50% of the goal; with the match 100,000
    assert _close(garden) == CampaignStatus.SUCCEEDED
    assert garden.raised_at_close == 50_000  # the citizen money
    assert garden.collected == 100_000  # the fee and the 90/10 split apply to the whole amount
    assert garden.first_payout_amount + garden.held_amount + garden.fee_amount == 100_000
    assert list(Match.objects.values_list("status", flat=True)) == [MatchStatus.COLLECTED] * 2
    pot.refresh_from_db()
    assert pot.available == 50_000
    audit_clean()


def test_below_the_citizen_share_the_match_does_not_count_and_goes_back(
    make_pot, civic, make_backers, pledge, audit_clean
):
    campaign = CampaignFactory(slug="civic", goal=100_000, funding_model="threshold")  # 25% succeeds
    pot = make_pot(matched_pledges_per_backer=None)
    one, two = make_backers(2)
    pledge(campaign, one, 20_000)
    pledge(campaign, two, 29_999)  # 49,999: one unit short of the 50% citizen share
    assert _close(campaign) == CampaignStatus.SUCCEEDED  # on citizen money alone (49.999% ≥ 25%)
    assert campaign.collected == 49_999
    assert set(Match.objects.values_list("status", flat=True)) == {MatchStatus.RETURNED}
    pot.refresh_from_db()
    assert pot.available == 100_000
    audit_clean()


def test_a_backers_pledges_show_the_match_they_keep_and_none_for_one_gone_back_to_the_pot(
    make_pot, civic, backer, make_backers, pledge
):
    """The backer's list and each pledge (API) say what the pot added: a committed match its amount, a
    match that went back to the pot (the campaign missed the citizen share) nothing."""
    from tests.api.conftest import client_for

    missed = CampaignFactory(slug="civic", goal=100_000, funding_model="threshold")
    live = CampaignFactory(slug="civic", goal=100_000, funding_model="all_or_nothing")
    make_pot(matched_pledges_per_backer=None)
    returned = pledge(missed, backer, 29_999)
    (other,) = make_backers(1)
    pledge(missed, other, 20_000)
    kept = pledge(live, backer, 3_000)
    assert _close(missed) == CampaignStatus.SUCCEEDED  # the matches went back: 49,999 is under 50%
    client = client_for(backer)
    listed = {p["id"]: p["matched"] for p in client.get("/api/v1/pledges/").json()["results"]}
    assert listed == {returned.pk: 0, kept.pk: 3_000}
    assert client.get(f"/api/v1/pledges/{kept.pk}/").json()["matched"] == 3_000
    assert client.get(f"/api/v1/pledges/{returned.pk}/").json()["matched"] == 0


def test_where_the_platform_does_not_count_matches_the_campaign_is_judged_on_citizen_money(
    make_pot, civic, make_backers, pledge
):
    civic.match_counts_toward_goal = False
    civic.save()
    campaign = CampaignFactory(slug="civic", goal=100_000, funding_model="all_or_nothing")
    make_pot(matched_pledges_per_backer=None)
    one, two = make_backers(2)
    pledge(campaign, one, 30_000)
    pledge(campaign, two, 30_000)  # 60,000 + 60,000 matched would reach the goal, but matches do not count
    assert _close(campaign) == CampaignStatus.REFUNDING
    assert set(Match.objects.values_list("status", flat=True)) == {MatchStatus.RETURNED}


def test_the_leftover_goes_back_to_the_organisation_when_the_pot_closes(make_pot, garden, backer, pledge, audit_clean):
    pot = make_pot(paid_in=10_000)
    pledge(garden, backer, 3_000)
    later = pot.closes_at + dt.timedelta(seconds=1)
    assert pots.pots_close_due(now=later) == 1
    pot.refresh_from_db()
    assert (pot.status, pot.available) == (PotStatus.CLOSED, 0)
    assert -Entry.objects.filter(transaction__kind=TransactionKind.POT_RETURN, amount__lt=0).get().amount == 7_000
    assert Decision.objects.filter(kind="pot.closed", subject_id=pot.pk).exists()
    # the committed match, returned later by the failed campaign, goes on to the organisation
    garden.deadline = later
    garden.save()
    _close(garden)
    pot.refresh_from_db()
    assert pot.available == 0
    audit_clean()


def test_closing_a_pot_early_needs_its_administrator_and_a_public_reason(make_pot, org_reviewer, org_admin):
    pot = make_pot()
    with pytest.raises(PermissionDenied):
        pots.pot_close(pot=pot, user=org_reviewer, reason="Budget cut")
    with pytest.raises(ApplicationError, match="why"):
        pots.pot_close(pot=pot, user=org_admin, reason=" ")
    pots.pot_close(pot=pot, user=org_admin, reason="Budget cut")
    decision = Decision.objects.get(kind="pot.closed_early")
    assert decision.reason == "Budget cut" and decision.on_behalf_of == "Riverside Council"


def test_eligibility_by_category_area_or_picked_campaign(make_pot, civic, backer, make_backers, pledge):
    ward = area("civic", "riverside")
    other_ward = civic.areas.exclude(pk=ward.pk).first()
    pot = make_pot(areas=[ward], matched_pledges_per_backer=None)
    inside = CampaignFactory(slug="civic", area=ward)
    outside = CampaignFactory(slug="civic", area=other_ward)
    picked = CampaignFactory(slug="civic", area=other_ward)
    pot.campaigns.add(picked)
    for campaign in (inside, outside, picked):
        pledge(campaign, backer, 1_000)
    assert set(Match.objects.values_list("campaign", flat=True)) == {inside.pk, picked.pk}


def test_pots_that_cannot_work_are_refused_and_nothing_is_written(council, org_admin, org_reviewer, company, staff):
    now = timezone.now()
    base = dict(name="Pot", budget=10_000, opens_at=now, closes_at=now + dt.timedelta(days=1), rule="linear", ratio=1)
    cases = [
        (dict(ratio=0), "more than 0"),
        (dict(ratio="-1"), "more than 0"),
        (dict(cap_per_pledge=0), "at least one unit"),
        (dict(cap_per_campaign=0), "at least one unit"),
        (dict(cap_per_campaign_percent=0), "between 1 and 100"),
        (dict(matched_pledges_per_backer=0), "At least one pledge"),
        (dict(closes_at=now), "end after it opens"),
        (dict(closes_at=now - dt.timedelta(days=1)), "end after it opens"),
        (dict(budget=0), "at least one unit"),
        (dict(rule="milestone", ratio=None, milestone_percent=50), "not both"),
        (dict(campaigns=[CampaignFactory(slug="arts")]), "pot's platform"),
    ]
    for change, message in cases:
        with pytest.raises(ApplicationError, match=message):
            pots.pot_create(organisation=council, user=org_admin, **{**base, **change})
    with pytest.raises(PermissionDenied):
        pots.pot_create(organisation=council, user=org_reviewer, **base)
    with pytest.raises(ApplicationError, match="not verified"):
        pots.pot_create(organisation=company, user=company.members.get().user, **base)
    assert not Pot.objects.exists()
    pot = pots.pot_create(organisation=council, user=org_admin, **base)
    with pytest.raises(PermissionDenied):
        pots.pot_pay_in(pot=pot, staff=org_admin, amount=100, reference="X")
    with pytest.raises(ApplicationError, match="at least one unit"):
        pots.pot_pay_in(pot=pot, staff=staff, amount=0, reference="X")
    pots.pot_pay_in(pot=pot, staff=staff, amount=100, reference="X")
    with pytest.raises(ApplicationError, match="reference"):
        pots.pot_pay_in(pot=pot, staff=staff, amount=100, reference="X")
    pot.refresh_from_db()
    assert pot.paid_in == 100 and Transaction.objects.filter(kind=TransactionKind.POT_PAY_IN).count() == 1


def test_a_stranger_matches_nothing_on_another_platforms_campaign(make_pot, backer, pledge):
    make_pot()
    pledge(CampaignFactory(slug="charity"), backer, 15_000)
    assert not Match.objects.exists()
