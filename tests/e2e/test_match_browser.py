"""A backer walks through a matched pledge in a real browser: the campaign page says the match ("every
£1 you give becomes £2, up to £5,000 per project — £3,200 left in the pot"), the confirm step says this
pledge's match before paying, and the receipt and the dashboard show it. Takes the README's screenshot
of the matched campaign page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from partners.models import Match
from platforms.models import Platform
from pledges.services import pledge_create
from tests.factories import GOOD_CARD, CampaignFactory, StaffFactory, UserFactory, area
from tests.partners.conftest import organisation_make
from tests.web.conftest import verified

from .conftest import axe_check, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def main_submit(page):
    page.locator("main form button[type=submit]").last.click()


def test_a_backer_sees_the_match_before_paying_and_on_the_receipt(page, site):
    from partners.services.pots import pot_create, pot_pay_in

    civic = Platform.objects.get(slug="civic")
    admin = UserFactory(username="council-admin")
    council = organisation_make(civic, "Riverside Council", admin=admin)
    campaign = CampaignFactory(
        slug="civic",
        title="Riverside playground for all abilities",
        goal=1_000_000,
        area=area("civic", "riverside"),
        story="A playground by the river that every child can use.",
    )
    now = timezone.now()
    pot = pot_create(
        organisation=council,
        user=admin,
        name="Riverside neighbourhood match fund",
        budget=400_000,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=60),
        rule="linear",
        ratio=1,
        cap_per_campaign=500_000,
    )
    pot_pay_in(pot=pot, staff=StaffFactory(), amount=370_000, reference="BACS-1")
    for name, amount in (("ben", 30_000), ("cleo", 20_000)):  # two neighbours backed it already, matched
        pledge_create(campaign_id=campaign.pk, backer=UserFactory(username=name), amount=amount, card=GOOD_CARD)
    backer = verified(UserFactory(username="ana"))

    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", backer.username)
    page.fill("#id_password", "secret")
    main_submit(page)
    page.wait_for_url(re.compile(r"/me/$"))

    page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/")
    offer = page.inner_text(".match-offer")
    assert offer == (
        "Matched by Riverside Council: every £1.00 you give becomes £2.00, up to £5,000.00 per project"
        " — £3,200.00 left in the pot"
    )
    assert "match money adds £500.00" in page.inner_text("main")  # the bar's second part
    axe_check(page, "matched campaign page")
    shot(page, "campaign-matched-en")

    page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/pledge/")
    page.fill("#id_amount", "40")
    main_submit(page)
    preview = page.inner_text(".match-preview")
    assert "This pledge will be matched with £40.00 from the pot" in preview
    assert not Match.objects.filter(backer=backer).exists()  # said before paying: nothing matched yet
    axe_check(page, "matched pledge confirm step")
    page.fill("#id_card", GOOD_CARD)
    main_submit(page)
    page.wait_for_url(re.compile(r"/pledges/\d+/$"))
    assert page.inner_text(".pledge-status") == "Paid"
    assert page.inner_text(".receipt-match") == "£40.00"
    axe_check(page, "matched receipt")
    match = Match.objects.get(backer=backer)
    assert (match.amount, match.campaign_id, match.backer_id) == (4_000, campaign.pk, backer.pk)

    page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/")
    assert "£3,160.00 left in the pot" in page.inner_text(".match-offer")
    page.goto(f"{site.url}/me/")
    assert page.inner_text(".pledge-match") == "+£40.00 matched"
