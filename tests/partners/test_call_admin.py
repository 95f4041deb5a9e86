"""Staff's pages for calls: a call added in the admin is published through the service (its rules shown
next to the fields, nothing written on a refusal; the decision recorded), its terms fixed once published;
the round closed by an admin action once the pot's window has ended; applications read-only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import ActorRole, Decision
from partners.models import Call, Match

from ..factories import StaffFactory
from .calls_helpers import approved_live, call_make

pytestmark = pytest.mark.django_db


def _form(council, **over):
    now = timezone.now()
    data = {
        "organisation": council.pk,
        "title": "Play streets",
        "theme": "Children's play",
        "description": "Streets closed to traffic for play.",
        "criteria": "Neighbours' support.",
        "applications_open_at_0": now.strftime("%Y-%m-%d"),
        "applications_open_at_1": "09:00:00",
        "applications_close_at_0": (now + dt.timedelta(days=10)).strftime("%Y-%m-%d"),
        "applications_close_at_1": "09:00:00",
        "campaigns_deadline_0": (now + dt.timedelta(days=40)).strftime("%Y-%m-%d"),
        "campaigns_deadline_1": "09:00:00",
        "applications-TOTAL_FORMS": "0",
        "applications-INITIAL_FORMS": "0",
    }
    data.update(over)
    return data


def test_staff_publish_a_call_in_the_admin_through_the_service(client, council):
    client.force_login(StaffFactory(is_superuser=True))
    url = reverse("admin:partners_call_add")
    bad = client.post(url, _form(council, campaigns_deadline_0=timezone.now().strftime("%Y-%m-%d")))
    assert bad.status_code == 200 and "must come after applications close" in bad.content.decode()
    assert not Call.objects.exists()
    response = client.post(url, _form(council))
    assert response.status_code == 302, response.content.decode()[-2000:]
    call = Call.objects.get()
    assert (call.status, call.platform) == ("published", council.platform)
    assert Decision.objects.get(kind="call.published").actor_role == ActorRole.STAFF


def test_the_admin_closes_a_due_round_and_applications_are_read_only(
    client, council, org_admin, make_pot, make_backers, pledge
):
    pot = make_pot(rule="quadratic", ratio=None, paid_in=10_000)
    call = call_make(council, org_admin, pot=pot)
    campaign = approved_live(call)
    for backer in make_backers(2):
        pledge(campaign, backer, 100)
    client.force_login(StaffFactory(is_superuser=True))
    changelist = reverse("admin:partners_call_changelist")
    client.post(changelist, {"action": "close_round", "_selected_action": [call.pk]})
    assert not Match.objects.exists()  # the pot's window has not ended
    type(pot).objects.filter(pk=pot.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    client.post(changelist, {"action": "close_round", "_selected_action": [call.pk]})
    assert [m.amount for m in Match.objects.all()] == [10_000]
    assert client.get(reverse("admin:partners_application_add")).status_code == 403
