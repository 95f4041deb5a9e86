"""The campaign admin: terms backers rely on cannot be rewritten by hand once a campaign is submitted,
and a reward's limit below what is already claimed is refused on the form, not by a server error."""

import pytest
from django.forms import MultiWidget
from django.urls import reverse

from projects.models import Campaign, CampaignStatus, RewardTier

from ..factories import CampaignFactory, StaffFactory, TierFactory

pytestmark = pytest.mark.django_db


def _post_data(page) -> dict:
    """What the change form sends back as shown: every field's current value, inlines included."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            key = form.add_prefix(name)
            widget = form.fields[name].widget
            if isinstance(widget, MultiWidget):  # a date and a time, as the two inputs show them
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{key}_{i}"] = part.isoformat() if part is not None else ""
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    put(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _change(admin_client, campaign: Campaign, **changes):
    url = reverse("admin:projects_campaign_change", args=[campaign.pk])
    data = {**_post_data(admin_client.get(url)), **changes}
    return admin_client.post(url, data)


def test_a_live_campaign_s_goal_deadline_and_reward_price_cannot_be_rewritten(admin_client):
    campaign = CampaignFactory(slug="presale")
    tier = TierFactory(campaign=campaign, amount=15_000)
    goal, deadline = campaign.goal, campaign.deadline
    response = _change(
        admin_client,
        campaign,
        goal="1",
        deadline_0="2031-01-01",
        deadline_1="00:00:00",
        title="Better title",
        **{"tiers-0-amount": "1"},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    tier.refresh_from_db()
    assert (campaign.goal, campaign.deadline, tier.amount) == (goal, deadline, 15_000)
    assert campaign.title == "Better title"  # wording may still be corrected


def test_a_draft_s_terms_can_still_be_set_by_an_admin(admin_client):
    campaign = CampaignFactory(slug="presale", status=CampaignStatus.DRAFT)
    response = _change(admin_client, campaign, goal="2500000")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.goal == 2_500_000


def test_a_reward_limit_below_what_is_claimed_is_refused_on_the_form(admin_client):
    campaign = CampaignFactory(slug="presale")
    tier = TierFactory(campaign=campaign, quantity_limit=30)
    RewardTier.objects.filter(pk=tier.pk).update(quantity_claimed=5)
    response = _change(admin_client, campaign, **{"tiers-0-quantity_limit": "0"})
    assert response.status_code == 200
    assert "5 of this reward are already claimed: the limit cannot be lower." in response.content.decode()
    tier.refresh_from_db()
    assert tier.quantity_limit == 30
    assert _change(admin_client, campaign, **{"tiers-0-quantity_limit": "5"}).status_code == 302
    tier.refresh_from_db()
    assert tier.quantity_limit == 5


def test_what_the_close_recorded_is_read_only(admin_client):
    campaign = CampaignFactory(
        slug="presale", status=CampaignStatus.REFUNDED, raised_at_close=90_000, backers_at_close=3
    )
    response = _change(admin_client, campaign, backers_at_close="300", raised_at_close="1")
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.raised_at_close, campaign.backers_at_close) == (90_000, 3)
