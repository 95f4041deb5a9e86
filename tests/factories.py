"""factory_boy factories and small helpers shared by the engine's tests.

The four preset platforms come from a data migration, so factories look them up by slug instead of
creating platforms.
"""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from ledger import services as ledger
from ledger.models import AccountKind, TransactionKind
from platforms.models import Platform
from projects.models import Campaign, CampaignStatus, RewardTier

GOOD_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
PENDING_CARD = "4000000000000259"
UNAVAILABLE_CARD = "4000000000000119"


def platform(slug: str) -> Platform:
    return Platform.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("secret")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


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
    status = CampaignStatus.LIVE


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardTier

    campaign = factory.SubFactory(CampaignFactory)
    amount = 15_000
    title = factory.Sequence(lambda n: f"Reward {n}")
    quantity_limit = None


def wallet_top_up(user, *, currency: str, amount: int, platform_slug: str = "charity") -> None:
    """Put money in a backer's wallet as a balanced card → wallet transaction (a test shortcut)."""
    source = ledger.platform_account(AccountKind.CARD_NETWORK, Platform.objects.get(slug=platform_slug))
    with transaction.atomic():
        ledger.transaction_record(
            kind=TransactionKind.WALLET_TOP_UP,
            key=f"top-up-{uuid.uuid4().hex}",
            legs=[ledger.Leg(source, -amount), ledger.Leg(ledger.wallet_account(user, currency), amount)],
        )


def mail_clear() -> None:
    """Forget the e-mails a test's set-up sent or left queued in the outbox (its pledges' receipts,
    whose transaction a test never commits), so the test sees only the mail of what it does next."""
    from django.core import mail

    from core.models import OutboxMail

    OutboxMail.objects.all().delete()
    mail.outbox.clear()
