"""Demo data for `./run`: people, and campaigns on every preset, some closing minutes after start so
that a visitor sees the beat-scheduled close refund one and pay out another. Campaigns on the Persian
platforms (arts, charity, presale) are written in Persian, those of the civic portal in English."""

from __future__ import annotations

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.profile import display_name_set
from payouts.details import bank_details_of, bank_details_save
from platforms.models import Platform
from pledges.services import pledge_create
from presale.guarantees import guarantee_add, guarantee_needed_until, guarantee_verify
from projects import services
from projects.models import Campaign
from projects.services import campaigns_feature
from stats.services.open_data import open_data_publish
from web.demo_calls import calls_demo_load
from web.demo_claims import demo_claims_load
from web.demo_community import demo_community_load
from web.demo_delivery import demo_delivery_load
from web.demo_impact import demo_impact_load
from web.demo_media import demo_campaign_media, demo_media_load
from web.demo_partners import partners_demo_load

DEMO_USERS = [
    # username, password, staff
    ("admin", "admin", True),
    ("owner", "owner", False),
    ("backer", "backer", False),
    ("backer2", "backer2", False),
    ("council", "council", False),  # Riverside Council's administrator (web/demo_partners.py)
    ("council-reviewer", "council-reviewer", False),  # reviews Riverside Council's open call (web/demo_calls.py)
]
CARD = "4242424242424242"
# What campaign pages and cards call the demo owners (accounts.profile), rather than their usernames.
DEMO_DISPLAY_NAMES = {"owner": "مریم رحیمی", "council": "Riverside Council"}


def demo_users() -> dict:
    User = get_user_model()
    users = {}
    for username, password, staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org", "is_staff": staff, "is_superuser": staff}
        )
        if created:
            user.set_password(password)
            user.save()
        # The site's sign-in (django-allauth) wants a verified address; demo people have one.
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        users[username] = user
        if username in DEMO_DISPLAY_NAMES and not user.first_name:
            display_name_set(user=user, name=DEMO_DISPLAY_NAMES[username])
        if username in ("owner", "council") and bank_details_of(user) is None:
            # Owners give their bank details before submitting (payouts.details): example numbers.
            bank_details_save(
                user=user,
                holder_name=username.title(),
                iban="GB82WEST12345698765432",
                sheba="IR270170000000100324200001",
            )
    return users


def _campaign(users, platform_slug, category, *, title, story, goal, funding_model, deadline, area, tiers=()):
    """A live demo campaign filed under its platform's category `category` (a slug: each campaign says
    where it belongs, so none lands in whichever category sorts first)."""
    platform = Platform.objects.get(slug=platform_slug)
    now = timezone.now()
    campaign = services.campaign_create(
        owner=users["owner"],
        platform=platform,
        category=platform.categories.get(slug=category),
        title=title,
        story=story,
        goal=goal,
        starts_at=now - dt.timedelta(minutes=1),
        deadline=deadline,
        funding_model=funding_model,
        area=platform.areas.get(slug=area),
        **demo_campaign_media(title),
    )
    for amount, tier_title, limit in tiers:
        description = f"{tier_title} برای حامیان." if platform.language == "fa" else f"{tier_title} for backers."
        services.tier_add(
            campaign=campaign,
            user=users["owner"],
            amount=amount,
            title=tier_title,
            quantity_limit=limit,
            description=description,
        )
    if platform.guarantee_required:
        _guarantee(campaign, users)
    services.campaign_submit(campaign=campaign, user=users["owner"])
    services.campaign_approve(campaign=campaign, admin=users["admin"])
    return campaign


def _guarantee(campaign, users):
    """A pre-sale campaign's bank guarantee, filed by its owner and verified by staff."""
    issuer = "صندوق پژوهش و فناوری اصفهان" if campaign.platform.language == "fa" else "City Development Fund"
    guarantee = guarantee_add(
        campaign=campaign,
        user=users["owner"],
        issuer=issuer,
        reference=f"BG-{campaign.pk:05d}",
        amount=campaign.goal // 2,
        currency=campaign.currency,
        expires_on=guarantee_needed_until(campaign) + dt.timedelta(days=30),
        document=ContentFile(b"%PDF-1.4\n% demo guarantee\n", name="guarantee.pdf"),
    )
    guarantee_verify(guarantee=guarantee, staff=users["admin"])


def _pledge(campaign, backer, amount, tier_index=None):
    tier = campaign.tiers.all()[tier_index] if tier_index is not None else None
    pledge_create(campaign_id=campaign.pk, backer=backer, amount=amount, tier_id=tier and tier.pk, card=CARD)


def demo_load(*, soon_minutes: int = 3) -> bool:
    """Create the demo campaigns once; return False when they are there already."""
    users = demo_users()
    if Campaign.objects.filter(owner=users["owner"]).exists():
        return False
    now = timezone.now()
    month = now + dt.timedelta(days=30)
    soon = now + dt.timedelta(minutes=soon_minutes)
    short_film = _campaign(
        users,
        "arts",
        "short-film",
        title="فیلم کوتاه: آخرین کاروانسرا",
        goal=40_000_000,
        area="yazd",
        story="فیلمی ۱۵ دقیقه‌ای که در کاروانسرایی در دل کویر فیلم‌برداری می‌شود.\n\n"
        "**پاداش‌ها** شامل بلیت سینما، نام شما در تیتراژ و بازدید از صحنه فیلم‌برداری است.",
        funding_model="threshold",
        deadline=soon,
        tiers=[
            (15_000, "بلیت سینما", None),
            (250_000, "نام در تیتراژ", 50),
            (5_000_000, "بازدید از صحنه فیلم‌برداری", 2),
        ],
    )
    _pledge(short_film, users["backer"], 5_000_000, 2)
    _pledge(short_film, users["backer2"], 5_000_000, 2)  # 10,000,000 of 40,000,000: exactly 25%
    theatre = _campaign(
        users,
        "arts",
        "festival",
        title="جشنواره تئاتر خیابانی",
        goal=80_000_000,
        area="tehran",
        story="ده شب تئاتر خیابانی رایگان در میدان‌های شهر، برای همه.",
        funding_model="threshold",
        deadline=month,
        tiers=[(50_000, "پوستر جشنواره", None), (500_000, "صندلی ردیف اول", 30)],
    )
    _pledge(theatre, users["backer"], 500_000, 1)
    school = _campaign(
        users,
        "charity",
        "education",
        title="کتاب برای مدرسه‌ای روستایی",
        goal=500_000_000,
        area="sistan-baluchestan",
        story="یک کتابخانه برای دبستانی روستایی در سیستان و بلوچستان.",
        funding_model="all_or_nothing",
        deadline=soon,
    )
    _pledge(school, users["backer"], 20_000_000)
    _pledge(school, users["backer2"], 30_000_000)  # far below the goal: refunded to wallets
    clothes = _campaign(
        users,
        "charity",
        "children",
        title="لباس زمستانی برای کودکان",
        goal=200_000_000,
        area="kurdistan",
        story="لباس گرم برای ۴۰۰ کودک پیش از رسیدن سرما.",
        funding_model="all_or_nothing",
        deadline=month,
    )
    lamp = _campaign(
        users,
        "presale",
        "smart-gadgets",
        title="چراغ مطالعه خورشیدی",
        goal=30_000_000,
        area="isfahan",
        story="چراغی که روزها با نور خورشید شارژ می‌شود و شب‌ها تا ۸ ساعت روشن می‌ماند.",
        funding_model="all_or_nothing",
        deadline=month,
        tiers=[(1_200_000, "یک چراغ", 100), (2_200_000, "دو چراغ", 40)],
    )
    _pledge(lamp, users["backer"], 1_200_000, 0)
    _pledge(lamp, users["backer2"], 50_000)
    demo_delivery_load(users, _guarantee)  # funded, rewards partly delivered, shipped, one late
    garden = _campaign(
        users,
        "civic",
        "green-spaces",
        title="Community garden on Mill Lane",
        goal=1_500_000,
        story="Turn the empty lot on Mill Lane into a community garden.",
        funding_model="all_or_nothing",
        deadline=month,
        area="riverside",
        tiers=[(2_500, "Seed packet", None), (10_000, "Name on the bench", 20)],
    )
    _pledge(garden, users["backer"], 10_000, 1)
    _pledge(garden, users["backer2"], 5_000)
    playground = _campaign(
        users,
        "civic",
        "sport-play",
        title="Riverside playground for all abilities",
        goal=2_000_000,
        story="A playground by the river that every child can use: a wheelchair swing, a sensory wall, "
        "soft ground.\n\nRiverside Council matches every pound you give, up to £5,000.",
        funding_model="all_or_nothing",
        deadline=month,
        area="riverside",
        tiers=[(5_000, "Name on the fence", None)],
    )
    concert = _campaign(
        users,
        "arts",
        "music",
        title="کنسرت موسیقی محلی در باغ ارم",
        goal=60_000_000,
        area="fars",
        story="یک شب موسیقی محلی فارس در باغ ارم شیراز، با نوازندگان جوان استان.",
        funding_model="threshold",
        deadline=now + dt.timedelta(hours=20),  # the front pages' "Ending soon": within a day
        tiers=[(100_000, "بلیت کنسرت", 300), (1_000_000, "دیدار با نوازندگان", 10)],
    )
    _pledge(concert, users["backer"], 1_000_000, 1)
    _pledge(concert, users["backer2"], 100_000, 0)
    # Staff's picks for the front pages (the admin's "Feature" action does the same).
    campaigns_feature(campaign_ids=[theatre.pk, lamp.pk, playground.pk], featured=True)
    partners_demo_load(users, matched=[playground, garden], charity_campaign=clothes)
    calls_demo_load(users, round_minutes=soon_minutes + 2)  # its quadratic round closes just after the "soon" ones
    demo_impact_load(users)
    demo_claims_load()  # after the pre-sale demo's late reward exists
    demo_community_load(users, english=garden, persian=theatre)  # questions (one answered, one hidden), followers
    demo_media_load(users)  # galleries, and the backers' named or anonymous choices
    for platform in Platform.objects.all():  # the open-data files now, not at the first nightly run
        open_data_publish(platform)
    return True
