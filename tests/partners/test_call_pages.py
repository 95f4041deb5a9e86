"""The open calls' pages: a platform's calls, a call's public page (campaigns with progress, the pot's use,
each match after the round, its decisions), the owner's apply form and the reviewers' screen; in both
languages (the Persian platform's pages right to left with Jalali dates)."""

import pytest

from partners.models import Application, ApplicationStatus
from partners.services.calls import application_submit
from partners.services.rounds import round_close
from projects.models import CampaignStatus

from ..factories import UserFactory
from .calls_helpers import approved_live, call_make, draft_make
from .conftest import organisation_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(council, org_admin, make_pot):
    pot = make_pot(rule="quadratic", ratio=None, paid_in=10_000, cap_percent=100)
    return call_make(council, org_admin, pot=pot)


def test_the_platform_lists_its_calls_and_the_call_page_says_what_it_is(client, call):
    listing = client.get("/civic/calls/").content.decode()
    assert "Greener streets 2026" in listing and "Taking applications" in listing
    page = client.get(f"/civic/calls/{call.pk}/").content.decode()
    for text in ("Riverside Council", "Trees and green spaces", "Local support, a maintenance plan", "£100.00"):
        assert text in page
    assert "Open call published" in page  # the decision on the page


def test_after_the_round_the_page_shows_each_campaigns_match(client, call, make_backers, pledge):
    many = approved_live(call, title="Street trees")
    one = approved_live(call, title="One big giver")
    for backer in make_backers(4):
        pledge(many, backer, 100)
    pledge(one, make_backers(1)[0], 5_000)
    round_close(call=call, now=call.pot.closes_at)
    page = client.get(f"/civic/calls/{call.pk}/").content.decode()
    assert "Street trees" in page and "One big giver" in page
    assert '<td class="match">£100.00' in page and '<td class="match">£0.00' in page
    assert "Quadratic round closed" in page


def test_an_owner_applies_from_the_call_page(client, call):
    draft = draft_make(title="Pocket park")
    client.force_login(draft.owner)
    page = client.get(f"/civic/calls/{call.pk}/").content.decode()
    assert "Pocket park" in page and "Apply to this call" in page
    response = client.post(f"/civic/calls/{call.pk}/apply/", {"campaign": draft.pk})
    assert response.status_code == 302
    assert Application.objects.get().campaign == draft


def test_a_reviewer_approves_and_declines_on_the_review_screen(client, call, org_reviewer):
    a, b = draft_make(title="Pocket park"), draft_make(title="Bike shed")
    first = application_submit(call=call, campaign=a, user=a.owner)
    second = application_submit(call=call, campaign=b, user=b.owner)
    client.force_login(org_reviewer)
    screen = client.get(f"/civic/calls/{call.pk}/review/").content.decode()
    assert "Pocket park" in screen and "Bike shed" in screen
    client.post(f"/applications/{first.pk}/approve/", {"note": "Good plan."})
    client.post(f"/applications/{second.pk}/decline/", {"reason": "Outside the borough."})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)
    a.refresh_from_db()
    assert a.status == CampaignStatus.SUBMITTED
    page = client.get(f"/civic/calls/{call.pk}/").content.decode()
    assert "Outside the borough." in page and "Good plan." in page and "Organisation reviewer" in page


def test_the_review_screen_and_decisions_are_for_the_calls_organisation_only(client, call, civic):
    draft = draft_make()
    application = application_submit(call=call, campaign=draft, user=draft.owner)
    outsider = UserFactory()
    organisation_make(civic, "Other Trust", reviewer=outsider)
    client.force_login(outsider)
    assert client.get(f"/civic/calls/{call.pk}/review/").status_code == 403
    client.post(f"/applications/{application.pk}/approve/")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_persian_call_page_is_right_to_left_with_jalali_dates(client, make_backers):
    from partners.models import MemberRole, Membership
    from tests.factories import platform

    arts = platform("arts")
    admin = UserFactory()
    organisation = organisation_make(arts, "Tehran Arts Fund")
    Membership.objects.create(organisation=organisation, user=admin, role=MemberRole.ADMIN)
    call = call_make(organisation, admin)
    page = client.get(f"/arts/calls/{call.pk}/").content.decode()
    assert 'dir="rtl"' in page and "۱۴۰" in page  # a Jalali year in Persian digits


def test_calls_taking_applications_are_listed_before_closed_ones(client, council, org_admin):
    from partners.models import Call, CallStatus

    closed = call_make(council, org_admin, title="Last year's call")
    Call.objects.filter(pk=closed.pk).update(status=CallStatus.CLOSED)
    call_make(council, org_admin, title="This year's call")
    listing = client.get("/civic/calls/").content.decode()
    assert listing.index("This year&#x27;s call") < listing.index("Last year&#x27;s call")
