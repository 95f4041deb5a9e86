"""The website's pledge flow on a Stripe platform: the card is entered on Stripe Checkout's page
(served from recorded responses by the harness), the backer comes back to the receipt; sandbox
platforms keep their card field; the retry-window page is part of the site."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from payments.models import AttemptStatus, StripeEvent
from pledges.models import Pledge, PledgeStatus

from ..factories import CampaignFactory, UserFactory
from .conftest import DECLINES_AT_CHARGE, GOOD, close

pytestmark = pytest.mark.django_db


def _pledge_url(campaign):
    return reverse("pledge", args=[campaign.platform.slug, campaign.pk])


def _to_checkout(client, campaign, amount="20.00"):
    """Choose, confirm (no card field), pay: the site answers with a redirect to Stripe Checkout."""
    review = client.post(_pledge_url(campaign), {"step": "review", "source": "card", "amount": amount})
    html = review.content.decode()
    assert review.status_code == 200 and "Confirm and pay" in html
    assert 'name="card"' not in html and "Stripe" in html
    paid = client.post(_pledge_url(campaign), {"step": "pay", "source": "card", "amount": amount, "request_key": "k1"})
    assert paid.status_code == 302 and paid.url.startswith("https://checkout.stripe.com/")
    pledge = Pledge.objects.get(campaign=campaign)
    session_id = pledge.attempts.get(kind="save_card").reference
    assert session_id in paid.url
    return pledge, session_id


def _back_from_checkout(client, stripe_server, session_id):
    success = urlsplit(stripe_server.sessions[session_id]["success_url"])
    assert success.query == f"session_id={session_id}"
    back = client.get(f"{success.path}?{success.query}")
    assert back.status_code == 302
    return client.get(back.url)


@pytest.mark.parametrize(
    "mode, status", [("charge_on_success", PledgeStatus.SECURED), ("charge_now", PledgeStatus.PAID)]
)
def test_a_card_pledge_on_a_stripe_platform_goes_through_checkout_and_returns_to_the_receipt(
    mode, status, stripe_server, campaign_on, card, client, deliver
):
    from .conftest import stripe_platform

    platform = stripe_platform(mode)
    campaign = campaign_on(platform, goal=100_000)
    backer = UserFactory()
    client.force_login(backer)
    pledge, session_id = _to_checkout(client, campaign)
    assert pledge.status == PledgeStatus.PENDING and pledge.amount == 2_000
    sent = stripe_server.calls("POST", "/v1/checkout/sessions")
    assert [c["key"] for c in sent] == [f"pledge-{pledge.pk}-card"] and "mode=setup" in sent[0]["body"]

    stripe_server.complete_checkout(session_id, card(GOOD))
    receipt = _back_from_checkout(client, stripe_server, session_id)
    assert receipt.status_code == 200 and receipt.request["PATH_INFO"] == reverse("pledge-receipt", args=[pledge.pk])
    pledge.refresh_from_db()
    assert pledge.status == status
    assert pledge.payment_method.startswith("cus_") and "/pm_" in pledge.payment_method
    if mode == "charge_now":
        (pi,) = stripe_server.objects("payment_intent")
        assert (pi.amount, pi.currency, pi.status) == (2_000, "gbp", "succeeded")
        assert [c["key"] for c in stripe_server.calls("POST", "/v1/payment_intents")] == [f"pledge-{pledge.pk}-charge"]
    else:
        assert stripe_server.objects("payment_intent") == []

    # The webhook arrives after the backer's return: it changes nothing.
    event = stripe_server.wait_event("checkout.session.completed", session_id)
    assert deliver(event).status_code == 200
    assert StripeEvent.objects.get(event_id=event["id"]).note.startswith("no change")
    pledge.refresh_from_db()
    assert pledge.status == status
    assert pledge.attempts.filter(kind="charge").count() == (1 if mode == "charge_now" else 0)


def test_the_same_confirm_form_sent_twice_opens_one_pledge_and_one_checkout(
    on_success, campaign_on, client, stripe_server
):
    campaign = campaign_on(on_success)
    client.force_login(UserFactory())
    _to_checkout(client, campaign)
    again = client.post(
        _pledge_url(campaign), {"step": "pay", "source": "card", "amount": "20.00", "request_key": "k1"}
    )
    assert again.status_code == 302
    assert Pledge.objects.filter(campaign=campaign).count() == 1
    assert len(stripe_server.sessions) == 1


def test_returning_from_an_unfinished_checkout_leaves_the_pledge_pending(
    on_success, campaign_on, client, stripe_server
):
    campaign = campaign_on(on_success)
    client.force_login(UserFactory())
    pledge, session_id = _to_checkout(client, campaign)
    stripe_server.sessions[session_id]["status"] = "open"
    receipt = _back_from_checkout(client, stripe_server, session_id)
    assert receipt.status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING
    assert pledge.attempts.get(kind="save_card").status == AttemptStatus.PENDING


def test_another_backer_cannot_use_someone_elses_checkout_return(on_success, campaign_on, client, stripe_server):
    campaign = campaign_on(on_success)
    client.force_login(UserFactory())
    _pledge, session_id = _to_checkout(client, campaign)
    client.force_login(UserFactory())
    assert client.get(reverse("payments:pledge_checkout_return") + f"?session_id={session_id}").status_code == 404


def test_sandbox_platforms_keep_the_card_field(db, client):
    campaign = CampaignFactory(slug="civic", goal=10_000)
    assert campaign.platform.payment_gateway in ("", "sandbox")
    client.force_login(UserFactory())
    html = client.post(_pledge_url(campaign), {"step": "review", "source": "card", "amount": "20.00"}).content.decode()
    assert 'name="card"' in html


def test_the_retry_page_is_part_of_the_site_and_pays_with_another_card(
    on_success, campaign_on, card, stripe_server, client, run_on_commit
):
    from pledges.services import pledge_create

    campaign = campaign_on(on_success, goal=1_000)
    backer = UserFactory()
    pledge = pledge_create(campaign_id=campaign.pk, backer=backer, amount=2_000, card=card(DECLINES_AT_CHARGE))
    close(campaign, run_on_commit)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RETRYING
    client.force_login(backer)
    url = reverse("payments:pledge_retry", args=[pledge.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "js/site.js" in html and 'id="main"' in html  # base.html's layout
    assert "Complete your pledge to" in html and "£20.00" in html
    paid = client.post(url, {"payment_method": card(GOOD)})
    assert paid.status_code == 200 and "is paid" in paid.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
