"""In a real browser: Riverside Council's reviewer opens the council's open call, goes to the reviewers'
screen and approves a shortlisted application with a public note; the call's page then shows the
decision, and after the quadratic round each project's match (the README's screenshot of the call page)."""

from __future__ import annotations

import re

import pytest

from partners.models import Application, ApplicationStatus, Call
from partners.services.rounds import rounds_close_due
from projects.models import CampaignStatus
from web.demo import demo_users
from web.demo_calls import calls_demo_load

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_organisations_reviewer_approves_a_call_application(page, site):
    call = calls_demo_load(demo_users())
    assert call is not None
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", "council-reviewer")
    page.fill("#id_password", "council-reviewer")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))

    page.goto(f"{site.url}/civic/calls/")
    page.get_by_role("link", name="Riverside neighbourhood ideas 2026").click()
    page.wait_for_url(f"**/civic/calls/{call.pk}/")
    assert not is_rtl(page)
    page.get_by_role("link", name="Review the applications").click()
    page.wait_for_url(f"**/civic/calls/{call.pk}/review/")
    axe_check(page, "call review")
    tools = page.locator("article.application", has_text="Riverside tool library")
    assert "Shortlisted" in tools.inner_text()
    tools.get_by_label("Public note (optional)").fill("Cheap to run and the library volunteers are ready.")
    tools.get_by_role("button", name="Approve").click()
    page.wait_for_url(f"**/civic/calls/{call.pk}/review/")
    assert "Application approved" in page.locator("main").inner_text()
    application = Application.objects.select_related("campaign").get(campaign__title="Riverside tool library")
    assert application.status == ApplicationStatus.APPROVED
    assert application.campaign.status == CampaignStatus.SUBMITTED  # the platform's own review is next

    page.goto(f"{site.url}/civic/calls/{call.pk}/")
    decisions = page.locator("section", has=page.locator("#decisions-h")).inner_text()
    assert "Application approved" in decisions and "Cheap to run and the library volunteers" in decisions
    assert "Decided by: Organisation reviewer" in decisions and "Riverside Council" in decisions

    pot = Call.objects.select_related("pot").get(pk=call.pk).pot
    assert rounds_close_due(now=pot.closes_at) == 1
    page.goto(f"{site.url}/civic/calls/{call.pk}/")
    campaigns = page.locator("table.call-campaigns").inner_text()
    assert "Bee corridor along the towpath" in campaigns and "£2,500.00" in campaigns
    assert "Quadratic round closed" in page.locator("main").inner_text()
    axe_check(page, "call page")
    shot(page, "call-en")
