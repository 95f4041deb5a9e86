"""Comparing civicfund's books with a payment provider's (Stripe: `reconcile_stripe`): charges, refunds
and transfers, through the port's reconciliation calls (`capabilities.reconciliation`).

For each of the provider's charges, refunds and payouts of ours in scope, its object is fetched and
compared with our attempt row and with the ledger; refunds and transfers at the provider that we did
not make are listed too. Returns human-readable mismatches, none when everything agrees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, Sum

from ledger.models import AccountKind, Entry, TransactionKind
from payments.gateways import PaymentGateway, gateway_get
from payments.models import AttemptKind, AttemptStatus, PaymentAttempt
from payouts.models import Payout, PayoutMethodName, PayoutStatus


def _ledger_by_pledge(kinds: tuple[str, ...], pledge_ids: set[int]) -> dict[int, int]:
    rows = (
        Entry.objects.filter(
            pledge_id__in=pledge_ids, transaction__kind__in=kinds, account__kind=AccountKind.CARD_NETWORK
        )
        .values("pledge_id")
        .annotate(total=Sum("amount"))
    )
    return {r["pledge_id"]: abs(r["total"] or 0) for r in rows}


def provider_reconcile(
    *,
    gateway_name: str,
    campaign_id: int | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[str]:
    """Every difference between our books and those of the provider `gateway_name`, for a campaign or a
    date range (of our attempts' creation, our payouts' payment)."""
    gateway = gateway_get(gateway_name)
    if not gateway.capabilities.reconciliation:
        raise ValueError(f"The {gateway_name} gateway keeps no books to reconcile with")
    at = gateway_name.title()  # how the messages name the provider: "Stripe"
    problems: list[str] = []
    attempts = PaymentAttempt.objects.filter(gateway=gateway_name).select_related("pledge")
    payouts = Payout.objects.filter(method=PayoutMethodName.CONNECTED_ACCOUNT)
    if campaign_id is not None:
        attempts = attempts.filter(pledge__campaign_id=campaign_id)
        payouts = payouts.filter(campaign_id=campaign_id)
    if since is not None:
        attempts = attempts.filter(created_at__gte=since)
        payouts = payouts.filter(paid_at__gte=since)
    if until is not None:
        attempts = attempts.filter(created_at__lt=until)
        payouts = payouts.filter(paid_at__lt=until)
    ours_in_scope = list(attempts.order_by("id"))

    charges = [a for a in ours_in_scope if a.kind == AttemptKind.CHARGE]
    refunds = [a for a in ours_in_scope if a.kind == AttemptKind.REFUND]
    pledge_ids = {a.pledge_id for a in charges} | {a.pledge_id for a in refunds}
    paid_ledger = _ledger_by_pledge((TransactionKind.PLEDGE_PAID,), pledge_ids)
    # Money given back to a card: a refund, or a pre-sale claim's compensation (a refund at the provider).
    refund_ledger = _ledger_by_pledge((TransactionKind.REFUND, TransactionKind.CLAIM_PAID), pledge_ids)
    our_refunds: dict[int, list[PaymentAttempt]] = defaultdict(list)
    for r in PaymentAttempt.objects.filter(kind=AttemptKind.REFUND, pledge_id__in=pledge_ids, gateway=gateway_name):
        our_refunds[r.pledge_id].append(r)

    for attempt in ours_in_scope:
        if attempt.kind in (AttemptKind.CHARGE, AttemptKind.REFUND) and attempt.status == AttemptStatus.STARTED:
            problems.append(f"{attempt.idempotency_key}: no answer from {at} recorded (retry it)")

    for charge in charges:
        name, ref = charge.idempotency_key, charge.reference
        if not gateway.is_charge_reference(ref):
            continue  # declined before a PaymentIntent existed
        if charge.code == "stray_payment":  # paid after the pledge was: must be refunded in full, once
            problems += _stray_problems(gateway, charge, our_refunds[charge.pledge_id], at)
            continue
        pi = gateway.charge_summary(ref)
        if pi.currency != charge.currency:
            problems.append(f"{name}: currency {charge.currency} here, {pi.currency} at {at} ({ref})")
        ours_paid = charge.status == AttemptStatus.SUCCEEDED
        if ours_paid and (pi.status != "succeeded" or pi.received != charge.amount):
            problems.append(f"{name}: we recorded {charge.amount} paid, {at} has {pi.received} ({pi.status}) on {ref}")
        if not ours_paid and pi.status == "succeeded":
            problems.append(f"{name}: {at} took {pi.received} on {ref}, we recorded {charge.status}")
        if not ours_paid:
            continue
        booked = paid_ledger.get(charge.pledge_id, 0)
        if booked != charge.amount:
            problems.append(
                f"{name}: the ledger booked {booked} paid for pledge {charge.pledge_id}, {at} charged {charge.amount}"
            )
        at_provider = [r for r in gateway.refunds_of(ref) if r.status in ("succeeded", "pending")]
        known = {r.reference for r in our_refunds[charge.pledge_id] if r.code != "stray_refund"}
        for refund in at_provider:
            if refund.reference not in known:
                problems.append(
                    f"{name}: refund {refund.reference} of {refund.amount} at {at} was not made by civicfund"
                )
        theirs = sum(refund.amount for refund in at_provider)
        ours = sum(
            r.amount
            for r in our_refunds[charge.pledge_id]
            if r.status == AttemptStatus.SUCCEEDED and r.code != "stray_refund"
        )
        booked_back = refund_ledger.get(charge.pledge_id, 0)
        if theirs > charge.amount:
            problems.append(f"{name}: {at} refunded {theirs}, more than the charge of {charge.amount}")
        if theirs != ours or ours != booked_back:
            problems.append(
                f"{name}: refunded {theirs} at {at}, {ours} in our refund rows, {booked_back} in the ledger"
            )

    groups: dict[int, list[Payout]] = defaultdict(list)
    for payout in payouts.filter(status__in=[PayoutStatus.PAID, PayoutStatus.PROCESSING]):
        groups[payout.campaign_id].append(payout)
    for cid, rows in groups.items():
        transfers = gateway.transfers_of(f"campaign-{cid}")
        by_id = {t.reference: t for t in transfers}
        known = set()
        for payout in rows:
            if payout.status == PayoutStatus.PROCESSING:
                problems.append(f"{payout.idempotency_key}: transfer sent, no answer recorded (retry it)")
                continue
            t = by_id.get(payout.reference)
            known.add(payout.reference)
            if t is None:
                problems.append(f"{payout.idempotency_key}: transfer {payout.reference} not found at {at}")
            elif t.amount - t.reversed != payout.amount - payout.reversed_amount or t.currency != payout.currency:
                problems.append(
                    f"{payout.idempotency_key}: paid {payout.amount - payout.reversed_amount} "
                    f"{payout.currency} (after reversals), {at} transferred "
                    f"{t.amount - t.reversed} {t.currency}"
                )
        for t in transfers:
            if t.reference not in known:
                problems.append(
                    f"campaign {cid}: transfer {t.reference} of {t.amount} at {at} was not made by civicfund"
                )
    problems += _unknown_payment_intents(gateway, campaign_id=campaign_id, since=since, until=until, at=at)
    return problems


def _stray_problems(
    gateway: PaymentGateway, charge: PaymentAttempt, refunds: list[PaymentAttempt], at: str
) -> list[str]:
    pi = gateway.charge_summary(charge.reference)
    at_stripe = sum(r.amount for r in gateway.refunds_of(charge.reference) if r.status in ("succeeded", "pending"))
    ours = [r for r in refunds if r.code == "stray_refund" and r.status == AttemptStatus.SUCCEEDED]
    if pi.received and (at_stripe != pi.received or sum(r.amount for r in ours) != pi.received):
        return [
            f"{charge.idempotency_key}: stray payment of {pi.received} on {charge.reference}, "
            f"{at_stripe} refunded at {at}, {sum(r.amount for r in ours)} in our refund rows"
        ]
    return []


def _unknown_payment_intents(
    gateway: PaymentGateway,
    *,
    campaign_id: int | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
    at: str,
) -> list[str]:
    """Stripe PaymentIntents that took money and that no attempt of ours knows (by id or by the
    idempotency key in their metadata). Stripe is asked only for those created in the date range;
    for a campaign, only for those our charges tagged with its group (`metadata['group']`: a payment
    made outside civicfund carries no such tag and is found by a date-range run)."""
    group = f"campaign-{campaign_id}" if campaign_id is not None else ""
    taken = [
        pi
        for pi in gateway.charges_list(since=since, until=until, group=group)
        if pi.status == "succeeded" and (not group or pi.group == group)
    ]
    ids = {pi.reference for pi in taken}
    keys = {pi.key for pi in taken if pi.key}
    known = set()
    for reference, key in (
        PaymentAttempt.objects.filter(kind=AttemptKind.CHARGE, gateway=gateway.name)
        .filter(Q(reference__in=ids) | Q(idempotency_key__in=keys))
        .values_list("reference", "idempotency_key")
    ):
        known |= {reference, key}
    return [
        f"payment {pi.reference} of {pi.amount} {pi.currency} at {at} has no row in civicfund"
        for pi in taken
        if pi.reference not in known and not (pi.key and pi.key in known)
    ]


def stripe_reconcile(
    *, campaign_id: int | None = None, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[str]:
    """`reconcile_stripe`: our books against Stripe's (provider_reconcile)."""
    return provider_reconcile(gateway_name="stripe", campaign_id=campaign_id, since=since, until=until)
