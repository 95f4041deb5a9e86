"""Reads of pledges, and of campaigns with what their pledges add up to (raised, backers): the lists
of the site and of the API share `campaigns_browse`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from accounts.profile import display_name
from core.text import search_spellings
from payments.gateways import GatewayUnavailable, ProviderObjectMissing
from payments.models import AttemptKind, AttemptStatus
from payments.services import REFUND_NOT_RETRIED, confirmation_secret
from platforms.models import Platform
from projects.models import FAILED_STATUSES, FUNDED_STATUSES, NOT_PUBLIC_STATUSES, Campaign, CampaignStatus
from projects.selectors import campaign_detail_prefetch

from .models import COUNTING, BackerVisibility, Pledge, PledgeStatus

# A pledge's own full refunds: `pledge-<id>-refund`, `pledge-<id>-refund-2`, ... (payments.services.refund_key).
_OWN_REFUND = r"^pledge-[0-9]+-refund(-[0-9]+)?$"


# --- pledges ------------------------------------------------------------------------------------


def pledges_of(backer: Any) -> QuerySet[Pledge]:
    """A backer's own pledges, newest first, with what a list shows of their campaign and tier."""
    return Pledge.objects.filter(backer_id=backer.pk).select_related("campaign", "tier")


def pledges_of_dashboard(backer: Any, *, limit: int = 200) -> list[Pledge]:
    """The backer's latest pledges as their dashboard lists them (campaign, platform and tier loaded)."""
    return list(
        Pledge.objects.filter(backer=backer)
        .select_related("campaign__platform", "tier")
        .order_by("-created_at", "-id")[:limit]
    )


def pledge_decline_reason(pledge: Pledge) -> str:
    """The provider's reason for a declined pledge's last refused attempt ("insufficient_funds", ...), or ""."""
    attempt = pledge.attempts.filter(status=AttemptStatus.DECLINED).exclude(code="").order_by("-id").first()
    return attempt.code if attempt else ""


def pledge_of_backer(backer: Any, pledge_id: int) -> Pledge | None:
    """The backer's pledge `pledge_id` with its campaign, platform and tier, or None."""
    return Pledge.objects.select_related("campaign__platform", "tier").filter(pk=pledge_id, backer_id=backer.pk).first()


def campaign_backers(campaign_id: int) -> QuerySet[Pledge]:
    """The counting pledges of a campaign with their backers and rewards, in id order (the owner's
    backers list, for fulfilment)."""
    return (
        Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING)
        .select_related("backer", "tier")
        .order_by("id")
    )


@dataclass(frozen=True)
class PublicBacker:
    """One backer as a campaign's public list shows them: `name` is None for an anonymous backer (the
    default), so a name never leaves the database unless its backer chose to be shown. Amounts are
    not shown (README "Backers list")."""

    name: str | None
    since: dt.datetime


def person_name(user: Any) -> str:
    """The name the site shows for a person (accounts.profile.display_name: never an e-mail address)."""
    return display_name(user)


def campaign_backers_public(campaign_id: int, *, limit: int, offset: int = 0) -> list[PublicBacker]:
    """A campaign's distinct backers with a counting pledge, newest first, as its public list shows
    them (pledges.models.BackerVisibility: by name, or anonymous when they did not choose to be
    named). Two queries whatever the number shown."""
    shown = BackerVisibility.objects.filter(campaign_id=campaign_id, backer_id=OuterRef("backer_id"), by_name=True)
    rows = list(
        Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING)
        .values("backer_id")
        .annotate(first_id=Min("id"), since=Min("created_at"), by_name=Exists(shown))
        .order_by("-first_id")[offset : offset + limit]
    )
    named = [row["backer_id"] for row in rows if row["by_name"]]
    names = {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=named)} if named else {}
    return [PublicBacker(name=names.get(row["backer_id"]), since=row["since"]) for row in rows]


def campaign_backers_public_count(campaign_id: int) -> int:
    """How many distinct backers the public list has (counting pledges)."""
    return Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING).values("backer_id").distinct().count()


def backer_shown_by_name(campaign_id: int, backer: Any) -> bool:
    """Whether `backer` chose to be shown by name on the campaign's list (False: anonymous, the default)."""
    return BackerVisibility.objects.filter(campaign_id=campaign_id, backer_id=backer.pk, by_name=True).exists()


def pledge_next_action(pledge: Pledge) -> dict[str, Any] | None:
    """What the backer must do for a pending card pledge to go on, for an app that pledged through
    the API; None when nothing is asked of them.

    - `confirm_payment`: the bank asks the backer to confirm the payment (3-D Secure) before
      `pay_before`: confirm it with Stripe.js or a Stripe mobile SDK on `client_secret`
      (a PaymentIntent's), or open `url` (the site's page: confirm, or pay with another card).
      Afterwards the pledge is cancelled and its reward freed.
    - `confirm_card_setup`: saving the card needs the bank's confirmation: confirm the SetupIntent
      `client_secret` (Stripe.js `confirmCardSetup`); the pledge then goes on by itself (secured, or
      charged, which may ask for `confirm_payment` in turn).

    `client_secret` is empty when the provider did not answer (ask again)."""
    if pledge.status != PledgeStatus.PENDING:
        return None
    if pledge.retry_until is not None:
        attempt = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
        secret = ""
        if attempt is not None:
            try:
                secret = confirmation_secret(attempt) or ""
            except (GatewayUnavailable, ProviderObjectMissing):  # missing: another card pays, or the window ends
                pass
        url = settings.CIVICFUND_SITE_URL.rstrip("/") + reverse("payments:pledge_retry", args=[pledge.pk])
        return {"type": "confirm_payment", "pay_before": pledge.retry_until, "client_secret": secret, "url": url}
    for setup in reversed(list(pledge.attempts.filter(kind=AttemptKind.SAVE_CARD, status=AttemptStatus.PENDING))):
        try:
            setup_secret = confirmation_secret(setup)
        except GatewayUnavailable:
            setup_secret = ""
        except ProviderObjectMissing:
            continue
        if setup_secret is not None:
            return {"type": "confirm_card_setup", "client_secret": setup_secret}
    return None


def pledges_with_failed_refunds() -> QuerySet[Pledge]:
    """Refunding pledges whose own card refunds have all been declined or failed, none still open,
    annotated with how many failed (`refunds_failed`, the latest attempt's number), how many were
    refused for good (`refunds_final`, payments.services.REFUND_NOT_RETRIED) and when the last failed
    (`refund_failed_at`)."""
    own = Q(attempts__kind=AttemptKind.REFUND, attempts__idempotency_key__regex=_OWN_REFUND)
    failed = own & Q(attempts__status=AttemptStatus.DECLINED)
    return (
        Pledge.objects.filter(status=PledgeStatus.REFUNDING)
        .annotate(
            refunds_failed=Count("attempts", filter=failed),
            refunds_open=Count("attempts", filter=own & ~Q(attempts__status=AttemptStatus.DECLINED)),
            refunds_final=Count("attempts", filter=failed & Q(attempts__code__in=REFUND_NOT_RETRIED)),
            refund_failed_at=Max("attempts__updated_at", filter=failed),
        )
        .filter(refunds_failed__gt=0, refunds_open=0)
    )


def campaign_refunds_pending(campaign_id: int) -> bool:
    """A refunding campaign still has money its refund chunks must send back: a paid pledge, or a
    refunding one none of whose refunds has failed. Pledges with a failed refund are not theirs:
    their retry task (`pledges.tasks.refund_retry`, requeued by `failed_refunds_retry`) or an admin
    sees to them."""
    waiting = pledges_with_failed_refunds().filter(campaign_id=campaign_id).values("pk")
    return (
        Pledge.objects.filter(campaign_id=campaign_id, status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING])
        .exclude(pk__in=waiting)
        .exists()
    )


def pledges_awaiting_manual_refund() -> QuerySet[Pledge]:
    """Refunding pledges no automatic refund will be tried for again: CIVICFUND_REFUND_ATTEMPTS of
    them failed, or one was refused for good. An admin pays these backers by other means."""
    return pledges_with_failed_refunds().filter(
        Q(refunds_failed__gte=settings.CIVICFUND_REFUND_ATTEMPTS) | Q(refunds_final__gt=0)
    )


# --- campaigns with their totals ------------------------------------------------------------------


def campaign_totals(campaign_id: int) -> tuple[int, int]:
    """What a campaign has raised now (DOMAIN.md "Raised": paid pledges, and cards secured on
    charge-on-success platforms) and from how many distinct backers."""
    totals = Pledge.objects.filter(campaign_id=campaign_id, status__in=COUNTING).aggregate(
        raised=Sum("amount", default=0), backers=Count("backer", distinct=True)
    )
    return totals["raised"], totals["backers"]


def campaign_raised(campaign_id: int) -> int:
    """DOMAIN.md "Raised": paid pledges, and cards secured on charge-on-success platforms."""
    return campaign_totals(campaign_id)[0]


def campaigns_with_totals(qs: QuerySet[Campaign] | None = None) -> QuerySet[Campaign]:
    """Campaigns annotated with `raised` and `backers`, in one query whatever their number: those of
    its deadline for a closed campaign (`raised_at_close`, `backers_at_close`: a failed campaign shows
    what it reached, not the nothing its refunds leave), the live counts before.

    Each total is a subquery on the campaign's own counting pledges (index `pledge_campaign_status_id`)
    rather than a join grouped over every pledge: a page of campaigns sorted by date or goal costs
    its own campaigns' pledges (PostgreSQL computes the subqueries after the sort and the LIMIT), not
    the whole pledge table's. Sorting by a total still computes it for every campaign matched."""
    qs = Campaign.objects.all() if qs is None else qs
    counting = Pledge.objects.filter(campaign=OuterRef("pk"), status__in=COUNTING).order_by().values("campaign")
    raised = Subquery(counting.annotate(total=Sum("amount")).values("total"), output_field=IntegerField())
    backers = Subquery(counting.annotate(n=Count("backer", distinct=True)).values("n"), output_field=IntegerField())
    return qs.select_related("platform", "category", "area", "owner").annotate(
        raised=Coalesce("raised_at_close", raised, 0), backers=Coalesce("backers_at_close", backers, 0)
    )


def campaigns_visible_to(user: Any, qs: QuerySet[Campaign] | None = None) -> QuerySet[Campaign]:
    """`campaigns_with_totals` limited to what `user` may read: public campaigns, the user's own,
    and everything for staff."""
    qs = campaigns_with_totals(qs)
    if getattr(user, "is_staff", False):
        return qs
    public = ~Q(status__in=NOT_PUBLIC_STATUSES)
    if getattr(user, "is_authenticated", False):
        return qs.filter(public | Q(owner_id=user.pk))
    return qs.filter(public)


def campaigns_owned(user: Any) -> QuerySet[Campaign]:
    """The user's own campaigns with their totals, newest first (the owner's dashboard)."""
    return campaigns_with_totals(Campaign.objects.filter(owner=user)).order_by("-created_at")


def campaign_owned(user: Any, campaign_id: int) -> Campaign | None:
    """The user's own campaign `campaign_id` with its totals and platform, or None."""
    return campaigns_with_totals(Campaign.objects.filter(owner=user)).filter(pk=campaign_id).first()


def campaigns_public(platform: Platform | None = None) -> QuerySet[Campaign]:
    """Campaigns a visitor may see (approved ones), with `raised` and `backers`."""
    qs = Campaign.objects.exclude(status__in=NOT_PUBLIC_STATUSES)
    if platform is not None:
        qs = qs.filter(platform=platform)
    return campaigns_with_totals(qs)


def platform_totals(platform: Platform) -> dict[str, int]:
    """What a platform has raised (pledges that count, on approved campaigns), from how many distinct
    backers, and how many campaigns were funded: two queries."""
    pledges = Pledge.objects.filter(campaign__platform=platform, status__in=COUNTING)
    totals: dict[str, int] = pledges.aggregate(raised=Sum("amount", default=0), backers=Count("backer", distinct=True))
    totals["funded"] = Campaign.objects.filter(platform=platform, status__in=FUNDED_STATUSES).count()
    return totals


def text_search(text: str, *, fields: tuple[str, ...] = ("title", "story", "area__name", "area__name_fa")) -> Q:
    """Campaigns with `text` in any of `fields`, whichever way its kaf and yeh are spelled there."""
    match = Q()
    for spelling in search_spellings(text):
        for field in fields:
            match |= Q(**{f"{field}__icontains": spelling})
    return match


# The browse page's named states: the campaign statuses each covers (projects.models' groups).
STATES: dict[str, tuple[str, ...]] = {
    "live": (CampaignStatus.LIVE,),
    "funded": FUNDED_STATUSES,
    "failed": FAILED_STATUSES,
}
# The orderings a list may ask for by name (the API's `ordering`), each then by id the same way.
ORDERINGS = (
    "deadline",
    "-deadline",
    "created_at",
    "-created_at",
    "goal",
    "-goal",
    "raised",
    "-raised",
    "backers",
    "-backers",
    "title",
    "-title",
)


def campaigns_browse(
    *,
    viewer: Any = None,
    platform: Platform | str | None = None,
    category: str = "",
    area: str = "",
    state: str = "",
    status: str = "",
    funding_model: str = "",
    q: str = "",
    words: str = "",
    mine: bool = False,
    sort: str = "newest",
) -> QuerySet[Campaign]:
    """The campaign lists' filters and sort orders as one queryset, for the browse page and the API.

    Without `viewer`: the public campaigns (`campaigns_public`); with one: what they may see
    (`campaigns_visible_to`; `mine` narrows it to their own). `platform` is a Platform or a slug;
    `category` and `area` are slugs (an area's slug on every platform that has it);
    `state` a named group of STATES, `status` one exact status; `q` is matched as typed (the site's
    search, whichever way its Persian letters and spaces are typed), `words` word by word (the API's).
    `sort`: "newest", "ending" (live campaigns first, the soonest deadline first; then the closed
    ones, the most recently ended first, so the filters still show everything they match), "funded"
    (percent of the goal), or one of ORDERINGS.
    """
    if viewer is None:
        qs = campaigns_public(platform if isinstance(platform, Platform) else None)
    else:
        qs = campaigns_visible_to(viewer)
        if mine:
            authenticated = getattr(viewer, "is_authenticated", False)
            qs = qs.filter(owner_id=viewer.pk) if authenticated else qs.none()
    if isinstance(platform, str) and platform:
        qs = qs.filter(platform__slug=platform)
    elif isinstance(platform, Platform) and viewer is not None:
        qs = qs.filter(platform=platform)
    if category:
        qs = qs.filter(category__slug=category)
    if area:
        qs = qs.filter(area__slug=area)
    if state in STATES:
        qs = qs.filter(status__in=STATES[state])
    if status:
        qs = qs.filter(status=status)
    if funding_model:
        qs = qs.filter(funding_model=funding_model)
    if q:
        qs = qs.filter(text_search(q))
    for word in words.split():
        qs = qs.filter(text_search(word))
    if sort == "ending":
        live = Q(status=CampaignStatus.LIVE)
        qs = qs.annotate(
            closed_rank=Case(When(live, then=Value(0)), default=Value(1), output_field=IntegerField()),
            live_deadline=Case(When(live, then=F("deadline")), default=None),
        )
        return qs.order_by("closed_rank", "live_deadline", "-deadline", "-id")
    if sort == "funded":
        qs = qs.annotate(funded_percent=ExpressionWrapper(F("raised") * 100 / F("goal"), output_field=IntegerField()))
        return qs.order_by("-funded_percent", "-id")
    if sort in ORDERINGS:
        return qs.order_by(sort, "-id" if sort.startswith("-") else "id")
    return qs.order_by("-created_at", "-id")


# --- the front pages (web.views.public.home, platform_detail): each list one query, whatever its size --

FRONT_CARDS = 6


def campaigns_featured(*, platform: Platform | None = None, now: Any, limit: int = 3) -> list[Campaign]:
    """Live campaigns taking pledges at `now`: those staff featured (`Campaign.featured`) first, then the
    ones nearest their goal (percent: amounts of different currencies do not compare), so the section
    is never empty while anything is live."""
    qs = campaigns_public(platform).filter(Campaign.accepting_pledges_q(now))
    qs = qs.annotate(funded_percent=ExpressionWrapper(F("raised") * 100 / F("goal"), output_field=IntegerField()))
    return list(qs.order_by("-featured", "-funded_percent", "deadline", "id")[:limit])


def campaigns_ending_soon(*, platform: Platform | None = None, now: Any, limit: int = FRONT_CARDS) -> list[Campaign]:
    """Live campaigns still taking pledges at `now`, the nearest deadline first (one past its deadline
    and waiting for the close job is not shown: it takes no more pledges)."""
    qs = campaigns_public(platform).filter(Campaign.accepting_pledges_q(now))
    return list(qs.order_by("deadline", "id")[:limit])


def campaigns_funded_lately(*, platform: Platform | None = None, limit: int = FRONT_CARDS) -> list[Campaign]:
    """Campaigns that reached their goal (FUNDED_STATUSES), the most recently closed first."""
    qs = campaigns_public(platform).filter(status__in=FUNDED_STATUSES)
    return list(qs.order_by(F("closed_at").desc(nulls_last=True), "-deadline", "-id")[:limit])


def campaign_public_page(*, slug: str, campaign_id: int) -> Campaign | None:
    """A public campaign of the platform `slug`, with what its page shows (projects.selectors.
    campaign_detail_prefetch), or None."""
    return campaign_detail_prefetch(campaigns_public().filter(platform__slug=slug)).filter(pk=campaign_id).first()
