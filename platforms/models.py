"""Platforms of the deployment: each with its language, currency, calendar, funding rules and categories.

Moved from `projects` with their tables (`projects_platform`, `projects_category`): see migration
platforms 0001 (state only)."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import money
from payments.gateways import GATEWAY_CHOICES, gateway_currency_problem


class FundingModel(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing")
    THRESHOLD = "threshold", _("Threshold")


class CollectionMode(models.TextChoices):
    CHARGE_NOW = "charge_now", "Charge at pledge time"
    CHARGE_ON_SUCCESS = "charge_on_success", "Save the card, charge if the campaign succeeds"


class RefundDestination(models.TextChoices):
    CARD = "card", "Back to the card"
    WALLET = "wallet", "To the backer's on-site wallet"


def _validate_weekdays(value: object) -> None:
    if not isinstance(value, list) or any(d not in range(7) for d in value):
        raise ValidationError("Weekend days are a list of weekday numbers, Monday=0 … Sunday=6.")


def _validate_funding_models(value: object) -> None:
    if not isinstance(value, list) or not value or any(v not in FundingModel.values for v in value):
        raise ValidationError(f"Allowed funding models are a non-empty subset of {FundingModel.values}.")


class Platform(models.Model):
    """One crowdfunding platform of the deployment, with its own rules."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    domain = models.CharField(max_length=200, blank=True, help_text="Optional own domain.")
    language = models.CharField(max_length=8, default="en")
    currency = models.CharField(max_length=3)
    time_zone = models.CharField(max_length=64, default="UTC")
    holiday_country = models.CharField(max_length=2, help_text="ISO country code of public holidays.")
    holiday_subdivision = models.CharField(max_length=10, blank=True)
    weekend_days = models.JSONField(default=list, validators=[_validate_weekdays])
    funding_models = models.JSONField(default=list, validators=[_validate_funding_models])
    allow_reward_tiers = models.BooleanField(default=True)
    allow_free_amounts = models.BooleanField(default=True)
    min_pledge = models.BigIntegerField(default=1, help_text="Minor units.")
    success_threshold_percent = models.PositiveSmallIntegerField(default=25)
    fee_basis_points = models.PositiveIntegerField(default=0, help_text="1% = 100.")
    first_payout_percent = models.PositiveSmallIntegerField(default=90)
    payout_delay_working_days = models.PositiveSmallIntegerField(default=15)
    collection_mode = models.CharField(max_length=20, choices=CollectionMode.choices, default=CollectionMode.CHARGE_NOW)
    refund_destination = models.CharField(
        max_length=10, choices=RefundDestination.choices, default=RefundDestination.CARD
    )
    # Which payment gateway takes this platform's cards; blank: the deployment's
    # CIVICFUND_PAYMENT_GATEWAY. Switching to Stripe is configuration only (keys from the environment).
    payment_gateway = models.CharField(
        max_length=20,
        blank=True,
        choices=GATEWAY_CHOICES,
        help_text="Blank: the deployment's default gateway.",
    )
    description = models.TextField(blank=True)
    # Accountability (issue 14): who decided is shown by role unless the platform names its people;
    # a funded campaign's final report is due this many days after its first payout.
    decision_log_shows_names = models.BooleanField(
        default=False, help_text="Show the name of who decided in the public decision log (default: the role only)."
    )
    report_due_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days after the first payout by which the final report is due."
    )
    # Bad input (issue 12): a deadline is at most this many days after the start (a deadline of
    # 9999-12-31 broke every page of its campaign), and an owner e-mails the backers through updates
    # at most this many times in 7 days (further updates are posted, not mailed).
    max_campaign_days = models.PositiveSmallIntegerField(
        default=365, help_text="The longest a campaign may run, from its start to its deadline, in days."
    )
    update_mails_per_week = models.PositiveSmallIntegerField(
        default=3,
        help_text="Update e-mails one campaign may send in any 7 days; later updates are only posted.",
    )
    # Pre-sale trust (presale app): a campaign needs a verified bank guarantee before it is submitted;
    # a reward later than its promised delivery by more than the grace may be claimed for, until the
    # claim window after that delivery closes (a guarantee must last that long); the owner answers a
    # claim within the answer days; a shipping address is deleted the keep days after delivery.
    guarantee_required = models.BooleanField(
        default=False, help_text="Campaigns need a verified bank guarantee before they are submitted."
    )
    delivery_grace_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days a reward may be late before its backer may claim."
    )
    claim_window_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days after the promised delivery (plus the grace) during which backers may claim."
    )
    claim_answer_days = models.PositiveSmallIntegerField(default=14, help_text="Days the owner has to answer a claim.")
    address_keep_days = models.PositiveSmallIntegerField(
        default=60, help_text="Days after delivery when a shipping address is deleted."
    )
    # Match funding (partners): whether pot money counts toward a campaign's goal, and the share of the
    # goal citizens must have given at the deadline for it to count (and to be kept at all).
    match_counts_toward_goal = models.BooleanField(
        default=False, help_text="Match money counts toward a campaign's goal (if the citizen share is met)."
    )
    match_min_citizen_percent = models.PositiveSmallIntegerField(
        default=50, help_text="Citizen money must be at least this share of the goal for a match to count."
    )

    class Meta:
        db_table = "projects_platform"
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(success_threshold_percent__gte=1, success_threshold_percent__lte=100),
                name="platform_threshold_1_100",
            ),
            models.CheckConstraint(condition=Q(first_payout_percent__lte=100), name="platform_first_payout_le_100"),
            models.CheckConstraint(condition=Q(fee_basis_points__lt=10_000), name="platform_fee_lt_100"),
            models.CheckConstraint(condition=Q(min_pledge__gte=1), name="platform_min_pledge_positive"),
            models.CheckConstraint(
                condition=Q(match_min_citizen_percent__lte=100), name="platform_match_citizen_share_le_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            money.exponent(self.currency)
        except ValueError as exc:
            raise ValidationError({"currency": str(exc)}) from None
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"time_zone": f"Unknown time zone {self.time_zone!r}"}) from None
        if not (self.allow_reward_tiers or self.allow_free_amounts):
            raise ValidationError("A platform must allow reward tiers, free amounts or both.")
        if problem := gateway_currency_problem(self.payment_gateway or None, self.currency):
            raise ValidationError({"currency": problem})

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def money(self, amount: int) -> money.Money:
        return money.Money(amount, self.currency)


class Category(models.Model):
    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="categories")
    slug = models.SlugField()
    name = models.CharField(max_length=120)
    name_fa = models.CharField(max_length=120, blank=True)
    # Its campaigns create an asset (a green space, a playground) that needs upkeep after the campaign.
    creates_asset = models.BooleanField(default=False)

    class Meta:
        db_table = "projects_category"
        ordering = ["platform_id", "name"]
        verbose_name_plural = "categories"
        constraints = [models.UniqueConstraint(fields=["platform", "slug"], name="category_unique_slug_per_platform")]

    def __str__(self) -> str:
        return self.name


class AreaKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    COUNTY = "county", _("County")
    CITY = "city", _("City")
    BOROUGH = "borough", _("Borough")
    WARD = "ward", _("Ward")
    DISTRICT = "district", _("District")
    OTHER = "other", _("Other area")


class Area(models.Model):
    """A place a campaign is for (a province, a ward, a borough): the platform's own list, which its
    statistics are counted by. `population` (optional) lets participation be weighed against it."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="areas")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    name_fa = models.CharField(max_length=120, blank=True)
    kind = models.CharField(max_length=20, choices=AreaKind.choices, default=AreaKind.OTHER)
    population = models.PositiveBigIntegerField(null=True, blank=True, help_text="People living there (optional).")

    class Meta:
        ordering = ["platform_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["platform", "slug"], name="area_unique_slug_per_platform")]

    def __str__(self) -> str:
        return self.name


class PageKind(models.TextChoices):
    ABOUT = "about", _("About")
    FAQ = "faq", _("FAQ")
    TERMS = "terms", _("Terms")
    PRIVACY = "privacy", _("Privacy")


class PlatformPage(models.Model):
    """One of a platform's own pages (about, FAQ, terms, privacy) in one language, written by staff in
    the admin. The body is Markdown, shown sanitised (as campaign stories are). A page missing in the
    visitor's language falls back to the platform's language, then to the built-in default text
    (platforms.pages)."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="pages")
    kind = models.CharField(max_length=10, choices=PageKind.choices)
    language = models.CharField(max_length=8, choices=[("en", "English"), ("fa", "فارسی")])
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="Markdown: headings (##), lists, links, **bold**. No HTML or scripts.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["platform_id", "kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "kind", "language"], name="platform_page_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language}) of {self.platform}"
