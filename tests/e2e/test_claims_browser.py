"""In a real browser (issue 15): a backer whose pre-sale reward is late files a claim from the receipt with
a photo, the owner answers it, staff decide it in the admin, and the backer sees the decision and the
money paid from the held part; the campaign's owner page lists it. The pre-sale platform speaks Persian."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone
from PIL import Image

from funding.audit import ledger_audit
from funding.services import campaign_close
from payouts.models import Payout, PayoutKind
from pledges.services import pledge_create
from presale.models import Claim, ClaimStatus
from projects.models import CampaignStatus
from tests.factories import GOOD_CARD, CampaignFactory, StaffFactory, TierFactory, UserFactory, guarantee_verified
from tests.web.conftest import verified

from .conftest import axe_check, is_rtl, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def late_reward(site):
    """A guaranteed pre-sale campaign, funded 100 days ago; its reward was promised for a month
    that ended at least 40 days ago (30 days' grace)."""
    owner = verified(UserFactory(username="maker"))
    backer = verified(UserFactory(username="hami"))
    deadline = timezone.now() - dt.timedelta(days=100)
    campaign = CampaignFactory(
        slug="presale",
        owner=owner,
        title="چراغ مطالعه خورشیدی",
        goal=1_000_000,
        status=CampaignStatus.DRAFT,
        starts_at=deadline - dt.timedelta(days=30),
        deadline=deadline,
    )
    promised_month = (timezone.now() - dt.timedelta(days=70)).date().replace(day=1)
    tier = TierFactory(
        campaign=campaign, amount=400_000, title="یک چراغ", ships=True, estimated_delivery=promised_month
    )
    guarantee_verified(campaign, amount=500_000)
    campaign.status = CampaignStatus.LIVE
    campaign.save(update_fields=["status"])
    with mock.patch("django.utils.timezone.now", return_value=deadline - dt.timedelta(hours=1)):
        pledge = pledge_create(
            campaign_id=campaign.pk, backer=backer, amount=1_000_000, tier_id=tier.pk, card=GOOD_CARD
        )
    assert campaign_close(campaign_id=campaign.pk, now=deadline) == CampaignStatus.SUCCEEDED
    return {"campaign": campaign, "pledge": pledge, "owner": owner, "backer": backer}


def _login(page, site, username):
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", "secret")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/$"))


def test_a_backer_files_a_claim_the_owner_answers_and_staff_decide_it(page, site, late_reward, tmp_path):
    pledge = late_reward["pledge"]
    _login(page, site, "hami")
    page.goto(f"{site.url}/pledges/{pledge.pk}/")
    assert is_rtl(page)
    page.locator(f"a[href='/pledges/{pledge.pk}/claim/']").click()
    page.wait_for_url(f"**/pledges/{pledge.pk}/claim/")
    photo = tmp_path / "lamp.png"
    Image.new("RGB", (8, 8), "orange").save(photo)
    page.check("input[name=ground][value=late]")
    page.fill("#id_amount", "۳۰۰۰۰۰")  # Persian digits, as a backer types them
    page.fill("#id_description", "چراغ پس از چهل روز هنوز نرسیده است.")
    page.set_input_files("#id_evidence", str(photo))
    axe_check(page, "claim form")
    page.locator("form.claim-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    claim = Claim.objects.get(pledge=pledge)
    assert (claim.amount, claim.status, claim.evidence.count()) == (300_000, ClaimStatus.FILED, 1)
    assert "در انتظار پاسخ مجری" in page.inner_text(".claim-status")

    owner_page = page.context.browser.new_context(locale="fa-IR").new_page()
    _login(owner_page, site, "maker")
    owner_page.goto(f"{site.url}/me/campaigns/{late_reward['campaign'].pk}/")
    owner_page.locator(f"ul.owner-claims a[href='/claims/{claim.pk}/']").click()
    owner_page.fill("#id_answer", "محموله در گمرک مانده است.")
    owner_page.locator("form.claim-answer-form button[type=submit]").click()
    owner_page.wait_for_load_state()
    owner_page.context.close()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ANSWERED

    StaffFactory(username="reviewer")
    admin = page.context.browser.new_context(locale="en-GB").new_page()
    admin.goto(f"{site.url}/admin/login/?next=/admin/presale/claim/")
    admin.fill("#id_username", "reviewer")
    admin.fill("#id_password", "secret")
    admin.click("input[type=submit]")
    admin.check(f"input[name=_selected_action][value='{claim.pk}']")
    admin.select_option("select[name=action]", "accept")
    admin.click("button[name=index]")
    admin.fill("textarea[name=text]", "چهل روز دیر شده و مجری تأیید کرده که ارسال نشده است.")
    admin.click("input[type=submit]")
    admin.wait_for_load_state()
    assert "done" in admin.inner_text("ul.messagelist")
    admin.context.close()

    claim.refresh_from_db()
    assert (claim.status, claim.accepted_amount, claim.from_held) == (ClaimStatus.ACCEPTED, 300_000, 95_000)
    assert Payout.objects.get(campaign=late_reward["campaign"], kind=PayoutKind.HELD).amount == 0
    page.reload()
    decision = page.inner_text("section.box")
    assert "چهل روز دیر شده" in decision and "پذیرفته‌شده" in decision
    assert "۳۰۰٬۰۰۰" in page.inner_text(".claim-accepted")
    axe_check(page, "claim decided")
    shot(page, "claim-decided-fa")
    assert ledger_audit() == []
