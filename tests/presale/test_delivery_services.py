"""Issue 15, delivery: backers of a reward that ships give an address; the owner marks rewards shipped
(one by one or from a CSV file: a bad row and nothing is written); the backer confirms receipt or reports a
problem; e-mails; addresses are private and deleted the platform's keep days after delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.errors import ApplicationError
from core.outbox import outbox_send
from pledges.models import PledgeStatus
from presale.delivery import (
    addresses_forget,
    deliveries_ship_csv,
    delivery_confirm,
    delivery_problem_report,
    delivery_ship,
    shipping_address_check,
    shipping_address_keep,
)
from presale.models import Delivery, DeliveryStatus, ShippingAddress
from presale.selectors import can_see_addresses, delivery_status
from projects.models import CampaignStatus
from tests.factories import CampaignFactory, PledgeFactory, StaffFactory, TierFactory, UserFactory, mail_clear

pytestmark = pytest.mark.django_db

ADDRESS = {
    "recipient": "Sara Ahmadi",
    "phone": "+98 912 000 0000",
    "address": "No. 12, Azadi St.",
    "city": "Tehran",
    "region": "Tehran",
    "postal_code": "1234567890",
    "country": "ir",
}


@pytest.fixture
def funded(owner):
    campaign = CampaignFactory(slug="presale", owner=owner, status=CampaignStatus.SUCCEEDED)
    tier = TierFactory(campaign=campaign, ships=True, estimated_delivery=dt.date(2027, 3, 1))
    return campaign, tier


def paid(campaign, tier, **kwargs):
    pledge = PledgeFactory(campaign=campaign, tier=tier, **kwargs)
    ShippingAddress.objects.create(pledge=pledge, **{**ADDRESS, "country": "IR"})
    return pledge


def test_a_reward_that_ships_needs_an_address_and_one_that_does_not_keeps_none():
    ships = TierFactory(ships=True, estimated_delivery=dt.date(2027, 3, 1))
    with pytest.raises(ApplicationError) as refused:
        shipping_address_check(tier=ships, address=None)
    assert refused.value.code == "address_required"
    with pytest.raises(ApplicationError) as refused:
        shipping_address_check(tier=ships, address={**ADDRESS, "postal_code": " "})
    assert refused.value.field == "shipping_address.postal_code"
    with pytest.raises(ApplicationError) as refused:
        shipping_address_check(tier=ships, address={**ADDRESS, "country": "Iran"})
    assert refused.value.field == "shipping_address.country"
    assert shipping_address_check(tier=ships, address=ADDRESS)["country"] == "IR"
    assert shipping_address_check(tier=TierFactory(), address=ADDRESS) is None
    assert shipping_address_check(tier=None, address=ADDRESS) is None


def test_a_replayed_pledge_request_keeps_the_first_address(funded):
    campaign, tier = funded
    pledge = PledgeFactory(campaign=campaign, tier=tier)
    first = shipping_address_check(tier=tier, address=ADDRESS)
    shipping_address_keep(pledge=pledge, address=first)
    shipping_address_keep(pledge=pledge, address={**first, "city": "Shiraz"})
    assert ShippingAddress.objects.get(pledge=pledge).city == "Tehran"


def test_the_owner_ships_a_reward_and_the_backer_is_emailed_the_tracking_reference(funded, owner):
    campaign, tier = funded
    pledge = paid(campaign, tier)
    mail_clear()
    delivery_ship(pledge=pledge, user=owner, tracking_reference="RR123456789IR")
    pledge.refresh_from_db()
    assert delivery_status(pledge) == DeliveryStatus.SHIPPED
    assert pledge.delivery.tracking_reference == "RR123456789IR"
    outbox_send()
    assert [m.to for m in mail.outbox] == [[pledge.backer.email]]
    assert "RR123456789IR" in mail.outbox[0].body


def test_only_the_owner_ships_and_only_paid_pledges_of_a_funded_campaign(funded, owner):
    campaign, tier = funded
    pledge = paid(campaign, tier)
    with pytest.raises(ApplicationError):
        delivery_ship(pledge=pledge, user=pledge.backer)
    refunded = paid(campaign, tier, status=PledgeStatus.REFUNDED)
    with pytest.raises(ApplicationError) as refused:
        delivery_ship(pledge=refunded, user=owner)
    assert refused.value.code == "not_paid"
    digital = PledgeFactory(campaign=campaign, tier=TierFactory(campaign=campaign))
    with pytest.raises(ApplicationError) as refused:
        delivery_ship(pledge=digital, user=owner)
    assert refused.value.code == "not_shipped_reward"
    live = CampaignFactory(slug="presale", owner=owner)
    early = paid(live, TierFactory(campaign=live, ships=True, estimated_delivery=dt.date(2027, 3, 1)))
    with pytest.raises(ApplicationError) as refused:
        delivery_ship(pledge=early, user=owner)
    assert refused.value.code == "campaign_not_funded"
    assert not Delivery.objects.exists()


def test_the_backer_confirms_receipt_and_a_delivered_reward_cannot_be_shipped_again(funded, owner):
    campaign, tier = funded
    pledge = paid(campaign, tier)
    delivery_ship(pledge=pledge, user=owner, tracking_reference="A1")
    with pytest.raises(ApplicationError):
        delivery_confirm(pledge=pledge, backer=owner)
    delivery = delivery_confirm(pledge=pledge, backer=pledge.backer)
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.confirmed_at is not None
    with pytest.raises(ApplicationError) as refused:
        delivery_ship(pledge=pledge, user=owner, tracking_reference="A2")
    assert refused.value.code == "delivery_transition"
    assert Delivery.objects.get(pledge=pledge).tracking_reference == "A1"


def test_a_reported_problem_emails_the_owner_and_staff_and_the_owner_may_ship_again(funded, owner):
    campaign, tier = funded
    staff = StaffFactory()
    pledge = paid(campaign, tier)
    delivery_ship(pledge=pledge, user=owner, tracking_reference="A1")
    with pytest.raises(ApplicationError) as refused:
        delivery_problem_report(pledge=pledge, backer=pledge.backer, text="  ")
    assert refused.value.field == "problem"
    mail_clear()
    delivery_problem_report(pledge=pledge, backer=pledge.backer, text="The box arrived crushed.")
    outbox_send()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([owner.email, staff.email])
    assert "The box arrived crushed." in mail.outbox[0].body
    assert delivery_ship(pledge=pledge, user=owner, tracking_reference="A2").status == DeliveryStatus.SHIPPED


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_a_good_csv_file_ships_every_row_and_a_header_line_is_allowed(funded, owner):
    campaign, tier = funded
    a, b = paid(campaign, tier), paid(campaign, tier)
    report = deliveries_ship_csv(
        campaign=campaign, user=owner, content=csv_bytes("pledge_id,tracking_reference", f"{a.pk},T-1", f"{b.pk},T-2")
    )
    assert report.ok and report.shipped == [a.pk, b.pk]
    assert dict(Delivery.objects.values_list("pledge_id", "tracking_reference")) == {a.pk: "T-1", b.pk: "T-2"}


def test_a_csv_file_with_bad_rows_reports_each_by_line_and_writes_nothing(funded, owner):
    campaign, tier = funded
    good, delivered = paid(campaign, tier), paid(campaign, tier)
    delivery_confirm(pledge=delivered, backer=delivered.backer)
    other = paid(CampaignFactory(slug="presale", status=CampaignStatus.SUCCEEDED), tier)
    refunded = paid(campaign, tier, status=PledgeStatus.REFUNDED)
    report = deliveries_ship_csv(
        campaign=campaign,
        user=owner,
        content=csv_bytes(
            f"{good.pk},T-1",  # line 1: fine
            "abc,T-2",  # 2: not a number
            f"{good.pk},T-3",  # 3: twice
            f"{delivered.pk},T-4",  # 4: delivered already
            f"{other.pk},T-5",  # 5: another campaign's
            f"{refunded.pk},T-6",  # 6: refunded
            f"{good.pk + 1000},{'x' * 121}",  # 7: reference too long
        ),
    )
    assert [line for line, _ in report.errors] == [2, 3, 4, 5, 6, 7]
    assert not report.shipped
    assert delivery_status(good) == DeliveryStatus.OUTSTANDING
    assert not Delivery.objects.filter(status=DeliveryStatus.SHIPPED).exists()


def test_a_file_that_is_not_csv_text_is_refused(funded, owner):
    campaign, _tier = funded
    with pytest.raises(ApplicationError) as refused:
        deliveries_ship_csv(campaign=campaign, user=owner, content=b"\xff\xfe\x00binary")
    assert refused.value.code == "csv_not_text"
    with pytest.raises(ApplicationError):
        deliveries_ship_csv(campaign=campaign, user=UserFactory(), content=csv_bytes("1,T"))


def test_addresses_are_deleted_the_keep_days_after_delivery_and_the_job_is_idempotent(funded, owner):
    campaign, tier = funded
    keep = campaign.platform.address_keep_days
    now = timezone.now()
    delivered, waiting = paid(campaign, tier), paid(campaign, tier)
    delivery_confirm(pledge=delivered, backer=delivered.backer, now=now - dt.timedelta(days=keep, hours=1))
    ended = paid(campaign, tier, status=PledgeStatus.REFUNDED, ended_at=now - dt.timedelta(days=keep + 1))
    recent = paid(campaign, tier)
    delivery_confirm(pledge=recent, backer=recent.backer, now=now - dt.timedelta(days=keep - 1))
    assert addresses_forget(now=now) == 2
    assert addresses_forget(now=now) == 0
    kept = set(ShippingAddress.objects.values_list("pledge_id", flat=True))
    assert kept == {waiting.pk, recent.pk}
    assert ended.pk not in kept


def test_addresses_are_for_the_owner_and_staff_only(funded, owner):
    campaign, _tier = funded
    assert can_see_addresses(campaign, owner)
    assert can_see_addresses(campaign, StaffFactory())
    assert not can_see_addresses(campaign, UserFactory())
