"""Issue 15, guarantees: a campaign on a platform that requires one cannot be submitted without a verified
guarantee lasting past the promised delivery plus the grace and the claim window; staff verify it,
record its withdrawal; it expires on its date; backers are told; the campaign page says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.errors import ApplicationError
from decisions.models import Decision
from platforms.models import Platform
from presale.guarantees import (
    guarantee_add,
    guarantee_needed_until,
    guarantee_verify,
    guarantee_withdraw,
    guarantees_expire,
)
from presale.models import Guarantee, GuaranteeStatus
from presale.selectors import delivery_due
from projects.models import CampaignStatus
from projects.services import campaign_submit
from tests.factories import CampaignFactory, PledgeFactory, StaffFactory, TierFactory

from .conftest import scan

pytestmark = pytest.mark.django_db


def draft(owner, **kwargs):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.DRAFT, **kwargs)
    TierFactory(campaign=campaign, estimated_delivery=dt.date.today() + dt.timedelta(days=120))
    return campaign


def add(campaign, owner, **overrides):
    fields = {
        "issuer": "Cooperative Development Fund",
        "reference": "G-1404-77",
        "amount": 500_000,
        "currency": campaign.currency,
        "expires_on": guarantee_needed_until(campaign),
        "document": scan(),
    }
    fields.update(overrides)
    return guarantee_add(campaign=campaign, user=owner, **fields)


def test_the_presale_preset_requires_a_guarantee_and_the_others_do_not():
    required = dict(Platform.objects.values_list("slug", "guarantee_required"))
    assert required == {"arts": False, "charity": False, "presale": True, "civic": False}


def test_a_presale_draft_without_a_verified_guarantee_cannot_be_submitted(owner):
    campaign = draft(owner)
    with pytest.raises(ApplicationError) as refused:
        campaign_submit(campaign=campaign, user=owner)
    assert refused.value.code == "guarantee_required"

    add(campaign, owner)  # filed, not yet verified
    with pytest.raises(ApplicationError):
        campaign_submit(campaign=campaign, user=owner)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_a_verified_guarantee_lets_the_draft_be_submitted_and_records_the_decision(owner):
    campaign = draft(owner)
    staff = StaffFactory()
    guarantee = guarantee_verify(guarantee=add(campaign, owner), staff=staff)
    assert guarantee.status == GuaranteeStatus.VERIFIED
    assert Decision.objects.filter(campaign=campaign, kind="guarantee.verified", subject_id=guarantee.pk).exists()
    campaign_submit(campaign=campaign, user=owner)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED


def test_a_platform_that_does_not_require_one_submits_without(owner):
    campaign = CampaignFactory(slug="arts", owner=owner, status=CampaignStatus.DRAFT)
    TierFactory(campaign=campaign)
    campaign_submit(campaign=campaign, user=owner)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"issuer": " "}, "issuer"),
        ({"reference": ""}, "reference"),
        ({"amount": 0}, "amount"),
        ({"currency": "GBP"}, "currency"),
        ({"document": scan("x.pdf", b"MZ not a pdf")}, "document"),
    ],
)
def test_bad_guarantee_input_is_refused_and_nothing_is_written(owner, overrides, field):
    campaign = draft(owner)
    with pytest.raises(ApplicationError) as refused:
        add(campaign, owner, **overrides)
    assert refused.value.field == field
    assert not Guarantee.objects.exists()


def test_a_guarantee_ending_before_delivery_plus_grace_and_claim_window_is_refused(owner):
    campaign = draft(owner)
    platform = campaign.platform
    needed = delivery_due(campaign.tiers.get()) + dt.timedelta(
        days=platform.delivery_grace_days + platform.claim_window_days
    )
    assert guarantee_needed_until(campaign) == needed
    with pytest.raises(ApplicationError) as refused:
        add(campaign, owner, expires_on=needed - dt.timedelta(days=1))
    assert refused.value.code == "guarantee_too_short"
    assert not Guarantee.objects.exists()


def test_only_the_owner_files_a_guarantee_and_only_one_at_a_time(owner, backer):
    campaign = draft(owner)
    with pytest.raises(ApplicationError):
        add(campaign, backer)
    add(campaign, owner)
    with pytest.raises(ApplicationError) as refused:
        add(campaign, owner, reference="G-2")
    assert refused.value.code == "guarantee_exists"
    assert Guarantee.objects.count() == 1


def test_staff_are_told_of_a_new_guarantee_and_the_owner_of_its_verification(owner, run_on_commit):
    campaign = draft(owner)
    staff = StaffFactory(email="staff@example.org")
    with run_on_commit():
        guarantee = add(campaign, owner)
    assert [m.to for m in mail.outbox] == [["staff@example.org"]]
    mail.outbox.clear()
    with run_on_commit():
        guarantee_verify(guarantee=guarantee, staff=staff)
    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_a_withdrawn_guarantee_is_shown_as_such_and_backers_are_told(owner, client, run_on_commit):
    campaign = draft(owner)
    staff = StaffFactory(email="staff@example.org")
    with run_on_commit():
        guarantee = guarantee_verify(guarantee=add(campaign, owner), staff=staff)
    campaign.status = CampaignStatus.LIVE
    campaign.save()
    pledge = PledgeFactory(campaign=campaign)
    page = reverse("campaign", args=["presale", campaign.pk])
    html = client.get(page).content.decode()  # the pre-sale preset speaks Persian
    assert 'class="guarantee guarantee-verified"' in html
    assert "با ضمانت Cooperative Development Fund تا سقف" in html

    with pytest.raises(ApplicationError):
        guarantee_withdraw(guarantee=guarantee, staff=staff, reason="")
    mail.outbox.clear()
    with run_on_commit():
        guarantee_withdraw(guarantee=guarantee, staff=staff, reason="The fund cancelled it on 1 Dey.")
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert recipients == sorted([owner.email, pledge.backer.email, "staff@example.org"])
    html = client.get(page).content.decode()
    assert "guarantee-verified" not in html
    assert "ضمانت‌نامه Cooperative Development Fund در" in html and "از سوی صادرکننده باطل شد" in html
    decision = Decision.objects.get(kind="guarantee.withdrawn")
    assert decision.reason == "The fund cancelled it on 1 Dey."


def test_a_guarantee_expires_the_day_after_its_last_day_in_the_platforms_time_zone(owner, run_on_commit):
    campaign = draft(owner)
    guarantee = guarantee_verify(guarantee=add(campaign, owner), staff=StaffFactory())
    last_day = guarantee.expires_on
    # 23:00 UTC on the last day is already the next day in Tehran (UTC+3:30).
    evening = timezone.make_aware(dt.datetime.combine(last_day, dt.time(19, 0)), dt.UTC)
    assert guarantees_expire(now=evening) == 0
    later = timezone.make_aware(dt.datetime.combine(last_day, dt.time(21, 0)), dt.UTC)
    with run_on_commit():
        assert guarantees_expire(now=later) == 1
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.EXPIRED
    assert Decision.objects.filter(kind="guarantee.expired", actor_role="system").exists()
    assert any("منقضی شد" in m.subject for m in mail.outbox)
    assert guarantees_expire(now=later) == 0


def test_the_guarantee_document_is_served_to_staff_only(owner, client, backer):
    campaign = draft(owner)
    guarantee = add(campaign, owner)
    url = reverse("guarantee-document", args=[guarantee.pk])
    assert client.get(url).status_code in (302, 404)
    client.force_login(owner)
    assert client.get(url).status_code == 404
    client.force_login(backer)
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
