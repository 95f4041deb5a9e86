"""What a backer reads of a match: the campaign page's "Matched by ..." sentence with what is left in the
pot, the progress bar's second part, and the receipt's match."""

import pytest
from django.urls import reverse

from ..factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_the_campaign_page_says_the_match_and_the_receipt_shows_it(client, make_pot, backer, pledge):
    campaign = CampaignFactory(slug="civic", goal=100_000)
    make_pot(paid_in=320_000, cap_per_campaign=500_000)
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "Matched by Riverside Council: every £1.00 you give becomes £2.00, up to £5,000.00 per project" in page
    assert "£3,200.00 left in the pot" in page
    p = pledge(campaign, backer, 2_500)
    page = client.get(reverse("campaign", args=["civic", campaign.pk])).content.decode()
    assert "progress-match" in page and "match money adds £25.00" in page
    client.force_login(backer)
    receipt = client.get(reverse("pledge-receipt", args=[p.pk])).content.decode()
    assert "receipt-match" in receipt and "£25.00" in receipt


def test_the_backers_dashboard_shows_each_pledges_match(client, make_pot, backer, pledge):
    campaign = CampaignFactory(slug="civic", goal=100_000)
    make_pot(paid_in=320_000, cap_per_campaign=500_000)  # one matched pledge per backer
    pledge(campaign, backer, 2_500)
    pledge(campaign, backer, 1_000)  # the backer's second pledge to the campaign is not matched
    client.force_login(backer)
    page = client.get(reverse("dashboard")).content.decode()
    assert page.count("+£25.00 matched") == 1
    assert page.count('class="num pledge-match"></td>') == 1
