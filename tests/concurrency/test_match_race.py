"""200 pledges at once at a pot with room for 50 matches (issue 13, "Done when"): exactly the budget is
matched, not one unit more, and no pledge is lost. The pot's row lock serialises the matches while the
pledges themselves (campaign share lock) run side by side."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from funding.audit import ledger_audit
from partners.models import Match, MatchStatus, MemberRole, Membership, Organisation, Pot
from partners.services.pots import pot_create, pot_pay_in
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import campaign_raised
from pledges.services import pledge_create
from tests.factories import wallet_top_up

from .support import GOOD_CARD, backers_make, campaign_live, user_make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PLEDGES = 200
# PostgreSQL here allows 100 connections, shared with other work: 40 at once, 5 pledges each.
CONNECTIONS = 40
AMOUNT = 1_000  # £10
ROOM = 50


def test_200_concurrent_pledges_match_exactly_the_pot_and_none_is_lost(presets):
    campaign = campaign_live("civic", goal=10**9)
    admin, staff = user_make("council"), user_make("staff", staff=True)
    council = Organisation.objects.create(
        platform=campaign.platform, name="Council", slug="council", kind="public_body", verified_at=timezone.now()
    )
    Membership.objects.create(organisation=council, user=admin, role=MemberRole.ADMIN)
    now = timezone.now()
    pot = pot_create(
        organisation=council,
        user=admin,
        name="Race pot",
        budget=ROOM * AMOUNT,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=30),
        rule="linear",
        ratio=1,
    )
    pot_pay_in(pot=pot, staff=staff, amount=ROOM * AMOUNT, reference="BACS-1")
    backers = backers_make(PLEDGES)
    for backer in backers[::2]:  # half pay from their wallets, half by card
        wallet_top_up(backer, currency="GBP", amount=AMOUNT, platform_slug="civic")

    barrier = threading.Barrier(CONNECTIONS)
    errors: list[BaseException] = []

    def worker(mine):
        try:
            barrier.wait(timeout=60)
            for i, backer in mine:
                if i % 2 == 0:
                    pledge_create(campaign_id=campaign.pk, backer=backer, amount=AMOUNT, source="wallet")
                else:
                    pledge_create(campaign_id=campaign.pk, backer=backer, amount=AMOUNT, card=GOOD_CARD)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    numbered = list(enumerate(backers))
    threads = [threading.Thread(target=worker, args=(numbered[k::CONNECTIONS],)) for k in range(CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    assert Pledge.objects.filter(campaign=campaign, status=PledgeStatus.PAID).count() == PLEDGES  # none lost
    assert campaign_raised(campaign.pk) == PLEDGES * AMOUNT
    matches = Match.objects.filter(pot=pot, status=MatchStatus.COMMITTED)
    assert matches.count() == ROOM
    assert sum(matches.values_list("amount", flat=True)) == ROOM * AMOUNT  # exactly the budget
    assert Pot.objects.get(pk=pot.pk).available == 0
    assert ledger_audit() == []
