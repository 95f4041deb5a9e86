"""Demo data of reward delivery: one guaranteed pre-sale campaign, funded and its first payout paid (its
10% held part still in escrow), whose rewards are partly delivered, partly shipped, and one late (promised
for a month long past, plus the grace, and still not shipped). Claims build on it: find it with
`demo_delivery_campaign()` (its title is `DEMO_DELIVERY_TITLE`); the late reward is `demo_late_pledge()`,
the pledge of the demo user "backer"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from funding.services import campaign_close
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm, payout_send
from platforms.models import Platform
from pledges.models import Pledge
from presale.delivery import delivery_confirm, delivery_ship, pledge_create_shipped
from projects import services
from projects.models import Campaign

CARD = "4242424242424242"
DEMO_DELIVERY_TITLE = "دستبند هوشمند سلامت"
ADDRESSES = {
    "backer": {
        "recipient": "سارا احمدی",
        "address": "خیابان آزادی، کوچه ۱۲، پلاک ۴",
        "city": "تهران",
        "region": "تهران",
        "postal_code": "1459913111",
        "country": "IR",
        "phone": "09120000000",
    },
    "backer2": {
        "recipient": "علی رضایی",
        "address": "خیابان چهارباغ، پلاک ۳۰",
        "city": "اصفهان",
        "region": "اصفهان",
        "postal_code": "8174673441",
        "country": "IR",
        "phone": "",
    },
}


def demo_delivery_campaign() -> Campaign | None:
    return Campaign.objects.filter(title=DEMO_DELIVERY_TITLE, platform__slug="presale").first()


def demo_late_pledge() -> Pledge | None:
    """The demo's late reward: the first batch, backer "backer", never shipped."""
    campaign = demo_delivery_campaign()
    if campaign is None:
        return None
    return (
        Pledge.objects.filter(campaign=campaign, backer__username="backer", tier__title="بسته نخست")
        .order_by("id")
        .first()
    )


def demo_delivery_load(users: dict, guarantee: Callable[[Campaign, dict], None]) -> Campaign:
    """`guarantee(campaign, users)` files and verifies the campaign's bank guarantee (web.demo)."""
    platform = Platform.objects.get(slug="presale")
    owner, admin = users["owner"], users["admin"]
    today = timezone.localtime(timezone.now(), platform.tz).date()
    long_ago = (today - dt.timedelta(days=100)).replace(day=1)  # its month end + grace: past
    ahead = (today + dt.timedelta(days=62)).replace(day=1)
    now = timezone.now()
    campaign = services.campaign_create(
        owner=owner,
        platform=platform,
        category=platform.categories.get(slug="smart-gadgets"),
        title=DEMO_DELIVERY_TITLE,
        story="دستبندی که ضربان قلب و خواب را می‌سنجد و با باتری یک‌ماهه کار می‌کند.\n\n"
        "ضمانت‌نامه بانکی صندوق پژوهش و فناوری پشتوانه این پیش‌فروش است.",
        goal=6_000_000,
        starts_at=now - dt.timedelta(minutes=1),
        deadline=now + dt.timedelta(days=1),
        funding_model="all_or_nothing",
        area=platform.areas.get(slug="isfahan"),
    )
    first = services.tier_add(
        campaign=campaign,
        user=owner,
        amount=1_500_000,
        title="بسته نخست",
        description="یک دستبند از نخستین سری تولید.",
        ships=True,
        estimated_delivery=long_ago,
    )
    second = services.tier_add(
        campaign=campaign,
        user=owner,
        amount=1_800_000,
        title="بسته دوم با بند اضافه",
        description="یک دستبند از سری دوم با یک بند اضافه.",
        ships=True,
        estimated_delivery=ahead,
    )
    guarantee(campaign, users)
    services.campaign_submit(campaign=campaign, user=owner)
    services.campaign_approve(campaign=campaign, admin=admin)
    pledges = []
    for username, tier in [
        ("backer", first),
        ("backer2", first),
        ("backer", second),
        ("backer2", second),
        ("backer2", second),
    ]:
        pledge, _made = pledge_create_shipped(
            campaign_id=campaign.pk,
            backer=users[username],
            amount=tier.amount,
            tier_id=tier.pk,
            address=ADDRESSES[username],
            card=CARD,
        )
        pledges.append(pledge)
    Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now())
    campaign_close(campaign_id=campaign.pk)
    payout = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    Payout.objects.filter(pk=payout.pk).update(due_on=timezone.now().date())
    payout_send(payout_id=payout.pk)
    payout_confirm(payout_id=payout.pk, reference="DEMO-PRESALE-1", actor=admin)
    late, early_delivered, shipped, delivered, _outstanding = pledges
    for pledge, reference in [
        (early_delivered, "RR100200300IR"),
        (shipped, "RR100200301IR"),
        (delivered, "RR100200302IR"),
    ]:
        delivery_ship(pledge=pledge, user=owner, tracking_reference=reference)
    delivery_confirm(pledge=early_delivered, backer=early_delivered.backer)
    delivery_confirm(pledge=delivered, backer=delivered.backer)
    campaign.refresh_from_db()
    return campaign
