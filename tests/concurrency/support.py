"""Helpers for tests that run real threads (or processes) against a committed database.

Data is made through the service functions, as a user would, and committed (the tests use
`transactional_db`), so every thread's own connection sees it.
"""

from __future__ import annotations

import datetime as dt
import threading
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from ledger.models import Entry, Transaction
from payouts.details import bank_details_save
from payouts.models import Payout
from platforms.models import Area, Category, Platform
from platforms.presets import presets_load
from pledges.models import Pledge
from projects import services as projects
from projects.models import Campaign, CampaignStatusChange
from tests.factories import GOOD_IBAN, GOOD_SHEBA, guarantee_verified

GOOD_CARD = "4242424242424242"
JOIN_TIMEOUT = 60  # seconds; a thread still running after this is a hang, and fails the test


def presets_ensure() -> None:
    """The preset platforms come from a data migration; a transactional test before this one may
    have flushed them, so make sure they exist (idempotent)."""
    presets_load(Platform, Category, Area)


def user_make(prefix: str = "user", *, staff: bool = False):
    """A user who signed up and verified their e-mail (staff: a superuser, who may approve)."""
    user = get_user_model().objects.create_user(
        username=f"{prefix}-{uuid.uuid4().hex[:10]}", password="x", is_staff=staff, is_superuser=staff
    )
    EmailAddress.objects.create(user=user, email=f"{user.username}@example.org", verified=True, primary=True)
    return user


def backers_make(n: int, prefix: str = "backer") -> list:
    return [user_make(prefix) for _ in range(n)]


def campaign_live(
    slug: str,
    *,
    goal: int,
    deadline_in: dt.timedelta = dt.timedelta(days=7),
    funding_model: str | None = None,
    tiers: list[dict] | None = None,
) -> Campaign:
    """A live campaign on preset platform `slug`, made by an owner and approved by staff."""
    platform = Platform.objects.get(slug=slug)
    owner, admin = user_make("owner"), user_make("staff", staff=True)
    # The account the owner is paid to (payouts.details: needed before a campaign is submitted).
    bank_details_save(user=owner, holder_name=owner.username, iban=GOOD_IBAN, sheba=GOOD_SHEBA)
    now = timezone.now()
    campaign = projects.campaign_create(
        owner=owner,
        platform=platform,
        category=platform.categories.first(),
        area=platform.areas.first(),
        title=f"{slug} campaign {uuid.uuid4().hex[:6]}",
        story="A story.",
        goal=goal,
        starts_at=now - dt.timedelta(hours=1),
        deadline=now + deadline_in,
        funding_model=funding_model or platform.funding_models[0],
    )
    for tier in tiers or []:
        projects.tier_add(campaign=campaign, user=owner, **tier)
    if platform.guarantee_required:  # the pre-sale preset: a verified bank guarantee first
        guarantee_verified(campaign)
    projects.campaign_submit(campaign=campaign, user=owner)
    projects.campaign_approve(campaign=campaign, admin=admin)
    return Campaign.objects.get(pk=campaign.pk)


@dataclass
class Outcome:
    value: object = None
    error: BaseException | None = None
    trace: str = ""


@dataclass
class ThreadRun:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def values(self) -> list:
        return [o.value for o in self.outcomes if o.error is None]

    @property
    def errors(self) -> list[BaseException]:
        return [o.error for o in self.outcomes if o.error is not None]

    def unexpected(self, *allowed: type[BaseException]) -> list[str]:
        return [o.trace for o in self.outcomes if o.error is not None and not isinstance(o.error, allowed)]


def threads_run(targets: list[Callable[[], object]], *, timeout: float = JOIN_TIMEOUT) -> ThreadRun:
    """Run each target in its own thread (and so its own database connection), all released at
    once by a barrier. Every thread closes its connection at the end. Fails if one hangs."""
    barrier = threading.Barrier(len(targets))
    run = ThreadRun(outcomes=[Outcome() for _ in targets])

    def body(i: int, target: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=timeout)
            run.outcomes[i].value = target()
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            run.outcomes[i].error = exc
            run.outcomes[i].trace = traceback.format_exc()
        finally:
            connection.close()

    threads = [threading.Thread(target=body, args=(i, t), daemon=True, name=f"conc-{i}") for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    hung = [t.name for t in threads if t.is_alive()]
    assert not hung, f"threads still running after {timeout}s (deadlock?): {hung}"
    return run


def books_snapshot(campaign_id: int | None = None) -> dict[str, int]:
    """Row counts that any repeated close, split, refund or payout would change."""

    def scoped(qs, name="campaign_id"):
        return qs.filter(**{name: campaign_id}) if campaign_id else qs

    return {
        "transactions": scoped(Transaction.objects).count(),
        "entries": Entry.objects.count(),
        "payouts": scoped(Payout.objects).count(),
        "status_changes": scoped(CampaignStatusChange.objects).count(),
        "pledges": scoped(Pledge.objects).count(),
    }
