"""The four reference platforms of DOMAIN.md, shipped as data (loaded by a data migration), with their
categories and areas (Iran's provinces; the civic portal's invented wards).

Where DOMAIN.md is silent we chose: a 5% fee on the arts and pre-sale platforms, none on the
charity and municipal ones; Iranian platforms price in toman (IRT) except the charity platform, which
counts in rials as its source does.
"""

from typing import Any

ARTS = [
    ("animation", "Animation", "انیمیشن"),
    ("festival", "Festival", "جشنواره"),
    ("theatre", "Theatre", "تئاتر"),
    ("game", "Game", "بازی"),
    ("podcast", "Podcast", "پادکست"),
    ("photography", "Photography", "عکاسی"),
    ("costume-design", "Costume design", "طراحی لباس"),
    ("accessory", "Accessory", "اکسسوری"),
    ("feature-film", "Feature film", "فیلم بلند"),
    ("short-film", "Short film", "فیلم کوتاه"),
    ("documentary", "Documentary", "مستند"),
    ("sculpture", "Sculpture", "مجسمه‌سازی"),
    ("music", "Music", "موسیقی"),
]
CHARITY = [
    ("education", "Education", "آموزش"),
    ("deprived-areas", "Deprived areas", "مناطق محروم"),
    ("health", "Health", "سلامت"),
    ("children", "Children", "کودکان"),
    ("empowerment", "Empowerment", "توانمندسازی"),
    ("social-responsibility", "Social responsibility", "مسئولیت اجتماعی"),
]
PRESALE = [
    ("games-entertainment", "Games and entertainment", "بازی و سرگرمی"),
    ("smart-gadgets", "Smart gadgets", "گجت‌های هوشمند"),
    ("art", "Art", "هنر"),
    ("books", "Books", "کتاب"),
    ("services", "Services", "خدمات"),
    ("education", "Education", "آموزش"),
    ("health", "Health", "سلامت"),
    ("decoration", "Decoration", "دکوراسیون"),
]
CIVIC = [
    ("green-spaces", "Green spaces", "فضای سبز"),
    ("streets", "Streets and squares", "خیابان و میدان"),
    ("community", "Community facilities", "امکانات محلی"),
    ("heritage", "Culture and heritage", "فرهنگ و میراث"),
    ("sport-play", "Sport and play", "ورزش و بازی"),
    ("environment", "Environment", "محیط زیست"),
]

# Iran's 31 provinces (slug, English, Persian), for the three Iranian presets.
IRAN_PROVINCES = [
    ("alborz", "Alborz", "البرز"),
    ("ardabil", "Ardabil", "اردبیل"),
    ("bushehr", "Bushehr", "بوشهر"),
    ("chaharmahal-bakhtiari", "Chaharmahal and Bakhtiari", "چهارمحال و بختیاری"),
    ("east-azerbaijan", "East Azerbaijan", "آذربایجان شرقی"),
    ("fars", "Fars", "فارس"),
    ("gilan", "Gilan", "گیلان"),
    ("golestan", "Golestan", "گلستان"),
    ("hamadan", "Hamadan", "همدان"),
    ("hormozgan", "Hormozgan", "هرمزگان"),
    ("ilam", "Ilam", "ایلام"),
    ("isfahan", "Isfahan", "اصفهان"),
    ("kerman", "Kerman", "کرمان"),
    ("kermanshah", "Kermanshah", "کرمانشاه"),
    ("khuzestan", "Khuzestan", "خوزستان"),
    ("kohgiluyeh-boyer-ahmad", "Kohgiluyeh and Boyer-Ahmad", "کهگیلویه و بویراحمد"),
    ("kurdistan", "Kurdistan", "کردستان"),
    ("lorestan", "Lorestan", "لرستان"),
    ("markazi", "Markazi", "مرکزی"),
    ("mazandaran", "Mazandaran", "مازندران"),
    ("north-khorasan", "North Khorasan", "خراسان شمالی"),
    ("qazvin", "Qazvin", "قزوین"),
    ("qom", "Qom", "قم"),
    ("razavi-khorasan", "Razavi Khorasan", "خراسان رضوی"),
    ("semnan", "Semnan", "سمنان"),
    ("sistan-baluchestan", "Sistan and Baluchestan", "سیستان و بلوچستان"),
    ("south-khorasan", "South Khorasan", "خراسان جنوبی"),
    ("tehran", "Tehran", "تهران"),
    ("west-azerbaijan", "West Azerbaijan", "آذربایجان غربی"),
    ("yazd", "Yazd", "یزد"),
    ("zanjan", "Zanjan", "زنجان"),
]
# The civic portal's city is imaginary, and so are its wards (names invented for the preset).
CIVIC_WARDS = [
    ("castle", "Castle ward", "ناحیه قلعه"),
    ("eastfield", "Eastfield ward", "ناحیه دشت شرقی"),
    ("hillside", "Hillside ward", "ناحیه دامنه"),
    ("market", "Market ward", "ناحیه بازار"),
    ("northgate", "Northgate ward", "ناحیه دروازه شمالی"),
    ("old-town", "Old Town ward", "ناحیه شهر قدیم"),
    ("parkway", "Parkway ward", "ناحیه پارک"),
    ("riverside", "Riverside ward", "ناحیه کنار رود"),
    ("southbank", "Southbank ward", "ناحیه ساحل جنوبی"),
    ("westbrook", "Westbrook ward", "ناحیه جویبار غربی"),
]

IRAN = {"language": "fa", "time_zone": "Asia/Tehran", "holiday_country": "IR", "weekend_days": [4]}

PRESETS: list[dict[str, Any]] = [
    {
        "slug": "arts",
        "max_campaign_days": 120,
        "name": "Arts & Games",
        "currency": "IRT",
        **IRAN,
        "description": "Reward-based crowdfunding for arts and games (like Hamijoo). Campaigns that "
        "raise 25% of their goal succeed; 90% is paid after 15 working days, 10% after "
        "the final report is approved.",
        "funding_models": ["threshold"],
        "allow_reward_tiers": True,
        "allow_free_amounts": False,
        "min_pledge": 5_000,
        "success_threshold_percent": 25,
        "fee_basis_points": 500,
        "collection_mode": "charge_now",
        "refund_destination": "card",
        "categories": ARTS,
        "areas": ("province", IRAN_PROVINCES),
    },
    {
        "slug": "charity",
        "max_campaign_days": 180,
        "name": "Charity & Social Good",
        "currency": "IRR",
        **IRAN,
        "description": "Donation-based charity (like Mehrabane): any amount, no reward, all or nothing; "
        "a cancelled project's money goes back to each backer's wallet.",
        "funding_models": ["all_or_nothing"],
        "allow_reward_tiers": False,
        "allow_free_amounts": True,
        "min_pledge": 10_000,
        "success_threshold_percent": 25,
        "fee_basis_points": 0,
        "collection_mode": "charge_now",
        "refund_destination": "wallet",
        "categories": CHARITY,
        "areas": ("province", IRAN_PROVINCES),
    },
    {
        "slug": "presale",
        "max_campaign_days": 120,
        "name": "Product Pre-sale",
        "currency": "IRT",
        **IRAN,
        "description": "Pre-sale of products at the mass-production stage (like Nikstarter): free "
        "support of any amount or fixed support packages.",
        "funding_models": ["all_or_nothing", "threshold"],
        "allow_reward_tiers": True,
        "allow_free_amounts": True,
        "min_pledge": 1_000,
        "success_threshold_percent": 25,
        "fee_basis_points": 500,
        "collection_mode": "charge_now",
        "refund_destination": "card",
        "guarantee_required": True,
        "categories": PRESALE,
        "areas": ("province", IRAN_PROVINCES),
    },
    {
        "slug": "civic",
        "max_campaign_days": 365,
        "name": "City Civic Portal",
        "currency": "GBP",
        "language": "en",
        "time_zone": "Europe/London",
        "holiday_country": "GB",
        "holiday_subdivision": "ENG",
        "weekend_days": [5, 6],
        "description": "A municipality's civic crowdfunding portal: citizens fund local projects.",
        "funding_models": ["all_or_nothing", "threshold"],
        "allow_reward_tiers": True,
        "allow_free_amounts": True,
        "min_pledge": 100,
        "success_threshold_percent": 25,
        "fee_basis_points": 0,
        "collection_mode": "charge_now",
        "refund_destination": "card",
        "match_counts_toward_goal": True,
        "categories": CIVIC,
        "areas": ("ward", CIVIC_WARDS),
    },
]


def presets_load(Platform: Any, Category: Any, Area: Any = None) -> None:  # noqa: N803 (historical models)
    """Create the presets that are missing; an existing platform of the same slug is left as it is,
    except that it gets its preset's areas when it has none (`Area` given: the migrations from before
    areas existed pass none)."""
    known = {field.name for field in Platform._meta.get_fields()}
    for preset in PRESETS:
        fields = dict(preset)
        categories = fields.pop("categories")
        fields.pop("areas")
        known = {field.name for field in Platform._meta.get_fields()}
        fields = {name: value for name, value in fields.items() if name in known}  # an older migration's model
        platform, created = Platform.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
        if created:
            for slug, name, name_fa in categories:
                Category.objects.create(platform=platform, slug=slug, name=name, name_fa=name_fa)
    if Area is not None:
        preset_areas_load(Platform, Area)


def preset_areas_load(Platform: Any, Area: Any) -> None:  # noqa: N803 (historical models)
    """Give each preset platform that exists and has no areas yet its preset's areas."""
    for preset in PRESETS:
        kind, areas = preset["areas"]
        platform = Platform.objects.filter(slug=preset["slug"]).first()
        if platform is None or Area.objects.filter(platform=platform).exists():
            continue
        Area.objects.bulk_create(
            Area(platform=platform, slug=slug, name=name, name_fa=name_fa, kind=kind) for slug, name, name_fa in areas
        )
