"""Charge now, when the bank asks the backer to confirm the payment (3-D Secure): the pledge waits,
the backer is sent to the confirm page (also linked from the receipt page and e-mail), confirms it or
pays with another card, and the pledge is paid once; a payment never confirmed is cancelled at Stripe
when its window ends and the reward goes back on sale."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.errors import PledgeRefused
from core.outbox import outbox_send
from funding.audit import ledger_audit
from ledger.models import Entry
from payments.models import AttemptStatus, StripeEvent
from pledges.models import Pledge, PledgeStatus
from pledges.selectors import pledge_next_action
from pledges.services import pending_payments_retry, pledge_create, pledge_retry_pay
from projects.models import Campaign, CampaignStatus

from ..factories import TierFactory, UserFactory
from .conftest import DECLINES_AT_CHARGE, GOOD, NEEDS_3DS, close, pledge_on_checkout

pytestmark = pytest.mark.django_db


def _pay_url(pledge):
    return reverse("payments:pledge_retry", args=[pledge.pk])


@pytest.fixture
def waiting(charge_now, campaign_on, card, stripe_server, client, run_on_commit, settings):
    """A backer whose charge-now payment waits for their bank, on the one unit of a limited reward."""
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_civicfund"
    campaign = campaign_on(charge_now, goal=100_000)
    tier = TierFactory(campaign=campaign, amount=2_000, quantity_limit=1)
    backer = UserFactory()
    client.force_login(backer)
    with run_on_commit():
        pledge, back = pledge_on_checkout(client, stripe_server, card, campaign, tier=tier)
    return pledge, back, tier


def test_the_backer_is_sent_to_confirm_a_payment_their_bank_asks_about_and_it_is_paid_once(
    waiting, stripe_server, client, deliver
):
    pledge, back, tier = waiting
    assert back.status_code == 302 and back.url == _pay_url(pledge)
    assert pledge.status == PledgeStatus.PENDING
    charge = pledge.attempts.get(kind="charge")
    assert (charge.status, charge.code, charge.reference[:3]) == (
        AttemptStatus.PENDING,
        "authentication_required",
        "pi_",
    )
    (pi,) = stripe_server.objects("payment_intent")
    assert pi.status == "requires_action" and pi.amount == 2_000
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1  # held while the backer confirms

    page = client.get(back.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your bank asks you to confirm this payment" in html
    assert 'id="bank-check"' in html and pi.client_secret in html

    stripe_server.authenticate_payment(pi.id)  # Stripe.js confirmCardPayment, then the page reloads
    reloaded = client.get(back.url)
    assert "is paid" in reloaded.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1

    # Stripe's event comes after the backer's return, three times: nothing more happens.
    event = stripe_server.wait_event("payment_intent.succeeded", pi.id)
    assert [deliver(event).content for _ in range(3)][1:] == [b"duplicate", b"duplicate"]
    assert StripeEvent.objects.get(event_id=event["id"]).note.startswith("no change")
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1
    assert [c["key"] for c in stripe_server.calls("POST", "/v1/payment_intents")] == [f"pledge-{pledge.pk}-charge"]
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=pledge.campaign_id)


def test_the_receipt_page_and_e_mail_link_to_the_confirm_page(waiting, client, run_on_commit):
    pledge, _back, _tier = waiting
    receipt = client.get(reverse("pledge-receipt", args=[pledge.pk])).content.decode()
    assert "Confirm the payment" in receipt and f'href="{_pay_url(pledge)}"' in receipt
    outbox_send()
    (message,) = [m for m in mail.outbox if m.to == [pledge.backer.email]]
    assert message.subject.startswith("Please confirm your payment")
    assert f"http://127.0.0.1:8000{_pay_url(pledge)}" in message.body
    assert "or your pledge is cancelled and its reward released" in message.body


def test_the_webhook_alone_pays_a_confirmed_payment_once(waiting, stripe_server, client, deliver):
    """The backer confirmed, then closed the tab: Stripe's event pays the pledge."""
    pledge, _back, _tier = waiting
    pi = pledge.attempts.get(kind="charge").reference
    stripe_server.authenticate_payment(pi)
    event = stripe_server.wait_event("payment_intent.succeeded", pi)
    assert deliver(event).content == b"charge pending \xe2\x86\x92 succeeded"
    assert deliver(event).content == b"duplicate"
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1
    assert "is paid" in client.get(_pay_url(pledge)).content.decode()  # the e-mailed link, later
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1


def test_a_payment_never_confirmed_is_cancelled_at_stripe_and_its_reward_freed_when_the_window_ends(
    waiting, campaign_on, card, stripe_server, deliver, settings
):
    pledge, _back, tier = waiting
    assert settings.CIVICFUND_PLEDGE_CONFIRM_MINUTES == 60
    assert pledge.retry_until == pytest.approx(timezone.now() + dt.timedelta(minutes=60), abs=dt.timedelta(minutes=1))
    other = UserFactory()
    with pytest.raises(PledgeRefused):  # the only unit is held meanwhile
        pledge_create(campaign_id=pledge.campaign_id, backer=other, amount=2_000, tier_id=tier.pk, card=card(GOOD))

    assert pending_payments_retry(now=pledge.retry_until - dt.timedelta(seconds=1)) == 0
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING
    assert pending_payments_retry(now=pledge.retry_until) == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.DECLINED
    (pi,) = stripe_server.objects("payment_intent")
    assert pi.status == "canceled"
    charge = pledge.attempts.get(kind="charge")
    assert [c["key"] for c in stripe_server.calls("POST", rf"/v1/payment_intents/{pi.id}/cancel")] == [
        f"{charge.idempotency_key}-cancel"
    ]
    assert (charge.status, charge.code) == (AttemptStatus.DECLINED, "canceled")
    tier.refresh_from_db()
    assert tier.quantity_claimed == 0
    assert deliver(stripe_server.wait_event("payment_intent.canceled", pi.id)).content.startswith(b"no change")
    with pytest.raises(Exception, match="400"):  # the bank's check can no longer be passed
        stripe_server.authenticate_payment(pi.id)
    assert pending_payments_retry(now=pledge.retry_until + dt.timedelta(hours=1)) == 0
    assert not Entry.objects.filter(pledge=pledge).exists()
    assert (
        pledge_create(
            campaign_id=pledge.campaign_id, backer=other, amount=2_000, tier_id=tier.pk, card=card(GOOD)
        ).status
        == PledgeStatus.PAID
    )


def test_a_payment_confirmed_just_before_the_window_ends_is_paid_not_cancelled(waiting, stripe_server):
    """The backer passed 3-D Secure but neither their return nor Stripe's event reached us before the
    window ended: Stripe refuses to cancel a succeeded payment, and the pledge is paid, once."""
    pledge, _back, tier = waiting
    stripe_server.authenticate_payment(pledge.attempts.get(kind="charge").reference)
    assert pending_payments_retry(now=pledge.retry_until) == 1
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert pledge.attempts.get(kind="charge").status == AttemptStatus.SUCCEEDED
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1


def test_the_confirm_window_never_runs_past_the_campaigns_deadline(
    charge_now, campaign_on, card, stripe_server, client
):
    deadline = timezone.now() + dt.timedelta(minutes=10)
    campaign = campaign_on(charge_now, goal=100_000, deadline=deadline)
    client.force_login(UserFactory())
    pledge, _back = pledge_on_checkout(client, stripe_server, card, campaign)
    assert pledge.retry_until == deadline


def test_another_card_on_the_confirm_page_cancels_the_waiting_payment_and_pays_once(
    waiting, card, stripe_server, client
):
    pledge, _back, tier = waiting
    old = pledge.attempts.get(kind="charge")
    paid = client.post(_pay_url(pledge), {"payment_method": card(GOOD)})
    assert paid.status_code == 200 and "is paid" in paid.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    intents = {pi.id: pi.status for pi in stripe_server.objects("payment_intent")}
    new = pledge.attempts.get(kind="charge", status=AttemptStatus.SUCCEEDED)
    assert intents == {old.reference: "canceled", new.reference: "succeeded"}
    assert new.idempotency_key.startswith(f"pledge-{pledge.pk}-charge-r")
    with pytest.raises(Exception, match="400"):  # the old payment can no longer take money too
        stripe_server.authenticate_payment(old.reference)
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1
    tier.refresh_from_db()
    assert tier.quantity_claimed == 1
    assert ledger_audit() == []


def test_a_declined_other_card_leaves_the_pledge_waiting_for_another_try(waiting, card, stripe_server, client):
    pledge, _back, _tier = waiting
    refused = client.post(_pay_url(pledge), {"payment_method": card(DECLINES_AT_CHARGE)})
    assert refused.status_code == 400 and "Your bank declined this card." in refused.content.decode()
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    assert 'id="pay-form"' in refused.content.decode()
    assert pledge_retry_pay(pledge_id=pledge.pk, backer=pledge.backer, card=card(GOOD)).status == PledgeStatus.PAID
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1


def test_someone_elses_confirm_page_is_not_found(waiting, client):
    pledge, _back, _tier = waiting
    client.force_login(UserFactory())
    assert client.get(_pay_url(pledge)).status_code == 404


def test_an_api_pledge_tells_the_app_what_the_bank_asks_for(charge_now, campaign_on, card, stripe_server, deliver):
    """A card pledged through the API whose saving and then whose payment need 3-D Secure: each time
    the app is given what to confirm (the client secret, and the site's page for the payment)."""
    from localstripe.resources import PaymentIntent, SetupIntent

    campaign = campaign_on(charge_now, goal=100_000)
    pledge = pledge_create(campaign_id=campaign.pk, backer=UserFactory(), amount=1_500, card=card(NEEDS_3DS))
    setup = pledge.attempts.get(kind="save_card")
    assert pledge_next_action(pledge) == {
        "type": "confirm_card_setup",
        "client_secret": SetupIntent._api_retrieve(setup.reference).client_secret,
    }
    stripe_server.authenticate_setup(setup.reference)
    assert deliver(stripe_server.wait_event("setup_intent.succeeded", setup.reference)).status_code == 200
    pledge.refresh_from_db()
    charge = pledge.attempts.get(kind="charge")
    assert pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    assert pledge_next_action(pledge) == {
        "type": "confirm_payment",
        "pay_before": pledge.retry_until,
        "client_secret": PaymentIntent._api_retrieve(charge.reference).client_secret,
        "url": f"http://127.0.0.1:8000/payments/pledges/{pledge.pk}/pay/",
    }
    stripe_server.authenticate_payment(charge.reference)
    assert deliver(stripe_server.wait_event("payment_intent.succeeded", charge.reference)).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID and pledge_next_action(pledge) is None


def test_a_checkout_pledge_whose_charge_needs_no_confirmation_goes_straight_to_the_receipt(
    charge_now, campaign_on, card, stripe_server, client
):
    campaign = campaign_on(charge_now, goal=100_000)
    client.force_login(UserFactory())
    pledge, back = pledge_on_checkout(client, stripe_server, card, campaign, number=GOOD)
    assert back.url == reverse("pledge-receipt", args=[pledge.pk])
    assert pledge.status == PledgeStatus.PAID and pledge.retry_until is None
    assert "Confirm the payment" not in client.get(back.url).content.decode()


def test_stripe_down_while_switching_cards_leaves_the_waiting_payment_as_it_was(waiting, card, stripe_server, client):
    pledge, _back, _tier = waiting
    old = pledge.attempts.get(kind="charge")
    stripe_server.fault("POST", rf"/v1/payment_intents/{old.reference}/cancel", "down")
    good = card(GOOD)
    refused = client.post(_pay_url(pledge), {"payment_method": good})
    assert refused.status_code == 400 and "Stripe did not answer" in refused.content.decode()
    old.refresh_from_db()
    assert (old.status, old.code) == (AttemptStatus.PENDING, "authentication_required")
    assert Pledge.objects.get(pk=pledge.pk).status == PledgeStatus.PENDING
    assert client.post(_pay_url(pledge), {"payment_method": good}).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert Entry.objects.filter(pledge=pledge, amount=2_000).count() == 1
    assert [c["key"] for c in stripe_server.calls("POST", rf"/v1/payment_intents/{old.reference}/cancel")] == [
        f"{old.idempotency_key}-cancel"
    ] * 2


def test_an_app_pledging_through_the_api_reads_each_bank_check_in_next_action(
    charge_now, campaign_on, card, stripe_server, deliver
):
    """The REST API's answers carry `next_action`: the card's saving, then its payment, each asks
    for 3-D Secure; the app confirms with the client secret given, and nothing is taken before."""
    from localstripe.resources import PaymentIntent, SetupIntent
    from rest_framework.test import APIClient

    campaign = campaign_on(charge_now, goal=100_000)
    api = APIClient()
    api.force_authenticate(UserFactory())
    answer = api.post(
        f"/api/v1/campaigns/{campaign.pk}/pledges/", {"amount": 2_000, "card": card(NEEDS_3DS)}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    pledge = Pledge.objects.get(pk=answer.json()["id"])
    setup = pledge.attempts.get(kind="save_card")
    assert answer.json()["status"] == "pending"
    assert answer.json()["next_action"] == {
        "type": "confirm_card_setup",
        "client_secret": SetupIntent._api_retrieve(setup.reference).client_secret,
    }

    stripe_server.authenticate_setup(setup.reference)  # the app's Stripe SDK confirms the setup
    assert deliver(stripe_server.wait_event("setup_intent.succeeded", setup.reference)).status_code == 200
    mine = api.get(f"/api/v1/pledges/{pledge.pk}/").json()
    charge = pledge.attempts.get(kind="charge")
    assert mine["status"] == "pending" and mine["next_action"]["type"] == "confirm_payment"
    assert mine["next_action"]["client_secret"] == PaymentIntent._api_retrieve(charge.reference).client_secret
    assert mine["next_action"]["url"].endswith(_pay_url(pledge)) and mine["next_action"]["pay_before"]
    assert not Entry.objects.filter(pledge=pledge).exists()  # nothing taken before the bank says yes

    stripe_server.authenticate_payment(charge.reference)
    assert deliver(stripe_server.wait_event("payment_intent.succeeded", charge.reference)).status_code == 200
    mine = api.get(f"/api/v1/pledges/{pledge.pk}/").json()
    assert mine["status"] == "paid" and mine["next_action"] is None


# --- DOMAIN.md "Raised": a payment counts if Stripe confirmed it strictly before the deadline ----


def _charge_time(stripe_server, payment_intent: str) -> dt.datetime:
    (charge,) = [c for c in stripe_server.objects("charge") if c.payment_intent == payment_intent]
    return dt.datetime.fromtimestamp(charge.created, tz=dt.UTC)


def test_a_payment_confirmed_with_the_bank_after_the_deadline_never_counts_and_is_refunded_at_once(
    waiting, stripe_server, deliver, run_on_commit
):
    pledge, _back, _tier = waiting
    campaign = pledge.campaign
    Campaign.objects.filter(pk=campaign.pk).update(goal=2_000, deadline=timezone.now() - dt.timedelta(seconds=2))
    pi = pledge.attempts.get(kind="charge").reference
    stripe_server.authenticate_payment(pi)  # after the deadline, before the close job has run
    deliver(stripe_server.wait_event("payment_intent.succeeded", pi))

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.REFUNDED
    assert pledge.paid_at >= _charge_time(stripe_server, pi) >= Campaign.objects.get(pk=campaign.pk).deadline
    assert [(r.payment_intent, r.amount) for r in stripe_server.objects("refund")] == [(pi, 2_000)]
    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    assert (campaign.raised_at_close, campaign.backers_at_close) == (0, 0)
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)


def test_a_payment_stripe_confirmed_before_the_deadline_counts_though_its_event_came_after(
    waiting, stripe_server, deliver, run_on_commit
):
    pledge, _back, _tier = waiting
    campaign = pledge.campaign
    pi = pledge.attempts.get(kind="charge").reference
    stripe_server.authenticate_payment(pi)
    event = stripe_server.wait_event("payment_intent.succeeded", pi)
    # Stripe's times are whole seconds: the deadline is the end of the second the charge was made in.
    deadline = _charge_time(stripe_server, pi) + dt.timedelta(seconds=1)
    Campaign.objects.filter(pk=campaign.pk).update(goal=2_000, deadline=deadline)
    time.sleep(max(0.0, (deadline - timezone.now()).total_seconds()) + 0.05)
    deliver(event)  # our clock has passed the deadline; Stripe's time of the payment has not

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.PAID
    assert pledge.paid_at < deadline
    assert close(campaign, run_on_commit) == CampaignStatus.SUCCEEDED
    assert (campaign.raised_at_close, campaign.collected) == (2_000, 2_000)
    assert ledger_audit() == []
