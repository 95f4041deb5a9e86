"""Demo partners for `./run`: on the civic portal a verified council (Riverside Council) with a linear
match-funding pot (1:1, up to £5,000 per project, one matched pledge per backer) paid in by bank
transfer, two of the portal's campaigns matched and a few pledges matched; on the charity platform a
company sponsor shown on the platform's page and on one campaign. The council is found or made by its
slug, so other demo parts (its open call) add to the same organisation."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from partners.models import MemberRole, Membership, Organisation, OrganisationKind, Pot
from partners.services import organisations as org_services
from partners.services import pots as pot_services
from platforms.models import Platform
from pledges.services import pledge_create

COUNCIL_SLUG = "riverside-council"
SPONSOR_SLUG = "mehr-pharma"
CARD = "4242424242424242"


def _logo(text: str, colour: tuple[int, int, int]) -> ContentFile | None:
    """A small generated logo (a coloured badge), or None when Pillow cannot draw one."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:  # pragma: no cover - Pillow is a requirement of ImageField
        return None
    image = Image.new("RGB", (160, 64), colour)
    ImageDraw.Draw(image).text((12, 24), text, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name=f"{text.lower().replace(' ', '-')}.png")


def _organisation(platform, slug: str, *, name: str, kind: str, description: str, website: str, staff, logo):
    organisation, created = Organisation.objects.get_or_create(
        platform=platform,
        slug=slug,
        defaults={"name": name, "kind": kind, "description": description, "website": website},
    )
    if created and logo is not None:
        organisation.logo.save(logo.name, logo, save=True)
    if not organisation.is_verified:
        organisation = org_services.organisation_verify(organisation=organisation, staff=staff)
    return organisation


def council_demo(users: dict):
    """The civic preset's verified council, its administrator the demo user `council`."""
    civic = Platform.objects.get(slug="civic")
    council = _organisation(
        civic,
        COUNCIL_SLUG,
        name="Riverside Council",
        kind=OrganisationKind.PUBLIC_BODY,
        description="The local authority of the Riverside wards. It matches citizens' pledges to local projects "
        "and runs open calls for neighbourhood ideas.",
        website="https://riverside.example.org",
        staff=users["admin"],
        logo=_logo("Riverside Council", (22, 94, 131)),
    )
    Membership.objects.get_or_create(organisation=council, user=users["council"], defaults={"role": MemberRole.ADMIN})
    return council


def partners_demo_load(users: dict, *, matched: list, charity_campaign) -> None:
    """The council's linear pot over `matched` (civic campaigns), with pledges it matched; the charity
    platform's sponsor. Once: a second load finds the pot and changes nothing."""
    council = council_demo(users)
    if not Pot.objects.filter(organisation=council, rule="linear").exists():
        now = timezone.now()
        pot = pot_services.pot_create(
            organisation=council,
            user=users["council"],
            name="Riverside neighbourhood match fund",
            budget=2_000_000,
            opens_at=now - dt.timedelta(minutes=5),
            closes_at=now + dt.timedelta(days=90),
            rule="linear",
            ratio=1,
            cap_per_campaign=500_000,
            matched_pledges_per_backer=1,
            campaigns=matched,
        )
        pot_services.pot_pay_in(pot=pot, staff=users["admin"], amount=2_000_000, reference="BACS-RC-2026-001")
        first, second = matched[0], matched[1]
        for campaign, backer, amount in (
            (first, users["backer"], 5_000),
            (first, users["backer2"], 2_500),
            (second, users["backer2"], 2_000),
        ):
            pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, card=CARD)
    charity = Platform.objects.get(slug="charity")
    sponsor = _organisation(
        charity,
        SPONSOR_SLUG,
        name="داروسازی مهر",
        kind=OrganisationKind.COMPANY,
        description="شرکتی دارویی که از خیریه‌های این سکو پشتیبانی می‌کند.",
        website="https://mehr.example.org",
        staff=users["admin"],
        logo=_logo("Mehr Pharma", (150, 40, 60)),
    )
    org_services.sponsorship_add(organisation=sponsor, staff=users["admin"])
    if charity_campaign is not None:
        org_services.sponsorship_add(organisation=sponsor, staff=users["admin"], campaign=charity_campaign)
