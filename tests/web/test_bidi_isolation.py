"""Persian text inside English pages (and English inside Persian ones) is isolated, so its punctuation
stays on its own side: campaign titles and stories carry dir="auto" or sit in <bdi>."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pledges.services import pledge_create
from tests.factories import GOOD_CARD

pytestmark = pytest.mark.django_db


def test_a_persian_title_on_an_english_page_is_isolated(client, arts_campaign, site_backer):
    arts_campaign.title = "فیلم کوتاه: آخرین کاروانسرا!"
    arts_campaign.save()
    client.cookies["django_language"] = "en"
    html = client.get(reverse("browse")).content.decode()
    assert '<h3 dir="auto"><a' in html and "فیلم کوتاه: آخرین کاروانسرا!" in html
    html = client.get(reverse("campaign", args=["arts", arts_campaign.pk])).content.decode()
    assert '<h1 dir="auto">فیلم کوتاه: آخرین کاروانسرا!</h1>' in html and '<section class="story" dir="auto"' in html
    tier = arts_campaign.tiers.get(title="Cinema ticket")
    pledge_create(campaign_id=arts_campaign.pk, backer=site_backer, amount=15_000, tier_id=tier.pk, card=GOOD_CARD)
    client.force_login(site_backer)
    html = client.get(reverse("dashboard")).content.decode()
    assert '<bdi><a href="' in html and "فیلم کوتاه: آخرین کاروانسرا!</a></bdi>" in html
