"""A pledge cancelled twice from its receipt says why in a sentence, in the receipt's language."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tests.factories import CampaignFactory, TierFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_pledge_twice_says_in_persian_it_is_already_being_refunded(
    backer_client, site_backer, site_owner, pledge
):
    campaign = CampaignFactory(slug="arts", owner=site_owner, goal=40_000_000)
    made = pledge(campaign, site_backer, 15_000, tier=TierFactory(campaign=campaign, amount=15_000))
    url = reverse("pledge-cancel", args=[made.pk])
    backer_client.post(url, follow=True)  # the card refund is queued; its message shown
    again = backer_client.post(url)
    assert [str(m) for m in get_messages(again.wsgi_request)] == ["این حمایت هم‌اکنون در حال بازپرداخت است."]
