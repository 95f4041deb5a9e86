"""Comparing civicfund's books with Stripe's: charges, refunds and transfers.

For each Stripe charge, refund and payout of ours in scope, Stripe's object is fetched and compared
with our attempt row and with the ledger; refunds and transfers at Stripe that we did not make are
listed too. Returns human-readable mismatches, none when everything agrees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, Sum

from ledger.models import AccountKind, Entry, TransactionKind

from .gateways import gateway_get
from .models import AttemptKind, AttemptStatus, PaymentAttempt


def _ledger_by_pledge(kind: str, pledge_ids) -> dict[int, int]:
    rows = (
        Entry.objects.filter(pledge_id__in=pledge_ids, transaction__kind=kind, account__kind=AccountKind.CARD_NETWORK)
        .values("pledge_id")
        .annotate(total=Sum("amount"))
    )
    return {r["pledge_id"]: abs(r["total"] or 0) for r in rows}


def stripe_reconcile(
    *, campaign_id: int | None = None, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[str]:
    from payouts.models import Payout, PayoutStatus

    gateway = gateway_get("stripe")
    problems: list[str] = []
    attempts = PaymentAttempt.objects.filter(gateway="stripe").select_related("pledge")
    payouts = Payout.objects.filter(method="stripe_connect")
    if campaign_id is not None:
        attempts = attempts.filter(pledge__campaign_id=campaign_id)
        payouts = payouts.filter(campaign_id=campaign_id)
    if since is not None:
        attempts = attempts.filter(created_at__gte=since)
        payouts = payouts.filter(paid_at__gte=since)
    if until is not None:
        attempts = attempts.filter(created_at__lt=until)
        payouts = payouts.filter(paid_at__lt=until)
    attempts = list(attempts.order_by("id"))

    charges = [a for a in attempts if a.kind == AttemptKind.CHARGE]
    refunds = [a for a in attempts if a.kind == AttemptKind.REFUND]
    pledge_ids = {a.pledge_id for a in charges} | {a.pledge_id for a in refunds}
    paid_ledger = _ledger_by_pledge(TransactionKind.PLEDGE_PAID, pledge_ids)
    refund_ledger = _ledger_by_pledge(TransactionKind.REFUND, pledge_ids)
    our_refunds: dict[int, list[PaymentAttempt]] = defaultdict(list)
    for r in PaymentAttempt.objects.filter(kind=AttemptKind.REFUND, pledge_id__in=pledge_ids, gateway="stripe"):
        our_refunds[r.pledge_id].append(r)

    for attempt in attempts:
        if attempt.kind in (AttemptKind.CHARGE, AttemptKind.REFUND) and attempt.status == AttemptStatus.STARTED:
            problems.append(f"{attempt.idempotency_key}: no answer from Stripe recorded (retry it)")

    for charge in charges:
        name, ref = charge.idempotency_key, charge.reference
        if not ref.startswith("pi_"):
            continue  # declined before a PaymentIntent existed
        if charge.code == "stray_payment":  # paid after the pledge was: must be refunded in full, once
            problems += _stray_problems(gateway, charge, our_refunds[charge.pledge_id])
            continue
        pi = gateway.payment_intent_summary(ref)
        if pi["currency"] != charge.currency:
            problems.append(f"{name}: currency {charge.currency} here, {pi['currency']} at Stripe ({ref})")
        ours_paid = charge.status == AttemptStatus.SUCCEEDED
        if ours_paid and (pi["status"] != "succeeded" or pi["received"] != charge.amount):
            problems.append(
                f"{name}: we recorded {charge.amount} paid, Stripe has {pi['received']} ({pi['status']}) on {ref}"
            )
        if not ours_paid and pi["status"] == "succeeded":
            problems.append(f"{name}: Stripe took {pi['received']} on {ref}, we recorded {charge.status}")
        if not ours_paid:
            continue
        booked = paid_ledger.get(charge.pledge_id, 0)
        if booked != charge.amount:
            problems.append(
                f"{name}: the ledger booked {booked} paid for pledge {charge.pledge_id}, Stripe charged {charge.amount}"
            )
        stripe_refunds = [r for r in gateway.refunds_list(ref) if r.status in ("succeeded", "pending")]
        known = {r.reference for r in our_refunds[charge.pledge_id] if r.code != "stray_refund"}
        for r in stripe_refunds:
            if r.id not in known:
                problems.append(f"{name}: refund {r.id} of {r.amount} at Stripe was not made by civicfund")
        from .stripe_gateway import from_stripe_amount

        theirs = sum(from_stripe_amount(r.amount, charge.currency) for r in stripe_refunds)
        ours = sum(
            r.amount
            for r in our_refunds[charge.pledge_id]
            if r.status == AttemptStatus.SUCCEEDED and r.code != "stray_refund"
        )
        booked_back = refund_ledger.get(charge.pledge_id, 0)
        if theirs > charge.amount:
            problems.append(f"{name}: Stripe refunded {theirs}, more than the charge of {charge.amount}")
        if theirs != ours or ours != booked_back:
            problems.append(
                f"{name}: refunded {theirs} at Stripe, {ours} in our refund rows, {booked_back} in the ledger"
            )

    groups: dict[int, list] = defaultdict(list)
    for payout in payouts.filter(status__in=[PayoutStatus.PAID, PayoutStatus.PROCESSING]):
        groups[payout.campaign_id].append(payout)
    for cid, rows in groups.items():
        transfers = gateway.transfers_list(f"campaign-{cid}")
        by_id = {t["id"]: t for t in transfers}
        known = set()
        for payout in rows:
            if payout.status == PayoutStatus.PROCESSING:
                problems.append(f"{payout.idempotency_key}: transfer sent, no answer recorded (retry it)")
                continue
            t = by_id.get(payout.reference)
            known.add(payout.reference)
            if t is None:
                problems.append(f"{payout.idempotency_key}: transfer {payout.reference} not found at Stripe")
            elif (
                t["amount"] - t["reversed"] != payout.amount - payout.reversed_amount
                or t["currency"] != payout.currency
            ):
                problems.append(
                    f"{payout.idempotency_key}: paid {payout.amount - payout.reversed_amount} "
                    f"{payout.currency} (after reversals), Stripe transferred "
                    f"{t['amount'] - t['reversed']} {t['currency']}"
                )
        for t in transfers:
            if t["id"] not in known:
                problems.append(
                    f"campaign {cid}: transfer {t['id']} of {t['amount']} at Stripe was not made by civicfund"
                )
    problems += _unknown_payment_intents(gateway, campaign_id=campaign_id, since=since, until=until)
    return problems


def _stray_problems(gateway, charge: PaymentAttempt, refunds: list[PaymentAttempt]) -> list[str]:
    from .stripe_gateway import from_stripe_amount

    pi = gateway.payment_intent_summary(charge.reference)
    at_stripe = sum(
        from_stripe_amount(r.amount, charge.currency)
        for r in gateway.refunds_list(charge.reference)
        if r.status in ("succeeded", "pending")
    )
    ours = [r for r in refunds if r.code == "stray_refund" and r.status == AttemptStatus.SUCCEEDED]
    if pi["received"] and (at_stripe != pi["received"] or sum(r.amount for r in ours) != pi["received"]):
        return [
            f"{charge.idempotency_key}: stray payment of {pi['received']} on {charge.reference}, "
            f"{at_stripe} refunded at Stripe, {sum(r.amount for r in ours)} in our refund rows"
        ]
    return []


def _unknown_payment_intents(gateway, *, campaign_id, since, until) -> list[str]:
    """Stripe PaymentIntents that took money and that no attempt of ours knows (by id or by the
    idempotency key in their metadata). Stripe is asked only for those created in the date range;
    for a campaign, only for those our charges tagged with its group (`metadata['group']`: a payment
    made outside civicfund carries no such tag and is found by a date-range run)."""
    group = f"campaign-{campaign_id}" if campaign_id is not None else ""
    taken = [
        pi
        for pi in gateway.payment_intents_list(since=since, until=until, group=group)
        if pi["status"] == "succeeded" and (not group or pi["group"] == group)
    ]
    ids = {pi["id"] for pi in taken}
    keys = {pi["key"] for pi in taken if pi["key"]}
    known = set()
    for reference, key in (
        PaymentAttempt.objects.filter(kind=AttemptKind.CHARGE, gateway="stripe")
        .filter(Q(reference__in=ids) | Q(idempotency_key__in=keys))
        .values_list("reference", "idempotency_key")
    ):
        known |= {reference, key}
    return [
        f"payment {pi['id']} of {pi['amount']} {pi['currency']} at Stripe has no row in civicfund"
        for pi in taken
        if pi["id"] not in known and not (pi["key"] and pi["key"] in known)
    ]
