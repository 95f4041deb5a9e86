"""Owners give the account their money is paid to (an IBAN on platforms in pounds, a Sheba on the
Iranian ones) before a campaign can be submitted; the numbers are checked (check digits, the country's
format); only the owner and the Finance staff see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.errors import ApplicationError
from payouts.details import account_number_clean, bank_details_save
from payouts.models import BankDetails
from projects import services
from projects.models import CampaignStatus
from tests.factories import GOOD_IBAN, GOOD_SHEBA, CampaignFactory, PayoutFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_typed_iban_is_kept_compact_and_a_wrong_check_digit_is_refused():
    assert account_number_clean("gb82 west 1234 5698 7654 32", field="iban") == GOOD_IBAN
    with pytest.raises(ApplicationError) as refused:
        account_number_clean("GB82 WEST 1234 5698 7654 33", field="iban")
    assert refused.value.field == "iban"


def test_a_sheba_may_be_typed_in_persian_digits_or_without_ir():
    persian = "IR۲۷ ۰۱۷۰ ۰۰۰۰ ۰۰۱۰ ۰۳۲۴ ۲۰۰۰ ۰۱"
    assert account_number_clean(persian, field="sheba") == GOOD_SHEBA
    assert account_number_clean(GOOD_SHEBA[2:], field="sheba") == GOOD_SHEBA


@pytest.mark.parametrize(
    ("number", "field"),
    [
        ("IR280170000000100324200001", "sheba"),  # a wrong check digit
        ("IR27017000000010032420000", "sheba"),  # one digit short
        (GOOD_IBAN, "sheba"),  # a British account is not a Sheba
        (GOOD_SHEBA, "iban"),  # an Iranian account goes in the Sheba field
        ("not a number", "iban"),
    ],
)
def test_numbers_that_are_not_accounts_of_the_right_kind_are_refused(number, field):
    with pytest.raises(ApplicationError):
        account_number_clean(number, field=field)


def test_bank_details_need_a_holder_and_an_account():
    user = UserFactory(bank_details=False)
    with pytest.raises(ApplicationError):
        bank_details_save(user=user, holder_name="Ann", iban="", sheba="")
    with pytest.raises(ApplicationError):
        bank_details_save(user=user, holder_name=" ", iban=GOOD_IBAN)
    assert not BankDetails.objects.filter(user=user).exists()


def _draft(owner, slug):
    return CampaignFactory(owner=owner, slug=slug, status=CampaignStatus.DRAFT)


def test_an_owner_without_a_sheba_cannot_submit_on_an_iranian_platform():
    owner = UserFactory(bank_details=False)
    bank_details_save(user=owner, holder_name="Ann", iban=GOOD_IBAN)  # an IBAN is not enough here
    campaign = _draft(owner, "charity")
    with pytest.raises(ApplicationError) as refused:
        services.campaign_submit(campaign=campaign, user=owner)
    assert refused.value.code == "bank_details_required"
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT

    bank_details_save(user=owner, holder_name="Ann", iban=GOOD_IBAN, sheba=GOOD_SHEBA)
    services.campaign_submit(campaign=campaign, user=owner)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SUBMITTED


def test_an_owner_without_an_iban_cannot_submit_on_a_platform_in_pounds(client):
    owner = UserFactory(bank_details=False)
    campaign = _draft(owner, "civic")
    client.force_login(owner)
    page = client.post(reverse("owner-campaign-submit", args=[campaign.pk]), follow=True).content.decode()
    assert "Add your IBAN" in page
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_the_bank_details_page_refuses_a_bad_iban_and_keeps_a_good_one(client):
    owner = UserFactory(bank_details=False)
    client.force_login(owner)
    url = reverse("my-bank-details")
    bad = client.post(url, {"holder_name": "Ann Smith", "iban": "GB82 WEST 1234 5698 7654 33", "sheba": ""})
    assert bad.status_code == 200
    assert "not a valid IBAN" in bad.content.decode()
    assert not BankDetails.objects.filter(user=owner).exists()

    client.post(url, {"holder_name": "Ann Smith", "iban": "GB82 WEST 1234 5698 7654 32", "sheba": ""})
    assert BankDetails.objects.get(user=owner).iban == GOOD_IBAN
    assert "GB82WEST12345698765432" in client.get(url).content.decode()


def test_the_api_sets_and_reads_only_the_callers_bank_details(client):
    owner, other = UserFactory(bank_details=False), UserFactory(bank_details=False)
    bank_details_save(user=other, holder_name="Other", sheba=GOOD_SHEBA)
    client.force_login(owner)
    url = "/api/v1/me/bank-details/"
    assert client.get(url).status_code == 404
    bad = client.put(
        url, {"holder_name": "Ann", "sheba": "IR280170000000100324200001"}, content_type="application/json"
    )
    assert bad.status_code == 400
    good = client.put(url, {"holder_name": "Ann", "sheba": GOOD_SHEBA}, content_type="application/json")
    assert good.status_code == 200
    assert client.get(url).json()["sheba"] == GOOD_SHEBA
    assert BankDetails.objects.get(user=other).holder_name == "Other"


def test_the_payout_screen_shows_the_amount_and_the_account_to_finance_staff_only(client):
    payout = PayoutFactory(amount=855_000)  # on arts, in toman: paid to the owner's Sheba
    change = reverse("admin:payouts_payout_change", args=[payout.pk])
    client.force_login(StaffFactory(is_superuser=False))  # Reviewers and Finance
    page = client.get(change).content.decode()
    assert "IR27 0170 0000 0010 0324 2000 01" in page
    assert "855,000" in page
    client.force_login(StaffFactory(groups=["Reviewers"], is_superuser=False))
    page = client.get(change)
    assert GOOD_SHEBA[:8] not in page.content.decode().replace(" ", "")
