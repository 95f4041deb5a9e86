"""Checks that the books balance and that every campaign's money adds up.

All checks are grouped SQL aggregates, so the audit's memory does not grow with the number of pledges.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from ledger.models import Account, AccountKind, Entry, Transaction, TransactionKind
from payouts.models import Payout, PayoutKind, PayoutStatus
from pledges.models import Pledge, PledgeStatus
from projects.models import NOT_PUBLIC_STATUSES, Campaign, CampaignStatus

from . import hooks

T = TransactionKind


def _by_campaign(qs, *extra) -> dict:
    out = defaultdict(int)
    for row in qs.values("account__campaign_id", *extra).annotate(total=Sum("amount")):
        key = (row["account__campaign_id"], *(row[e] for e in extra)) if extra else row["account__campaign_id"]
        out[key] = row["total"] or 0
    return out


# The close job runs every CLOSE_INTERVAL_SECONDS; work it should have done this many runs ago is stuck.
CLOSE_RUNS_LATE = 3


def ledger_audit(*, now: dt.datetime | None = None) -> list[str]:
    """Return a list of problems; empty when the books are right (and, as of `now`, the close job
    is keeping up: no campaign still live, or left refunding with nothing to refund, more than
    CLOSE_RUNS_LATE close intervals after it should have moved on)."""
    problems: list[str] = []
    problems += _close_job_behind(now or timezone.now())

    unbalanced = (
        Entry.objects.values("transaction_id", "transaction__key")
        .annotate(total=Sum("amount"), legs=Count("id"))
        .filter(~Q(total=0) | Q(legs__lt=2))
    )
    for row in unbalanced[:100]:
        problems.append(
            f"transaction {row['transaction__key']} does not balance (legs sum to {row['total']}, {row['legs']} legs)"
        )
    empty = Transaction.objects.filter(entries__isnull=True)
    problems += [f"transaction {t.key} has no entries" for t in empty[:100]]
    mixed = (
        Entry.objects.values("transaction_id", "transaction__key")
        .annotate(currencies=Count("account__currency", distinct=True))
        .filter(currencies__gt=1)
    )
    problems += [f"transaction {r['transaction__key']} mixes currencies" for r in mixed[:100]]

    for row in (
        Entry.objects.filter(account__kind=AccountKind.WALLET)
        .values("account_id", "account__user__username")
        .annotate(total=Sum("amount"))
        .filter(total__lt=0)[:100]
    ):
        problems.append(f"wallet of {row['account__user__username']} is negative ({row['total']})")
    debits = Sum("entries__amount", filter=Q(entries__amount__lt=0), default=0)
    for row in (
        Account.objects.filter(kind=AccountKind.WALLET)
        .annotate(spent=-debits)
        .exclude(debited=F("spent"))
        .values("user__username", "currency", "debited", "spent")[:100]
    ):
        problems.append(
            f"wallet of {row['user__username']} ({row['currency']}) keeps debits of {row['debited']} "
            f"but its entries' debits are {row['spent']}"
        )

    # A refund's booking gives the pledge's money to the card network or a wallet; a refund that failed
    # at the provider reverses it (`<key>-failed`), so a retried refund books it once more.
    double = (
        Entry.objects.filter(transaction__kind=T.REFUND, pledge__isnull=False)
        .exclude(account__kind=AccountKind.ESCROW)
        .values("pledge_id")
        .annotate(n=Count("id", filter=Q(amount__gt=0)) - Count("id", filter=Q(amount__lt=0)))
        .filter(n__gt=1)
    )
    problems += [f"pledge {r['pledge_id']} refunded {r['n']} times" for r in double[:100]]

    escrow = _by_campaign(Entry.objects.filter(account__kind=AccountKind.ESCROW), "transaction__kind")
    held = _by_campaign(Entry.objects.filter(account__kind=AccountKind.HELD))
    # Held money paid to backers by accepted pre-sale claims (presale.claims): it left the campaign.
    compensated = _by_campaign(Entry.objects.filter(account__kind=AccountKind.HELD, transaction__kind=T.CLAIM_PAID))
    paid_out = _by_campaign(Entry.objects.filter(account__kind=AccountKind.PAYOUTS))
    pledged: defaultdict[int, int] = defaultdict(int)
    refunded: defaultdict[int, int] = defaultdict(int)
    for row in (
        Pledge.objects.filter(paid_at__isnull=False).values("campaign_id", "status").annotate(total=Sum("amount"))
    ):
        pledged[row["campaign_id"]] += row["total"]
        if row["status"] == PledgeStatus.REFUNDED:
            refunded[row["campaign_id"]] += row["total"]
    payouts: defaultdict[tuple[int, str], int] = defaultdict(int)
    for campaign_id, kind, amount, reversed_amount in Payout.objects.filter(status=PayoutStatus.PAID).values_list(
        "campaign_id", "kind", "amount", "reversed_amount"
    ):
        payouts[campaign_id, kind] = amount - reversed_amount
    # A card refund that failed at the provider after it was booked: its booking is reversed and the
    # pledge is back in `refunding` for an admin, so a refunded campaign's escrow holds exactly that.
    awaiting = defaultdict(int)
    for row in (
        Pledge.objects.filter(status=PledgeStatus.REFUNDING, paid_at__isnull=False)
        .values("campaign_id")
        .annotate(total=Sum("amount"))
    ):
        awaiting[row["campaign_id"]] = row["total"]

    campaigns = Campaign.objects.exclude(status__in=NOT_PUBLIC_STATUSES)
    for c in campaigns.values("id", "title", "status", "collected", "fee_amount", "first_payout_amount", "held_amount"):
        cid = c["id"]
        raised = escrow[cid, T.PLEDGE_PAID] + escrow[cid, T.WALLET_SPEND]
        matched = escrow[cid, T.MATCH] + escrow[cid, T.MATCH_RETURN]  # match money still with the campaign
        back = -escrow[cid, T.REFUND]
        fee = -escrow[cid, T.FEE]
        held_now = held[cid]
        out = paid_out[cid]
        claims = -compensated[cid]
        escrow_now = sum(v for (k, _), v in escrow.items() if k == cid)
        name = f"campaign {cid} ({c['title']})"
        if raised + matched != back + fee + out + claims + held_now + escrow_now:
            problems.append(
                f"{name}: raised {raised} + matched {matched} ≠ refunded {back} + fee {fee} + paid out {out}"
                f" + paid to claims {claims} + held {held_now + escrow_now}"
            )
        if raised != pledged[cid]:
            problems.append(f"{name}: the ledger received {raised} but paid pledges total {pledged[cid]}")
        if back != refunded[cid]:
            problems.append(f"{name}: the ledger refunded {back} but refunded pledges total {refunded[cid]}")
        if c["collected"] is not None:
            if c["collected"] != (c["fee_amount"] or 0) + (c["first_payout_amount"] or 0) + (c["held_amount"] or 0):
                problems.append(f"{name}: fee + first payout + held part ≠ collected")
            if fee != c["fee_amount"]:
                problems.append(f"{name}: fee booked {fee} ≠ fee {c['fee_amount']}")
            if -escrow[cid, T.HOLD] != c["held_amount"]:
                problems.append(f"{name}: held part booked {-escrow[cid, T.HOLD]} ≠ {c['held_amount']}")
            expected_out = payouts[cid, PayoutKind.FIRST] + payouts[cid, PayoutKind.HELD]
            if out != expected_out:
                problems.append(f"{name}: paid out {out} in the ledger, {expected_out} in payouts")
        if c["status"] in (CampaignStatus.REFUNDED,) and escrow_now != awaiting[cid]:
            problems.append(f"{name}: refunded but escrow still holds {escrow_now}")
    for more in hooks.audit.run(now=now or timezone.now()):
        problems += more
    return problems


def _close_job_behind(now: dt.datetime) -> list[str]:
    """Campaigns the close job should have moved on a few runs ago: still live after their deadline,
    or refunding with no pledge left to refund (their refunds are done; only the step that marks
    them refunded is missing)."""
    late = now - dt.timedelta(seconds=CLOSE_RUNS_LATE * settings.CLOSE_INTERVAL_SECONDS)
    problems = []
    for c in (
        Campaign.objects.filter(status=CampaignStatus.LIVE, deadline__lt=late)
        .values("id", "title", "deadline")
        .order_by("deadline")[:100]
    ):
        age = dt.timedelta(seconds=int((now - c["deadline"]).total_seconds()))
        problems.append(
            f"campaign {c['id']} ({c['title']}): still live {age} after its deadline (is the close job running?)"
        )
    holding = Q(pledges__status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING])
    stuck = (
        Campaign.objects.filter(status=CampaignStatus.REFUNDING)
        .annotate(holding=Count("pledges", filter=holding), last_refund=Max("pledges__ended_at"))
        .filter(holding=0)
        .values("id", "title", "closed_at", "last_refund")
    )
    for row in stuck[:100]:
        moments = [m for m in (row["closed_at"], row["last_refund"]) if m is not None]
        if not moments or max(moments) < late:
            problems.append(
                f"campaign {row['id']} ({row['title']}): refunding, but no pledge is left to refund: "
                "it should be refunded (is the close job running?)"
            )
    return problems
