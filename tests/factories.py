"""factory_boy factories and small helpers shared by the engine's tests.

The four preset platforms come from a data migration, so factories look them up by slug instead of
creating platforms.
"""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from accounts.groups import staff_groups_ensure
from ledger import services as ledger
from ledger.models import Account, AccountKind, TransactionKind
from payouts.models import BankDetails, Payout, PayoutKind, PayoutStatus
from platforms.models import Area, Category, CollectionMode, FundingModel, Platform, RefundDestination
from pledges.models import PaymentSource, Pledge, PledgeStatus
from projects.models import Campaign, CampaignStatus, RewardTier

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
PENDING_CARD = "4000000000000259"
UNAVAILABLE_CARD = "4000000000000119"


def platform(slug: str) -> Platform:
    return Platform.objects.get(slug=slug)


def area(platform_slug: str, slug: str) -> Area:
    """An area of a preset platform (its provinces, or the civic portal's wards)."""
    return Area.objects.get(platform__slug=platform_slug, slug=slug)


GOOD_IBAN = "GB82WEST12345698765432"  # the IBAN registry's example
GOOD_SHEBA = "IR270170000000100324200001"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret")

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """Verified unless `email_verified=False`, as a user who signed up and followed the link."""
        if create and extracted is not False:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )

    @factory.post_generation
    def bank_details(user, create, extracted, **kwargs):
        """An IBAN and a Sheba unless `bank_details=False`, as an owner who may submit a campaign."""
        if create and extracted is not False:
            BankDetails.objects.get_or_create(
                user=user, defaults={"holder_name": user.username, "iban": GOOD_IBAN, "sheba": GOOD_SHEBA}
            )


class StaffFactory(UserFactory):
    """Platform staff in the groups "Reviewers" and "Finance" (pass `groups=[]` for staff in none)."""

    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if not create:
            return
        names = ["Reviewers", "Finance"] if extracted is None else extracted
        if names and not Group.objects.filter(name__in=names).count() == len(names):
            staff_groups_ensure()  # a transactional test's flush removed them
        user.groups.add(*Group.objects.filter(name__in=names))


class CampaignFactory(factory.django.DjangoModelFactory):
    """A live campaign (by default on `arts`) that started yesterday and ends in a week."""

    class Meta:
        model = Campaign

    class Params:
        slug = "arts"

    platform = factory.LazyAttribute(lambda o: Platform.objects.get(slug=o.slug))
    owner = factory.SubFactory(UserFactory)
    category = factory.LazyAttribute(lambda o: o.platform.categories.first())
    title = factory.Sequence(lambda n: f"Campaign {n}")
    story = "What we will do with the money."
    goal = 1_000_000
    currency = factory.LazyAttribute(lambda o: o.platform.currency)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    funding_model = factory.LazyAttribute(lambda o: o.platform.funding_models[0])
    area = factory.LazyAttribute(lambda o: o.platform.areas.first())  # None on a platform without areas
    status = CampaignStatus.LIVE


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardTier

    campaign = factory.SubFactory(CampaignFactory)
    amount = 15_000
    title = factory.Sequence(lambda n: f"Reward {n}")
    quantity_limit = None


class PlatformFactory(factory.django.DjangoModelFactory):
    """A platform of its own (the four presets are there already: `platform(slug)`), in pounds, with one
    category; fields as the `civic` preset unless given."""

    class Meta:
        model = Platform
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Platform {n}")
    slug = factory.Sequence(lambda n: f"platform-{n}")
    language = "en"
    currency = "GBP"
    time_zone = "Europe/London"
    holiday_country = "GB"
    weekend_days = factory.LazyFunction(lambda: [5, 6])
    funding_models = factory.LazyFunction(lambda: [FundingModel.ALL_OR_NOTHING, FundingModel.THRESHOLD])
    min_pledge = 100
    collection_mode = CollectionMode.CHARGE_NOW
    refund_destination = RefundDestination.CARD
    category = factory.RelatedFactory(
        "tests.factories.CategoryFactory", factory_related_name="platform", slug="general", name="General"
    )


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    platform = factory.SubFactory(PlatformFactory)
    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class PledgeFactory(factory.django.DjangoModelFactory):
    """A pledge row as the engine leaves a paid wallet pledge, written directly (no ledger entries, no
    receipt): for pages and lists that only read pledges. Pledges whose money matters are made with
    `pledge_create` (the `pledge` fixture)."""

    class Meta:
        model = Pledge

    campaign = factory.SubFactory(CampaignFactory)
    backer = factory.SubFactory(UserFactory)
    tier = None
    amount = factory.LazyAttribute(lambda o: o.tier.amount if o.tier else 15_000)
    currency = factory.LazyAttribute(lambda o: o.campaign.currency)
    source = PaymentSource.WALLET
    status = PledgeStatus.PAID
    paid_at = factory.LazyFunction(timezone.now)


class PayoutFactory(factory.django.DjangoModelFactory):
    """A campaign's scheduled first payout (kind, status and amount as given)."""

    class Meta:
        model = Payout

    campaign = factory.SubFactory(CampaignFactory, status=CampaignStatus.SUCCEEDED)
    kind = PayoutKind.FIRST
    amount = 855_000
    currency = factory.LazyAttribute(lambda o: o.campaign.currency)
    status = PayoutStatus.SCHEDULED
    idempotency_key = factory.LazyAttribute(lambda o: f"payout-{o.campaign.pk}-{o.kind}")


class WalletFactory(factory.django.DjangoModelFactory):
    """A backer's wallet account (empty: `wallet_top_up` puts money in it)."""

    class Meta:
        model = Account
        django_get_or_create = ("owner_key", "kind", "currency")

    user = factory.SubFactory(UserFactory)
    kind = AccountKind.WALLET
    currency = "IRR"
    owner_key = factory.LazyAttribute(lambda o: Account.key_for(user=o.user))


def wallet_top_up(user, *, currency: str, amount: int, platform_slug: str = "charity") -> None:
    """Put money in a backer's wallet as a balanced card → wallet transaction (a test shortcut)."""
    source = ledger.platform_account(AccountKind.CARD_NETWORK, Platform.objects.get(slug=platform_slug))
    with transaction.atomic():
        ledger.transaction_record(
            kind=TransactionKind.WALLET_TOP_UP,
            key=f"top-up-{uuid.uuid4().hex}",
            legs=[ledger.Leg(source, -amount), ledger.Leg(WalletFactory(user=user, currency=currency), amount)],
        )


def mail_clear() -> None:
    """Forget the e-mails a test's set-up sent or left queued in the outbox (its pledges' receipts,
    whose transaction a test never commits), so the test sees only the mail of what it does next."""
    from django.core import mail

    from core.models import OutboxMail

    OutboxMail.objects.all().delete()
    mail.outbox.clear()


def guarantee_verified(campaign: Campaign, **fields):
    """A pre-sale campaign's bank guarantee, filed and verified by staff (the pre-sale preset requires
    one before submission), lasting as long as the platform asks."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from presale.guarantees import guarantee_add, guarantee_needed_until, guarantee_verify

    values = {
        "issuer": "Cooperative Development Fund",
        "reference": f"G-{campaign.pk}",
        "amount": campaign.goal,
        "currency": campaign.currency,
        "expires_on": guarantee_needed_until(campaign) + dt.timedelta(days=30),
        "document": SimpleUploadedFile("g.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
    }
    values.update(fields)
    guarantee = guarantee_add(campaign=campaign, user=campaign.owner, **values)
    return guarantee_verify(guarantee=guarantee, staff=StaffFactory())
