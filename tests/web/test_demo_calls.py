"""The civic demo's open call: Riverside Council (verified) with a quadratic round, two projects approved by
its reviewer and the platform and backed, one shortlisted, one declined with its reason; the round,
closed by the scheduled job once its pot's window ends, shares the pot and the books stay clean."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from funding.audit import ledger_audit
from partners.models import ApplicationStatus, Call, Match
from partners.services.rounds import rounds_close_due
from projects.models import CampaignStatus

pytestmark = pytest.mark.django_db


def test_the_civic_demo_has_the_councils_open_call_with_a_quadratic_round(client):
    call_command("load_demo", stdout=StringIO())
    call = Call.objects.select_related("organisation", "pot").get()
    assert call.organisation.slug == "riverside-council" and call.organisation.is_verified
    assert (call.pot.rule, call.pot.paid_in) == ("quadratic", 1_000_000)
    statuses = sorted(call.applications.values_list("status", flat=True))
    assert statuses == sorted(["approved", "approved", "shortlisted", "declined"])
    live = [a.campaign for a in call.applications.filter(status=ApplicationStatus.APPROVED)]
    assert all(c.status == CampaignStatus.LIVE for c in live)
    page = client.get(f"/civic/calls/{call.pk}/").content.decode()
    assert "Bee corridor along the towpath" in page and "parks budget for next year" in page
    assert "Late-night skate park lights" not in page  # a declined draft is not named in public
    call_command("load_demo", stdout=StringIO())
    assert Call.objects.count() == 1
    assert rounds_close_due(now=call.pot.closes_at) == 1
    # six neighbours back the bee corridor, two the crossing: capped at 25% of £10,000 each
    assert sorted(Match.objects.filter(pot=call.pot).values_list("amount", flat=True)) == [250_000, 250_000]
    assert ledger_audit(now=timezone.now()) == []
