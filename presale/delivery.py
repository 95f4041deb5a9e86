"""Delivery of pre-sale rewards: the backer's shipping address at pledge time, the owner marking rewards
shipped (one by one or from a CSV file), the backer confirming receipt or reporting a problem, and the
address deleted `Platform.address_keep_days` after delivery. Rules: docs/architecture.md, "Pre-sale
guarantees, delivery and claims"; reading and lateness: `presale.selectors`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.errors import ApplicationError, InvalidTransition, PermissionDenied
from core.outbox import notify
from platforms.models import Platform
from pledges.models import ENDING, Pledge, PledgeStatus
from pledges.services import pledge_checkout_start, pledge_get_or_create
from projects.models import FUNDED_STATUSES, Campaign, RewardTier

from .models import DELIVERY_TRANSITIONS, Delivery, DeliveryStatus, ShippingAddress

D = DeliveryStatus
ADDRESS_FIELDS = ("recipient", "phone", "address", "city", "region", "postal_code", "country")
ADDRESS_REQUIRED = ("recipient", "address", "city", "postal_code", "country")
TRACKING_MAX = 120
CSV_MAX_BYTES = 1_000_000
CSV_MAX_ROWS = 10_000


# Shipping address -------------------------------------------------------------------------------


def shipping_address_check(*, tier: RewardTier | None, address: dict[str, Any] | None) -> dict[str, str] | None:
    """The cleaned address a pledge of `tier` needs (None when its reward does not ship: an address
    given anyway is not kept). Raises an ApplicationError naming the first missing or too long field."""
    if tier is None or not tier.ships:
        return None
    given = {name: str((address or {}).get(name) or "").strip() for name in ADDRESS_FIELDS}
    for name in ADDRESS_REQUIRED:
        if not given[name]:
            raise ApplicationError(
                gettext_noop("This reward is shipped: give the address to send it to."),
                code="address_required",
                field=f"shipping_address.{name}" if address else "shipping_address",
            )
    limits: dict[str, int] = {
        f.name: int(f.max_length or 0) for f in ShippingAddress._meta.fields if getattr(f, "max_length", None)
    }
    for name, value in given.items():
        if len(value) > limits.get(name, 1000):
            raise ApplicationError(gettext_noop("This is too long."), code="too_long", field=f"shipping_address.{name}")
    given["country"] = given["country"].upper()
    if len(given["country"]) != 2 or not given["country"].isalpha():
        raise ApplicationError(
            gettext_noop("Give the country as its two-letter code (IR, GB)."),
            code="bad_country",
            field="shipping_address.country",
        )
    return given


def shipping_address_keep(*, pledge: Pledge, address: dict[str, str] | None) -> ShippingAddress | None:
    """Keep the checked address of a new pledge (once: a replayed request keeps the first one). Called
    inside the transaction that writes the pledge (`_keeper`), so a pledge of a reward that ships never
    exists without its address."""
    if address is None:
        return None
    kept, _made = ShippingAddress.objects.get_or_create(pledge=pledge, defaults=address)
    return kept


class _Keeper:
    """What `pledge_get_or_create` runs in the pledge's own transaction: keep the checked address. It
    remembers the pledge, so the address of a card pledge declined at once is not kept (`forget_ended`)."""

    def __init__(self, address: dict[str, str]) -> None:
        self.address, self.pledge_id = address, 0

    def __call__(self, pledge: Pledge) -> None:
        shipping_address_keep(pledge=pledge, address=self.address)
        self.pledge_id = pledge.pk

    def forget_ended(self) -> None:
        if self.pledge_id:
            ShippingAddress.objects.filter(pledge_id=self.pledge_id, pledge__status__in=ENDING).delete()


def _tier_of(campaign_id: int, tier_id: Any) -> RewardTier | None:
    if tier_id in (None, "") or not str(tier_id).isdigit():
        return None
    return RewardTier.objects.filter(pk=int(tier_id), campaign_id=campaign_id).first()


def pledge_create_shipped(
    *,
    campaign_id: int,
    backer: Any,
    amount: int,
    tier_id: Any = None,
    address: dict[str, Any] | None = None,
    **pay: Any,
) -> tuple[Pledge, bool]:
    """`pledges.services.pledge_get_or_create`, with the shipping address a reward that ships needs: the
    address is checked first (refused: nothing is pledged), then written in the pledge's own
    transaction (if writing it fails, nothing is pledged either). Same return and errors as
    `pledge_get_or_create`, plus the address's."""
    checked = shipping_address_check(tier=_tier_of(campaign_id, tier_id), address=address)
    keeper = _Keeper(checked) if checked is not None else None
    try:
        return pledge_get_or_create(
            campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id, with_pledge=keeper, **pay
        )
    except ApplicationError:
        if keeper is not None:  # e.g. the card declined at once: the pledge is over, its address not needed
            keeper.forget_ended()
        raise


def pledge_checkout_start_shipped(
    *,
    campaign_id: int,
    backer: Any,
    amount: int,
    tier_id: Any = None,
    address: dict[str, Any] | None = None,
    **page: Any,
) -> tuple[Pledge, str]:
    """`pledges.services.pledge_checkout_start` (a card pledge on the provider's card page), with the
    shipping address checked first and written in the transaction that opens the pledge."""
    checked = shipping_address_check(tier=_tier_of(campaign_id, tier_id), address=address)
    keeper = _Keeper(checked) if checked is not None else None
    return pledge_checkout_start(
        campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id, with_pledge=keeper, **page
    )


def addresses_forget(*, now: dt.datetime | None = None) -> int:
    """Delete the shipping addresses no longer needed: those of rewards delivered more than the
    platform's `address_keep_days` ago, and those of pledges that ended unpaid or refunded that long
    ago. Idempotent (a second run finds nothing). Returns how many it deleted."""
    now = now or timezone.now()
    deleted = 0
    # Per platform (each has its own keep days); few platforms, one DELETE each.
    for platform in Platform.objects.only("pk", "address_keep_days"):
        before = now - dt.timedelta(days=platform.address_keep_days)
        on_platform = Q(pledge__campaign__platform_id=platform.pk)
        done = Q(pledge__delivery__status=D.DELIVERED, pledge__delivery__confirmed_at__lt=before)
        ended = Q(pledge__status__in=ENDING, pledge__ended_at__lt=before)
        ids = list(ShippingAddress.objects.filter(on_platform & (done | ended)).values_list("pk", flat=True))
        if ids:
            deleted += ShippingAddress.objects.filter(pk__in=ids).delete()[0]
    return deleted


# Moves ------------------------------------------------------------------------------------------


def _shippable(pledge: Pledge) -> None:
    if pledge.tier is None or not pledge.tier.ships:
        raise ApplicationError(gettext_noop("This pledge's reward is not shipped."), code="not_shipped_reward")
    if pledge.status != PledgeStatus.PAID:
        raise ApplicationError(gettext_noop("This pledge is not paid: no reward is owed."), code="not_paid")
    if pledge.campaign.status not in FUNDED_STATUSES:
        raise ApplicationError(
            gettext_noop("Rewards are shipped once the campaign is funded."), code="campaign_not_funded"
        )


def _locked_delivery(pledge: Pledge) -> Delivery:
    """The pledge's delivery row, locked (made, outstanding, on the first move)."""
    Delivery.objects.get_or_create(pledge=pledge, defaults={"campaign_id": pledge.campaign_id})
    return Delivery.objects.select_for_update().get(pledge=pledge)


def _move(delivery: Delivery, to: str) -> None:
    if to not in DELIVERY_TRANSITIONS[delivery.status]:
        raise InvalidTransition(gettext_noop("This reward cannot change that way now."), code="delivery_transition")
    delivery.status = to


def _tracking(reference: str) -> str:
    reference = (reference or "").strip()
    if len(reference) > TRACKING_MAX:
        raise ApplicationError(gettext_noop("This is too long."), code="too_long", field="tracking_reference")
    return reference


def _pledge_of(pledge_id: int) -> Pledge:
    return Pledge.objects.select_related("tier", "campaign__platform").get(pk=pledge_id)


def delivery_ship(
    *, pledge: Pledge, user: Any, tracking_reference: str = "", now: dt.datetime | None = None
) -> Delivery:
    """The campaign's owner sent the pledge's reward (again, after a problem; or corrects the tracking of a
    shipped one). Refused: not the owner, a reward that does not ship, a pledge not paid, a campaign not
    funded, a reward already delivered. The backer is e-mailed."""
    pledge = _pledge_of(pledge.pk)
    if pledge.campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(gettext_noop("Only the campaign's owner can do this."))
    _shippable(pledge)
    reference = _tracking(tracking_reference)
    with transaction.atomic():
        delivery = _locked_delivery(pledge)
        _move(delivery, D.SHIPPED)
        delivery.shipped_at = now or timezone.now()
        delivery.tracking_reference = reference
        delivery.save()
        notify("delivery_news", pledge_id=pledge.pk, news="shipped")
    return delivery


def delivery_confirm(*, pledge: Pledge, backer: Any, now: dt.datetime | None = None) -> Delivery:
    """The backer received the reward: delivered (final; its address is deleted the platform's keep days
    later). Refused: not the pledge's backer, a reward that does not ship, a pledge not paid."""
    pledge = _pledge_of(pledge.pk)
    if pledge.backer_id != getattr(backer, "pk", None):
        raise PermissionDenied(gettext_noop("Only the backer of this pledge can do this."))
    _shippable(pledge)
    with transaction.atomic():
        delivery = _locked_delivery(pledge)
        _move(delivery, D.DELIVERED)
        delivery.confirmed_at = now or timezone.now()
        delivery.save()
    return delivery


def delivery_problem_report(*, pledge: Pledge, backer: Any, text: str, now: dt.datetime | None = None) -> Delivery:
    """The backer reports a problem (not arrived, damaged, not as described). The owner is e-mailed and may
    ship it again; a claim is filed separately. Refused: not the backer, no text, a delivered reward."""
    pledge = _pledge_of(pledge.pk)
    if pledge.backer_id != getattr(backer, "pk", None):
        raise PermissionDenied(gettext_noop("Only the backer of this pledge can do this."))
    _shippable(pledge)
    text = (text or "").strip()
    if not text:
        raise ApplicationError(gettext_noop("Say what the problem is."), code="problem_required", field="problem")
    if len(text) > 4000:
        raise ApplicationError(gettext_noop("This is too long."), code="too_long", field="problem")
    with transaction.atomic():
        delivery = _locked_delivery(pledge)
        _move(delivery, D.PROBLEM)
        delivery.problem = text
        delivery.problem_at = now or timezone.now()
        delivery.save()
        notify("delivery_news", pledge_id=pledge.pk, news="problem")
    return delivery


# Shipping from a CSV file -----------------------------------------------------------------------


@dataclass
class ShipReport:
    """What a CSV upload did: `shipped` pledge ids when the file was good; else `errors`, (line, message)
    per bad row, and nothing written."""

    shipped: list[int] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _csv_rows(content: bytes) -> list[tuple[int, list[str]]]:
    if len(content) > CSV_MAX_BYTES:
        raise ApplicationError(gettext_noop("The file is too large (at most 1 MB)."), code="csv_too_large")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError(gettext_noop("The file is not UTF-8 text (CSV)."), code="csv_not_text") from None
    try:
        rows = [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text)), start=1) if any(c.strip() for c in row)]
    except csv.Error:
        raise ApplicationError(gettext_noop("The file is not a CSV file."), code="csv_not_text") from None
    if rows and rows[0][1] and not rows[0][1][0].strip().isdigit():
        rows = rows[1:]  # a header line
    if not rows:
        raise ApplicationError(gettext_noop("The file has no rows."), code="csv_empty")
    if len(rows) > CSV_MAX_ROWS:
        raise ApplicationError(gettext_noop("The file has too many rows (at most 10,000)."), code="csv_too_many")
    return rows


def deliveries_ship_csv(*, campaign: Campaign, user: Any, content: bytes, now: dt.datetime | None = None) -> ShipReport:
    """Mark many rewards shipped from a CSV file of `pledge_id,tracking_reference` lines (a header line is
    allowed). Every row is checked first; one bad row (not a number, not a paid pledge of this campaign
    whose reward ships, already delivered, the same pledge twice, a reference too long) and nothing is
    written: the report lists each bad row's line and reason. A good file ships every row in one
    transaction (a row already shipped gets the new tracking reference) and e-mails each backer."""
    if campaign.owner_id != getattr(user, "pk", None):
        raise PermissionDenied(gettext_noop("Only the campaign's owner can do this."))
    if campaign.status not in FUNDED_STATUSES:
        raise ApplicationError(
            gettext_noop("Rewards are shipped once the campaign is funded."), code="campaign_not_funded"
        )
    rows = _csv_rows(content)
    report = ShipReport()
    wanted: dict[int, tuple[int, str]] = {}
    for line, row in rows:
        raw = row[0].strip()
        reference = row[1].strip() if len(row) > 1 else ""
        if not raw.isdigit() or len(raw) > 18:
            report.errors.append((line, gettext_noop("The pledge id is not a number.")))
        elif int(raw) in wanted:
            report.errors.append((line, gettext_noop("This pledge is on an earlier line too.")))
        elif len(reference) > TRACKING_MAX:
            report.errors.append((line, gettext_noop("The tracking reference is too long.")))
        else:
            wanted[int(raw)] = (line, reference)
    pledges = {
        p.pk: p
        for p in Pledge.objects.filter(campaign=campaign, pk__in=list(wanted)).select_related("tier", "delivery")
    }
    for pledge_id, (line, _ref) in wanted.items():
        pledge = pledges.get(pledge_id)
        if pledge is None:
            report.errors.append((line, gettext_noop("No pledge of this campaign has this id.")))
        elif pledge.tier is None or not pledge.tier.ships:
            report.errors.append((line, gettext_noop("This pledge's reward is not shipped.")))
        elif pledge.status != PledgeStatus.PAID:
            report.errors.append((line, gettext_noop("This pledge is not paid: no reward is owed.")))
        elif getattr(pledge, "delivery", None) is not None and pledge.delivery.status == D.DELIVERED:
            report.errors.append((line, gettext_noop("This reward was already delivered.")))
    if report.errors:
        report.errors.sort()
        return report
    at = now or timezone.now()
    with transaction.atomic():
        for pledge_id, (line, reference) in wanted.items():
            delivery = _locked_delivery(pledges[pledge_id])
            if delivery.status == D.DELIVERED:  # confirmed since the check above: the whole file fails
                transaction.set_rollback(True)
                return ShipReport(errors=[(line, gettext_noop("This reward was already delivered."))])
            _move(delivery, D.SHIPPED)
            delivery.shipped_at = at
            delivery.tracking_reference = reference
            delivery.save()
            notify("delivery_news", pledge_id=pledge_id, news="shipped")
            report.shipped.append(pledge_id)
    return report
