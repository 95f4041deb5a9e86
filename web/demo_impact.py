"""Demo data of accountability: the civic portal's green spaces create assets and have a standard
indicator; one civic campaign and one charity campaign have gone all the way (funded, paid, final report
with receipts approved, held part released), so their pages show the timeline of decisions, spending
against what was raised, target vs achieved, and (the park) its upkeep and a follow-up."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from funding.services import campaign_close, report_approve
from impact.indicators import final_report_file, indicator_add
from impact.models import AssetStatus, FollowUp, StandardIndicator
from impact.upkeep import follow_up_submit, upkeep_plan_set
from payouts.models import Payout, PayoutKind
from payouts.services import payout_confirm, payout_send
from platforms.models import Category, Platform
from pledges.services import pledge_create
from projects import services
from projects.models import Campaign

CARD = "4242424242424242"


def _receipt(text: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (236, 245, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle((16, 16, 464, 304), outline=(40, 110, 60), width=4)
    draw.text((40, 40), text, fill=(20, 60, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("receipt.png", buffer.getvalue(), content_type="image/png")


def _completed(users, platform_slug, category_slug, *, title, story, goal, area, backers, indicators, upkeep, report):
    """A campaign taken through its whole life, minutes in the past."""
    platform = Platform.objects.get(slug=platform_slug)
    owner, admin = users["owner"], users["admin"]
    now = timezone.now()
    campaign = services.campaign_create(
        owner=owner,
        platform=platform,
        category=platform.categories.get(slug=category_slug),
        title=title,
        story=story,
        goal=goal,
        starts_at=now - dt.timedelta(minutes=1),
        deadline=now + dt.timedelta(days=1),
        funding_model="all_or_nothing",
        area=platform.areas.get(slug=area),
    )
    added = []
    for standard, name, unit, target in indicators:
        added.append(
            indicator_add(campaign=campaign, user=owner, standard=standard, name=name, unit=unit, target=target)
        )
    if upkeep:
        upkeep_plan_set(campaign=campaign, user=owner, creates_asset=True, **upkeep)
    services.campaign_submit(campaign=campaign, user=owner)
    services.campaign_approve(campaign=campaign, admin=admin)
    for backer, amount in backers:
        pledge_create(campaign_id=campaign.pk, backer=users[backer], amount=amount, card=CARD)
    Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now())
    campaign_close(campaign_id=campaign.pk)
    first = Payout.objects.get(campaign=campaign, kind=PayoutKind.FIRST)
    Payout.objects.filter(pk=first.pk).update(due_on=timezone.now().date())
    payout_send(payout_id=first.pk)
    payout_confirm(payout_id=first.pk, reference="DEMO-1", actor=admin)
    campaign.refresh_from_db()
    text, spending, achieved, receipt = report
    filed = final_report_file(
        campaign=campaign,
        user=owner,
        text=text,
        spending=spending,
        achieved={i.pk: value for i, value in zip(added, achieved, strict=True)},
        attachments=[(_receipt(receipt), receipt)],
    )
    report_approve(report=filed, admin=admin)
    held = Payout.objects.get(campaign=campaign, kind=PayoutKind.HELD)
    payout_send(payout_id=held.pk)
    payout_confirm(payout_id=held.pk, reference="DEMO-2", actor=admin)
    return campaign


def demo_impact_load(users) -> None:
    Category.objects.filter(platform__slug="civic", slug__in=["green-spaces", "sport-play"]).update(creates_asset=True)
    civic = Platform.objects.get(slug="civic")
    trees, _ = StandardIndicator.objects.get_or_create(
        platform=civic,
        category=civic.categories.get(slug="green-spaces"),
        name="trees planted",
        defaults={"name_fa": "درخت کاشته‌شده", "unit": "trees", "unit_fa": "درخت"},
    )
    charity = Platform.objects.get(slug="charity")
    children, _ = StandardIndicator.objects.get_or_create(
        platform=charity,
        category=None,
        name="children reached",
        defaults={"name_fa": "کودکان بهره‌مند", "unit": "children", "unit_fa": "کودک"},
    )
    with transaction.atomic():
        park = _completed(
            users,
            "civic",
            "green-spaces",
            title="Pocket park on Station Road",
            story="Twenty trees, four benches and a drinking fountain on the corner of Station Road.",
            goal=800_000,
            area="old-town",
            backers=[("backer", 500_000), ("backer2", 320_000)],
            indicators=[(trees.pk, "", "", 20), (None, "benches installed", "benches", 4)],
            upkeep={"maintainer": "Old Town Parks team", "months": 60, "funding": "The council's parks budget"},
            report=(
                "The park opened in spring: the trees are planted, the benches and the fountain are in.",
                [
                    {"item": "Trees and planting", "amount": 310_000},
                    {"item": "Benches", "amount": 240_000},
                    {"item": "Drinking fountain", "amount": 170_000},
                ],
                [(22, "Planting list signed by the parks team"), (4, "Photos of each bench")],
                "Invoice: trees and planting",
            ),
        )
        six = FollowUp.objects.get(campaign=park, months=6)
        FollowUp.objects.filter(pk=six.pk).update(requested_at=timezone.now())
        six.refresh_from_db()
        follow_up_submit(
            follow_up=six,
            user=users["owner"],
            status=AssetStatus.IN_USE,
            text="All trees took root; the fountain was serviced in May.",
        )
        _completed(
            users,
            "charity",
            "children",
            title="کلاس تابستانی برای کودکان",
            story="یک ماه کلاس هنر و کتاب‌خوانی برای کودکان محله.",
            goal=100_000_000,
            area="fars",
            backers=[("backer", 60_000_000), ("backer2", 45_000_000)],
            indicators=[(children.pk, "", "", 120)],
            upkeep=None,
            report=(
                "کلاس‌ها در تیر و مرداد برگزار شد و ۱۳۵ کودک شرکت کردند.",
                [{"item": "کتاب و لوازم", "amount": 55_000_000}, {"item": "مربیان", "amount": 45_000_000}],
                [(135, "فهرست حضور کودکان")],
                "Receipt: books",
            ),
        )
