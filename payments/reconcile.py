"""Comparing civicfund's books with Stripe's: charges, refunds and transfers.

For each Stripe charge, refund and payout of ours in scope, Stripe's object is fetched and compared
with our attempt row and with the ledger; refunds and transfers at Stripe that we did not make are
listed too. Returns human-readable mismatches, none when everything agrees.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Sum

from ledger.models import AccountKind, Entry, TransactionKind

from .gateways import gateway_get
from .models import AttemptKind, AttemptStatus, PaymentAttempt


def _ledger_by_pledge(kind: str, pledge_ids) -> dict[int, int]:
    rows = (Entry.objects.filter(pledge_id__in=pledge_ids, transaction__kind=kind,
                                 account__kind=AccountKind.CARD_NETWORK)
            .values("pledge_id").annotate(total=Sum("amount")))
    return {r["pledge_id"]: abs(r["total"] or 0) for r in rows}


def stripe_reconcile(*, campaign_id: int | None = None, since: dt.datetime | None = None,
                     until: dt.datetime | None = None) -> list[str]:
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
        pi = gateway.payment_intent_summary(ref)
        if pi["currency"] != charge.currency:
            problems.append(f"{name}: currency {charge.currency} here, {pi['currency']} at Stripe ({ref})")
        ours_paid = charge.status == AttemptStatus.SUCCEEDED
        if ours_paid and (pi["status"] != "succeeded" or pi["received"] != charge.amount):
            problems.append(f"{name}: we recorded {charge.amount} paid, Stripe has {pi['received']} "
                            f"({pi['status']}) on {ref}")
        if not ours_paid and pi["status"] == "succeeded":
            problems.append(f"{name}: Stripe took {pi['received']} on {ref}, we recorded {charge.status}")
        if not ours_paid:
            continue
        booked = paid_ledger.get(charge.pledge_id, 0)
        if booked != charge.amount:
            problems.append(f"{name}: the ledger booked {booked} paid for pledge {charge.pledge_id}, "
                            f"Stripe charged {charge.amount}")
        stripe_refunds = [r for r in gateway.refunds_list(ref) if r.status in ("succeeded", "pending")]
        known = {r.reference for r in our_refunds[charge.pledge_id]}
        for r in stripe_refunds:
            if r.id not in known:
                problems.append(f"{name}: refund {r.id} of {r.amount} at Stripe was not made by civicfund")
        from .stripe_gateway import from_stripe_amount

        theirs = sum(from_stripe_amount(r.amount, charge.currency) for r in stripe_refunds)
        ours = sum(r.amount for r in our_refunds[charge.pledge_id] if r.status == AttemptStatus.SUCCEEDED)
        booked_back = refund_ledger.get(charge.pledge_id, 0)
        if theirs > charge.amount:
            problems.append(f"{name}: Stripe refunded {theirs}, more than the charge of {charge.amount}")
        if theirs != ours or ours != booked_back:
            problems.append(f"{name}: refunded {theirs} at Stripe, {ours} in our refund rows, "
                            f"{booked_back} in the ledger")
        for r in our_refunds[charge.pledge_id]:
            if r.code == "refund_failed":
                problems.append(f"{r.idempotency_key}: booked, but the refund failed at Stripe")

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
            elif t["amount"] - t["reversed"] != payout.amount or t["currency"] != payout.currency:
                problems.append(f"{payout.idempotency_key}: paid {payout.amount} {payout.currency}, Stripe "
                                f"transferred {t['amount'] - t['reversed']} {t['currency']}")
        for t in transfers:
            if t["id"] not in known:
                problems.append(f"campaign {cid}: transfer {t['id']} of {t['amount']} at Stripe was not "
                                f"made by civicfund")
    return problems
