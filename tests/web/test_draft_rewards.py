"""Rewards on a draft: the owner changes or removes them on the website and through the API until the
campaign is submitted, and a reward costs at most the campaign's goal (a £100,000,000,000 reward on a
£2,000 goal was accepted before)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from projects import services
from projects.models import RewardTier
from tests.factories import CampaignFactory, TierFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/campaigns/"


@pytest.fixture
def owner_client(client, site_owner):
    client.force_login(site_owner)
    return client


@pytest.fixture
def draft(site_owner):
    """A £2,000 draft on the civic portal with a £50 reward."""
    campaign = CampaignFactory(slug="civic", owner=site_owner, status="draft", goal=200_000)
    TierFactory(campaign=campaign, amount=5_000, title="Bench plaque", quantity_limit=10)
    return campaign


def test_a_reward_dearer_than_the_goal_is_refused_next_to_its_amount_and_what_was_typed_stays(owner_client, draft):
    html = owner_client.post(
        reverse("owner-tier-add", args=[draft.pk]), {"title": "Golden statue", "amount": "100000000000"}
    ).content.decode()
    assert 'id="id_amount_error"' in html and "cannot cost more than the campaign&#x27;s goal" in html
    assert 'value="Golden statue"' in html and 'value="100000000000"' in html
    assert "At most the campaign&#x27;s goal, £2,000.00." in html  # said before it is refused
    assert list(draft.tiers.values_list("title", flat=True)) == ["Bench plaque"]
    owner_client.post(reverse("owner-tier-add", args=[draft.pk]), {"title": "Sponsor the park", "amount": "2000"})
    assert draft.tiers.get(title="Sponsor the park").amount == 200_000  # exactly the goal is fine


def test_owner_edits_a_draft_s_reward_and_a_refused_edit_keeps_the_reward_and_the_typing(owner_client, draft):
    tier = draft.tiers.get()
    page = reverse("owner-campaign", args=[draft.pk])
    edit = reverse("owner-tier-edit", args=[draft.pk, tier.pk])
    assert edit in owner_client.get(page).content.decode()
    form = owner_client.get(edit).content.decode()
    assert 'value="Bench plaque"' in form and 'value="50.00"' in form
    html = owner_client.post(edit, {"title": "Bench plaque", "amount": "5000"}).content.decode()
    assert 'id="id_amount_error"' in html and 'value="5000"' in html
    tier.refresh_from_db()
    assert (tier.title, tier.amount) == ("Bench plaque", 5_000)  # nothing changed by a refused edit
    response = owner_client.post(edit, {"title": "Brass bench plaque", "amount": "75", "quantity_limit": "5"})
    assert response.status_code == 302 and response["Location"] == page
    tier.refresh_from_db()
    assert (tier.title, tier.amount, tier.quantity_limit) == ("Brass bench plaque", 7_500, 5)


def test_owner_removes_a_draft_s_reward(owner_client, draft):
    tier = draft.tiers.get()
    response = owner_client.post(reverse("owner-tier-delete", args=[draft.pk, tier.pk]), follow=True)
    assert "Reward “Bench plaque” removed." in response.content.decode()
    assert not draft.tiers.exists()


def test_rewards_of_a_submitted_campaign_cannot_be_changed_and_nobody_else_may(owner_client, draft, client):
    tier = draft.tiers.get()
    draft.status = "submitted"
    draft.save()
    assert (
        reverse("owner-tier-edit", args=[draft.pk, tier.pk])
        not in owner_client.get(reverse("owner-campaign", args=[draft.pk])).content.decode()
    )
    owner_client.post(reverse("owner-tier-edit", args=[draft.pk, tier.pk]), {"title": "x", "amount": "60"})
    owner_client.post(reverse("owner-tier-delete", args=[draft.pk, tier.pk]))
    tier.refresh_from_db()
    assert (tier.title, tier.amount) == ("Bench plaque", 5_000)
    client.force_login(UserFactory(username="stranger"))
    assert client.post(reverse("owner-tier-delete", args=[draft.pk, tier.pk])).status_code == 404


def test_the_goal_cannot_drop_below_a_reward(site_owner, draft):
    with pytest.raises(services.ApplicationError) as refused:
        services.campaign_edit(campaign=draft, user=site_owner, goal=4_000)
    assert refused.value.code == "goal_below_tier" and refused.value.field == "goal"
    draft.refresh_from_db()
    assert draft.goal == 200_000


def test_api_owner_changes_and_removes_a_draft_s_reward(site_owner, draft):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(site_owner)
    tier = draft.tiers.get()
    url = f"{API}{draft.pk}/tiers/{tier.pk}/"
    too_dear = api.patch(url, {"amount": 10**11}, format="json")
    assert too_dear.status_code == 400 and too_dear.json()["code"] == "tier_above_goal", too_dear.json()
    changed = api.patch(url, {"title": "Brass plaque", "amount": 7_500}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["title"], changed.json()["amount"], changed.json()["remaining"]) == (
        "Brass plaque",
        7_500,
        10,
    )
    refused = api.post(f"{API}{draft.pk}/tiers/", {"amount": 200_001, "title": "Too dear"}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "tier_above_goal"
    assert api.delete(url).status_code == 204
    assert not RewardTier.objects.filter(campaign=draft).exists()
    other = APIClient()
    other.force_authenticate(UserFactory(username="stranger"))
    tier2 = TierFactory(campaign=draft, amount=5_000, title="Seed packet")
    assert other.delete(f"{API}{draft.pk}/tiers/{tier2.pk}/").status_code == 404
