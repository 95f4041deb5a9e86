"""An organisation pays into its pot by card through the payment gateway (the sandbox here): credited
only when the charge succeeded, once per request key (a retry never charges twice), a declined card
writes nothing to the books, a pending charge is credited when the gateway is asked again and says paid."""

import pytest

from core.errors import ApplicationError, PaymentDeclined, PermissionDenied
from ledger.models import Transaction, TransactionKind
from partners.models import PayInStatus, Pot, PotPayIn
from partners.services.pay_ins import pot_pay_in_by_card, pot_pay_in_refresh
from payments.models import SandboxOperation
from payments.sandbox import SandboxGateway
from tests.api.conftest import assert_error, client_for

from ..factories import DECLINED_CARD, GOOD_CARD, PENDING_CARD

pytestmark = pytest.mark.django_db


def _pay_ins():
    return Transaction.objects.filter(kind=TransactionKind.POT_PAY_IN).count()


def test_a_card_pay_in_is_credited_once_per_request_key(make_pot, org_admin, audit_clean):
    pot = make_pot(paid_in=0, budget=500_000)
    pay_in = pot_pay_in_by_card(pot=pot, user=org_admin, amount=250_000, card=GOOD_CARD, key="k-1")
    assert pay_in.status == PayInStatus.SUCCEEDED and pay_in.credited_at is not None and pay_in.reference
    again = pot_pay_in_by_card(pot=pot, user=org_admin, amount=250_000, card=GOOD_CARD, key="k-1")
    assert again.pk == pay_in.pk
    assert SandboxOperation.objects.filter(kind="charge").count() == 1  # charged once
    pot = Pot.objects.get(pk=pot.pk)
    assert (pot.paid_in, pot.available, _pay_ins()) == (250_000, 250_000, 1)
    audit_clean()


def test_a_declined_card_writes_nothing_to_the_books(make_pot, org_admin, audit_clean):
    pot = make_pot(paid_in=0, budget=500_000)
    with pytest.raises(PaymentDeclined):
        pot_pay_in_by_card(pot=pot, user=org_admin, amount=250_000, card=DECLINED_CARD, key="k-2")
    assert PotPayIn.objects.get().status == PayInStatus.DECLINED
    pot = Pot.objects.get(pk=pot.pk)
    assert (pot.paid_in, pot.available, _pay_ins()) == (0, 0, 0)
    audit_clean()


def test_a_pending_card_pay_in_is_credited_when_the_gateway_says_paid(make_pot, org_admin, audit_clean):
    pot = make_pot(paid_in=0, budget=500_000)
    pay_in = pot_pay_in_by_card(pot=pot, user=org_admin, amount=100_000, card=PENDING_CARD, key="k-3")
    assert pay_in.status == PayInStatus.PENDING and Pot.objects.get(pk=pot.pk).paid_in == 0
    assert pot_pay_in_refresh(pay_in=pay_in).status == PayInStatus.PENDING  # still waiting: nothing credited
    SandboxGateway().complete_pending(pay_in.reference, "succeeded")
    done = pot_pay_in_refresh(pay_in=pay_in)
    pot_pay_in_refresh(pay_in=done)  # asked twice: credited once
    assert done.status == PayInStatus.SUCCEEDED
    assert (Pot.objects.get(pk=pot.pk).paid_in, _pay_ins()) == (100_000, 1)
    audit_clean()


def test_only_the_verified_organisations_administrator_pays_in_by_card(make_pot, org_reviewer, council, backer):
    pot = make_pot(paid_in=0, budget=500_000)
    for user in (org_reviewer, backer):
        with pytest.raises(PermissionDenied):
            pot_pay_in_by_card(pot=pot, user=user, amount=1_000, card=GOOD_CARD, key=f"x-{user.pk}")
    council.verified_at = None
    council.save(update_fields=["verified_at"])
    with pytest.raises(ApplicationError, match="not verified"):
        pot_pay_in_by_card(pot=pot, user=council.members.get(role="admin").user, amount=1_000, card=GOOD_CARD, key="y")
    assert not PotPayIn.objects.exists() and not SandboxOperation.objects.exists()


def test_card_pay_in_through_the_api(make_pot, org_admin):
    pot = make_pot(paid_in=0, budget=500_000)
    url = f"/api/v1/pots/{pot.pk}/pay-in/card/"
    body = {"amount": 50_000, "card": GOOD_CARD}
    first = client_for(org_admin).post(url, body, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert first.status_code == 201, first.json()
    assert first.json()["status"] == "succeeded" and first.json()["amount"] == 50_000
    again = client_for(org_admin).post(url, body, HTTP_IDEMPOTENCY_KEY="pay-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert_error(client_for(org_admin).post(url, {"amount": 0, "card": GOOD_CARD}, HTTP_IDEMPOTENCY_KEY="p2"), 400)
    assert_error(client_for(org_admin).post(url, {**body, "card": DECLINED_CARD}, HTTP_IDEMPOTENCY_KEY="p3"), 402)
    assert_error(client_for(org_admin).post(url, body), 400)  # no Idempotency-Key
    assert Pot.objects.get(pk=pot.pk).paid_in == 50_000
