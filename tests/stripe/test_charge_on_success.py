"""Charge on success through Stripe: cards saved at pledge time, charged off-session at a successful
close; declined cards get a retry window, a failed campaign charges nobody."""

import pytest
from django.core import mail
from django.core.management import call_command

from funding.audit import ledger_audit
from funding.services import expired_retries_drop
from payouts.models import Payout, PayoutKind
from pledges.models import Pledge, PledgeStatus
from pledges.services import pledge_create, pledge_retry_pay
from projects.models import CampaignStatus

from ..factories import UserFactory
from .conftest import DECLINES_AT_CHARGE, GOOD, NEEDS_3DS, close, later

pytestmark = pytest.mark.django_db


def _pledge(campaign, amount, card_id, backer=None):
    return pledge_create(campaign_id=campaign.pk, backer=backer or UserFactory(), amount=amount, card=card_id)


def _secure_3ds_card(campaign, amount, card, stripe_server, deliver):
    """A card whose saving needs 3-D Secure: pending until the backer authenticates, then secured
    by the setup_intent.succeeded event."""
    pledge = _pledge(campaign, amount, card(NEEDS_3DS))
    assert pledge.status == PledgeStatus.PENDING
    setup = pledge.attempts.get(kind="save_card")
    assert (setup.status, setup.reference[:5]) == ("pending", "seti_")
    stripe_server.authenticate_setup(setup.reference)
    event = stripe_server.wait_event("setup_intent.succeeded", setup.reference)
    assert deliver(event).status_code == 200
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SECURED
    return pledge


def test_a_failed_campaign_charges_nobody(on_success, campaign_on, card, stripe_server, run_on_commit):
    campaign = campaign_on(on_success, goal=100_000)
    pledges = [_pledge(campaign, 5_000, card()) for _ in range(3)]
    assert {p.status for p in pledges} == {PledgeStatus.SECURED}
    assert close(campaign, run_on_commit) == CampaignStatus.REFUNDED
    assert stripe_server.objects("payment_intent") == []
    assert set(Pledge.objects.values_list("status", flat=True)) == {PledgeStatus.RELEASED}
    assert stripe_server.calls("POST", "/v1/refunds") == []


def test_a_campaign_closing_with_some_cards_declined_collects_the_rest_and_waits_for_the_retry_window(
    on_success, campaign_on, card, stripe_server, run_on_commit, deliver, settings
):
    """Success is decided on the pledged total; at collection one card is declined and one needs
    3-D Secure off-session (Stripe's 402 authentication_required). Both backers are e-mailed a link;
    one authenticates on-session, the other's window runs out and the pledge is dropped; the payout is
    split on what was collected."""
    campaign = campaign_on(on_success, goal=10_000)
    good = [_pledge(campaign, 3_000, card(GOOD)) for _ in range(2)]
    declined = _pledge(campaign, 2_000, card(DECLINES_AT_CHARGE))
    needs_3ds = _secure_3ds_card(campaign, 4_000, card, stripe_server, deliver)
    mail.outbox.clear()

    assert close(campaign, run_on_commit) == CampaignStatus.SUCCEEDED
    assert campaign.raised_at_close == 12_000 and campaign.collected is None
    statuses = dict(Pledge.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in good] == [PledgeStatus.PAID] * 2
    assert statuses[declined.pk] == statuses[needs_3ds.pk] == PledgeStatus.RETRYING
    declined.refresh_from_db()
    needs_3ds.refresh_from_db()
    assert declined.attempts.get(kind="charge").code == "card_declined"
    auth = needs_3ds.attempts.get(kind="charge")
    assert (auth.code, auth.reference[:3]) == ("authentication_required", "pi_")
    retry_mails = [m for m in mail.outbox if "complete your payment" in m.subject]
    assert sorted(m.to[0] for m in retry_mails) == sorted([declined.backer.email, needs_3ds.backer.email])
    assert f"/payments/pledges/{declined.pk}/pay/" in next(
        m.body for m in retry_mails if m.to[0] == declined.backer.email
    )
    keys = {c["key"] for c in stripe_server.calls("POST", "/v1/payment_intents")}
    assert keys == {f"pledge-{p.pk}-charge" for p in [*good, declined, needs_3ds]}

    # The backer confirms the same payment on-session (3-D Secure through Stripe.js).
    from localstripe.resources import PaymentIntent

    secret = PaymentIntent._api_retrieve(auth.reference).client_secret
    import requests

    requests.post(
        f"{stripe_server.base}/v1/payment_intents/{auth.reference}/_authenticate",
        data={"client_secret": secret, "success": "true", "key": "pk_test_civicfund"},
        timeout=10,
    )
    event = stripe_server.wait_event("payment_intent.succeeded", auth.reference)
    assert deliver(event).status_code == 200
    needs_3ds.refresh_from_db()
    assert needs_3ds.status == PledgeStatus.PAID
    campaign.refresh_from_db()
    assert campaign.collected is None  # the other backer's window is still open

    assert expired_retries_drop(now=later(6)) == 0
    assert expired_retries_drop(now=later(8)) == 1
    declined.refresh_from_db()
    campaign.refresh_from_db()
    assert declined.status == PledgeStatus.DROPPED
    assert campaign.collected == 10_000  # 3,000 + 3,000 + 4,000
    assert (campaign.fee_amount, campaign.first_payout_amount, campaign.held_amount) == (500, 8_550, 950)
    assert Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST).amount == 8_550
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)


def test_a_backer_in_the_retry_window_pays_with_another_card(
    on_success, campaign_on, card, stripe_server, run_on_commit, client
):
    campaign = campaign_on(on_success, goal=5_000)
    other = _pledge(campaign, 4_000, card(GOOD))
    pledge = _pledge(campaign, 2_000, card(DECLINES_AT_CHARGE))
    close(campaign, run_on_commit)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.RETRYING

    client.force_login(pledge.backer)
    page = client.get(f"/payments/pledges/{pledge.pk}/pay/")
    assert page.status_code == 200 and b"Pay" in page.content
    new_card = card(GOOD)
    paid = pledge_retry_pay(pledge_id=pledge.pk, backer=pledge.backer, card=new_card)
    assert paid.status == PledgeStatus.PAID
    again = pledge_retry_pay(pledge_id=pledge.pk, backer=pledge.backer, card=new_card)  # a double click
    assert again.status == PledgeStatus.PAID
    succeeded = [pi for pi in stripe_server.objects("payment_intent") if pi.status == "succeeded"]
    assert sorted(pi.amount for pi in succeeded) == [2_000, 4_000]
    campaign.refresh_from_db()
    assert campaign.collected == 6_000 and other.pk
    assert ledger_audit() == []
    call_command("reconcile_stripe", campaign=campaign.pk)


def test_a_retry_window_of_zero_days_drops_a_declined_card_at_once(
    on_success, campaign_on, card, stripe_server, run_on_commit, settings
):
    settings.CIVICFUND_PLEDGE_RETRY_DAYS = 0
    campaign = campaign_on(on_success, goal=5_000)
    _pledge(campaign, 5_000, card(GOOD))
    declined = _pledge(campaign, 1_000, card(DECLINES_AT_CHARGE))
    close(campaign, run_on_commit)
    declined.refresh_from_db()
    campaign.refresh_from_db()
    assert declined.status == PledgeStatus.DROPPED
    assert campaign.collected == 5_000
