"""Staff's pot pages in the Django admin: a pot is created and edited with the pot service's checks (a
rule that cannot work is shown next to its field and nothing is written), a bank transfer is recorded
as a ledger movement organisation → pot, and a pot closed early has its public reason in the decision log."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from ledger.models import Transaction, TransactionKind
from partners.models import Pot, PotStatus

from ..factories import CampaignFactory, StaffFactory

pytestmark = pytest.mark.django_db

WHEN = "%Y-%m-%d"


@pytest.fixture
def admin_client(client):
    staff = StaffFactory(is_superuser=True, username="admin-staff")
    client.force_login(staff)
    client.staff = staff
    return client


def _form(organisation, **change):
    now = timezone.now()
    data = {
        "organisation": organisation.pk,
        "name": "Riverside match fund",
        "budget": "500000",
        "opens_at_0": now.strftime(WHEN),
        "opens_at_1": "00:00:00",
        "closes_at_0": (now + dt.timedelta(days=60)).strftime(WHEN),
        "closes_at_1": "00:00:00",
        "rule": "linear",
        "ratio": "1",
        "cap_per_pledge": "",
        "cap_per_campaign": "500000",
        "cap_per_campaign_percent": "",
        "matched_pledges_per_backer": "1",
        "milestone_percent": "",
        "milestone_backers": "",
        "grant_amount": "",
        "grant_percent": "",
        "cap_percent": "",
        "campaigns": "",
    }
    data.update(change)
    return data


def _errors(response) -> str:
    assert response.status_code == 200, "the form should come back with its errors"
    return str(response.context["adminform"].form.errors)


def test_staff_create_a_linear_pot_in_the_admin(admin_client, council):
    response = admin_client.post(reverse("admin:partners_pot_add"), _form(council))
    assert response.status_code == 302, response.content.decode()[:2000]
    pot = Pot.objects.get()
    assert (pot.platform, pot.currency, pot.budget, pot.cap_per_campaign) == (council.platform, "GBP", 500000, 500000)
    assert pot.ratio == 1 and pot.available == 0


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ratio": "0"}, "ratio", "more than 0"),
        ({"cap_per_pledge": "0"}, "cap_per_pledge", "at least one unit"),
        ({"cap_per_campaign": "0"}, "cap_per_campaign", "at least one unit"),
        ({"budget": "0"}, "budget", "at least one unit"),
        ({"closes_at_0": "2020-01-01"}, "closes_at", "end after it opens"),
        ({"matched_pledges_per_backer": "0"}, "matched_pledges_per_backer", "At least one pledge"),
    ],
)
def test_a_pot_rule_that_cannot_work_is_refused_in_the_admin(admin_client, council, change, field, message):
    response = admin_client.post(reverse("admin:partners_pot_add"), _form(council, **change))
    errors = response.context["adminform"].form.errors
    assert message in str(errors[field])
    assert not Pot.objects.exists()


def test_the_admin_refuses_an_unverified_organisation_and_another_platforms_campaign(admin_client, council, company):
    assert "not verified" in _errors(admin_client.post(reverse("admin:partners_pot_add"), _form(company)))
    elsewhere = CampaignFactory(slug="arts")
    response = admin_client.post(reverse("admin:partners_pot_add"), _form(council, campaigns=str(elsewhere.pk)))
    assert "of the pot's platform" in response.context["adminform"].form.errors["campaigns"][0]
    assert not Pot.objects.exists()


def test_staff_edit_a_pot_checked_as_at_creation(admin_client, make_pot):
    pot = make_pot(paid_in=10_000, budget=20_000)
    url = reverse("admin:partners_pot_change", args=[pot.pk])
    data = _form(pot.organisation, budget="20000", ratio="2")
    del data["organisation"], data["rule"]
    assert "more than 0" in _errors(admin_client.post(url, {**data, "ratio": "0"}))
    assert "less than what was paid in" in _errors(admin_client.post(url, {**data, "budget": "9999"}))
    pot.refresh_from_db()
    assert pot.ratio == 1 and pot.budget == 20_000
    assert admin_client.post(url, data).status_code == 302
    pot.refresh_from_db()
    assert pot.ratio == 2 and pot.rule == "linear" and pot.available == 10_000


def test_staff_record_a_bank_transfer_as_a_ledger_movement(admin_client, make_pot):
    pot = make_pot(paid_in=0, budget=200_000)
    changelist = reverse("admin:partners_pot_changelist")
    ask = admin_client.post(changelist, {"action": "pay_in", "_selected_action": [pot.pk]})
    assert ask.status_code == 200 and b"Bank transfer reference" in ask.content
    done = admin_client.post(
        changelist,
        {"action": "pay_in", "_selected_action": [pot.pk], "apply": "1", "amount": "1,250.50", "reference": "BACS-7"},
    )
    assert done.status_code == 302
    pot.refresh_from_db()
    assert (pot.paid_in, pot.available) == (125_050, 125_050)
    assert Transaction.objects.filter(kind=TransactionKind.POT_PAY_IN).count() == 1
    again = admin_client.post(
        changelist,
        {"action": "pay_in", "_selected_action": [pot.pk], "apply": "1", "amount": "10", "reference": "BACS-7"},
    )
    assert again.status_code == 200 and b"recorded already" in again.content
    bad = admin_client.post(
        changelist,
        {"action": "pay_in", "_selected_action": [pot.pk], "apply": "1", "amount": "0", "reference": "BACS-8"},
    )
    assert bad.status_code == 200
    pot.refresh_from_db()
    assert pot.paid_in == 125_050 and Transaction.objects.filter(kind=TransactionKind.POT_PAY_IN).count() == 1


def test_staff_close_a_pot_early_with_a_public_reason(admin_client, make_pot, audit_clean):
    pot = make_pot(paid_in=40_000)
    changelist = reverse("admin:partners_pot_changelist")
    response = admin_client.post(
        changelist,
        {"action": "close_early", "_selected_action": [pot.pk], "apply": "1", "text": "The council's budget was cut."},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [f"{pot}: done."]
    pot.refresh_from_db()
    assert pot.status == PotStatus.CLOSED and pot.available == 0
    decision = Decision.objects.get(kind="pot.closed_early")
    assert decision.reason == "The council's budget was cut." and decision.actor == admin_client.staff
    assert Transaction.objects.filter(kind=TransactionKind.POT_RETURN).count() == 1
    audit_clean()
