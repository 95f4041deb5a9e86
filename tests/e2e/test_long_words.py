"""One 300-character word in a campaign's title, story and update does not widen the page on a phone:
user text wraps (overflow-wrap: anywhere), so the page is as wide as the screen (375 px)."""

from __future__ import annotations

import pytest

from projects.models import CampaignUpdate
from tests.factories import CampaignFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORD = "Park" + "x" * 296


def test_a_300_character_word_wraps_on_a_375_px_screen(browser, site):
    campaign = CampaignFactory(slug="civic", title=WORD[:190], story=f"{WORD}\n\n**{WORD}** [{WORD}](/x)")
    CampaignUpdate.objects.create(campaign=campaign, title=WORD[:190], body=WORD)
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{site.url}/civic/campaigns/{campaign.pk}/")
        assert page.locator("h1").first.inner_text().startswith("Park")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"the page is {width} px wide on a 375 px screen"
    finally:
        context.close()
