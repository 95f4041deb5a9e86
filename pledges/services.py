"""Pledges: creating, paying, cancelling and refunding them, and the chunked refunds of a failed campaign.

Lock order, everywhere: campaign, then wallet account, then pledge rows. Pledges take the campaign row
FOR SHARE (many pledges at once), the close takes it FOR UPDATE, so a pledge either commits before the
close reads the total or sees the campaign closed.
"""
from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from civicfund.errors import ApplicationError, InsufficientFunds, PaymentDeclined, PermissionDenied, PledgeRefused
from civicfund.notifications import notify, outbox_kick
from ledger import services as ledger
from ledger.models import Account, AccountKind, Entry, Transaction, TransactionKind
from payments import services as payments
from payments.gateways import GatewayUnavailable
from payments.models import AttemptStatus
from projects.models import Campaign, CampaignStatus, CollectionMode, RefundDestination, RewardTier
from projects.selectors import campaign_lock, campaign_read

from .models import PaymentSource, Pledge, PledgeStatus

log = logging.getLogger(__name__)

MAX_AMOUNT = 10**15  # minor units; far above any real pledge, far below BigInteger's limit


def _check_pledge(*, campaign: Campaign, backer, amount, tier: RewardTier | None, currency: str | None,
                  now: dt.datetime) -> None:
    platform = campaign.platform
    if campaign.status != CampaignStatus.LIVE:
        raise PledgeRefused("This campaign is not taking pledges.", code="campaign_not_live")
    if now < campaign.starts_at:
        raise PledgeRefused("This campaign has not started yet.", code="campaign_not_started")
    if now >= campaign.deadline:
        raise PledgeRefused("This campaign has reached its deadline.", code="campaign_closed")
    if backer.pk == campaign.owner_id:
        raise PledgeRefused("You cannot back your own campaign.", code="own_campaign")
    if currency is not None and currency != campaign.currency:
        raise PledgeRefused(f"This campaign takes pledges in {campaign.currency}.", code="wrong_currency",
                            field="currency")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise PledgeRefused("The amount must be a whole number of units.", code="invalid_amount",
                            field="amount")
    if amount > MAX_AMOUNT:
        raise PledgeRefused("This amount is too large.", code="invalid_amount", field="amount")
    if amount < platform.min_pledge:
        raise PledgeRefused(f"The smallest pledge here is {platform.money(platform.min_pledge)}.",
                            code="amount_too_small", field="amount")
    if tier is None:
        if not platform.allow_free_amounts:
            raise PledgeRefused("Choose a reward tier: this platform takes no free amounts.",
                                code="tier_required", field="tier")
    else:
        if tier.campaign_id != campaign.pk:
            raise PledgeRefused("That reward tier is not part of this campaign.", code="unknown_tier",
                                field="tier")
        if amount < tier.amount:
            raise PledgeRefused(f"This reward needs a pledge of at least {campaign.money(tier.amount)}.",
                                code="amount_below_tier", field="amount")


def _tier_claim(tier: RewardTier | None) -> None:
    """Take one unit of a limited tier. The conditional UPDATE re-checks under the row lock."""
    if tier is None:
        return
    claimed = RewardTier.objects.filter(pk=tier.pk).filter(
        Q(quantity_limit__isnull=True) | Q(quantity_claimed__lt=F("quantity_limit"))
    ).update(quantity_claimed=F("quantity_claimed") + 1)
    if not claimed:
        raise PledgeRefused("Sorry, this reward has sold out.", code="tier_sold_out", field="tier")


def _tier_release(tier_id: int | None) -> None:
    if tier_id is not None:
        RewardTier.objects.filter(pk=tier_id, quantity_claimed__gt=0).update(
            quantity_claimed=F("quantity_claimed") - 1)


def _tier_get(campaign_id: int, tier_id) -> RewardTier | None:
    if tier_id in (None, ""):
        return None
    tier = RewardTier.objects.filter(pk=tier_id).first() if str(tier_id).isdigit() else None
    if tier is None or tier.campaign_id != campaign_id:
        raise PledgeRefused("That reward tier is not part of this campaign.", code="unknown_tier",
                            field="tier")
    return tier


def pledge_create(*, campaign_id: int, backer, amount: int, tier_id: int | None = None,
                  source: str = PaymentSource.CARD, card: str = "", currency: str | None = None,
                  request_key: str | None = None, now: dt.datetime | None = None) -> Pledge:
    """Pledge `amount` (minor units) to a live campaign, by card or from the backer's wallet.

    Accepted only while the campaign is live and strictly before its deadline (server clock, checked
    under the campaign's share lock). A `request_key` makes a retried request return the first pledge.
    Card pledges: charge now, or on a charge-on-success platform save the card and count it as
    secured. Raises PledgeRefused, InsufficientFunds or PaymentDeclined with a message for the user.
    """
    return pledge_get_or_create(campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id,
                                source=source, card=card, currency=currency, request_key=request_key, now=now)[0]


def pledge_get_or_create(*, campaign_id: int, backer, amount: int, tier_id: int | None = None,
                         source: str = PaymentSource.CARD, card: str = "", currency: str | None = None,
                         request_key: str | None = None, now: dt.datetime | None = None) -> tuple[Pledge, bool]:
    """`pledge_create`, also saying whether this call made the pledge: (pledge, False) when
    `request_key` found the backer's pledge of an earlier or concurrent request, returned as it is.
    Of many copies of one request sent at once, exactly one makes the pledge: the unique (backer,
    request_key) index lets one row in, and the others find it. Raises as `pledge_create`."""
    try:
        if source == PaymentSource.WALLET and connection.vendor == "postgresql":
            made = _pledge_from_wallet_at_once(campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id,
                                               currency=currency, request_key=request_key, now=now)
            if made is not None:
                return made
        if request_key and (existing := Pledge.objects.filter(backer=backer, request_key=request_key).first()):
            return existing, False
        if source not in PaymentSource.values:
            raise PledgeRefused("Pay by card or from your wallet.", code="invalid_source", field="source")
        if source == PaymentSource.WALLET:
            return _pledge_from_wallet(campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id,
                                       currency=currency, request_key=request_key, now=now), True
        pledge = _pledge_open(campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id,
                              currency=currency, request_key=request_key, now=now)
    except IntegrityError:
        if request_key and (existing := Pledge.objects.filter(backer=backer, request_key=request_key).first()):
            return existing, False  # the same request, sent twice at once
        raise
    return _pledge_pay_by_card(pledge, card=card), True


def _pledge_from_wallet_at_once(*, campaign_id, backer, amount, tier_id, currency, request_key,
                                now) -> tuple[Pledge, bool] | None:
    """A wallet pledge in two round trips to PostgreSQL (the hot path of a popular campaign).

    The rules are checked here on an unlocked read; the SQL function `pledge_wallet_commit`
    (migration pledges 0005) then re-checks under the locks what may have changed since (campaign
    still live before its deadline, wallet balance, tier units left) and writes the pledge, its
    ledger transaction and its receipt together, or finds the backer's pledge of `request_key`
    (then created is False). None when it wrote nothing, or when a rule refuses the pledge: the
    caller then decides again under the locks (SQLite's only path) and gives the precise reason."""
    try:
        campaign = campaign_read(campaign_id)
        tier = _tier_get(campaign.pk, tier_id)
        check_at = now or timezone.now()
        _check_pledge(campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency,
                      now=check_at)
    except (Campaign.DoesNotExist, PledgeRefused):
        return None  # refused, unless it is the retry of an accepted request: the caller knows which
    at = timezone.now()
    args = [campaign.pk, backer.pk, tier.pk if tier else None, amount, campaign.currency, request_key, check_at,
            at, Account.key_for(user=backer), Account.key_for(campaign=campaign)]
    sql = "SELECT outcome, pledge_id FROM pledge_wallet_commit(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            with transaction.atomic():  # a savepoint, so a duplicate request_key leaves the caller usable
                cursor.execute(sql, args)
                outcome, pledge_id = cursor.fetchone()
        else:  # autocommit: the one statement is its own transaction, no BEGIN/COMMIT round trips
            cursor.execute(sql, args)
            outcome, pledge_id = cursor.fetchone()
    if outcome == "exists":
        return Pledge.objects.get(pk=pledge_id), False
    if outcome != "ok":
        return None
    transaction.on_commit(outbox_kick)  # the function wrote the receipt into the outbox
    pledge = Pledge(pk=pledge_id, campaign=campaign, backer=backer, tier=tier, amount=amount,
                    currency=campaign.currency, source=PaymentSource.WALLET, status=PledgeStatus.PAID,
                    request_key=request_key, created_at=at, paid_at=at)
    pledge._state.adding = False
    pledge._state.db = connection.alias
    return pledge, True


def _pledge_from_wallet(*, campaign_id, backer, amount, tier_id, currency, request_key, now) -> Pledge:
    with transaction.atomic():
        campaign = campaign_lock(campaign_id, shared=True)
        wallet = _wallet_lock(backer, campaign.currency)  # one spend of a wallet at a time
        tier = _tier_get(campaign.pk, tier_id)
        _check_pledge(campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency,
                      now=now or timezone.now())
        available = ledger.balance(wallet)
        if available < amount:
            raise InsufficientFunds(
                f"Your wallet holds {campaign.money(available)}, less than {campaign.money(amount)}.",
                field="amount")
        _tier_claim(tier)
        pledge = Pledge.objects.create(
            campaign=campaign, backer=backer, tier=tier, amount=amount, currency=campaign.currency,
            source=PaymentSource.WALLET, status=PledgeStatus.PAID, paid_at=timezone.now(),
            request_key=request_key)
        ledger.transaction_record(
            kind=TransactionKind.WALLET_SPEND, key=f"pledge-{pledge.pk}-paid", campaign=campaign,
            legs=[ledger.Leg(wallet, -amount, pledge.pk),
                  ledger.Leg(ledger.escrow_account(campaign), amount, pledge.pk)])
        notify("pledge_receipt", pledge_id=pledge.pk)
    return pledge


def _wallet_lock(backer, currency: str) -> Account:
    """The backer's wallet, row-locked. FOR NO KEY UPDATE: refunds that credit the wallet (their
    entries take KEY SHARE on it) need not wait for a spend."""
    key = Account.key_for(user=backer)
    wallet = Account.objects.select_for_update(no_key=True).filter(
        kind=AccountKind.WALLET, currency=currency, owner_key=key).first()
    if wallet is None:
        ledger.wallet_account(backer, currency)
        wallet = Account.objects.select_for_update(no_key=True).get(
            kind=AccountKind.WALLET, currency=currency, owner_key=key)
    return wallet


def _pledge_open(*, campaign_id, backer, amount, tier_id, currency, request_key, now) -> Pledge:
    with transaction.atomic():
        campaign = campaign_lock(campaign_id, shared=True)
        tier = _tier_get(campaign.pk, tier_id)
        _check_pledge(campaign=campaign, backer=backer, amount=amount, tier=tier, currency=currency,
                      now=now or timezone.now())
        _tier_claim(tier)
        if campaign.platform.refund_destination == RefundDestination.WALLET:
            # Where refunds go to the wallet, the backer has one from the first pledge: the refunds of
            # a failed campaign then only credit it (see _wallet_refunds_record).
            ledger.wallet_account(backer, campaign.currency)
        return Pledge.objects.create(
            campaign=campaign, backer=backer, tier=tier, amount=amount, currency=campaign.currency,
            source=PaymentSource.CARD, status=PledgeStatus.PENDING, request_key=request_key)


def _pledge_pay_by_card(pledge: Pledge, *, card: str) -> Pledge:
    saved = payments.card_save(pledge=pledge, card=card)
    if saved.status == AttemptStatus.PENDING:
        return pledge  # the backer is confirming with the bank; the provider's event finishes it
    if saved.status != AttemptStatus.SUCCEEDED:
        _pledge_decline(pledge.pk)
        raise PaymentDeclined(saved.message or "The card was declined.", field="card")
    return _pledge_card_saved(pledge, saved.reference)


def pledge_card_saved(*, pledge_id: int, reference: str) -> Pledge:
    """The provider saved a pledge's card later (3-D Secure, Checkout): secure or charge the pledge
    as at pledge time. Only a pending pledge moves; replays change nothing."""
    pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
    if pledge.status != PledgeStatus.PENDING or pledge.payment_method:
        return pledge
    try:
        return _pledge_card_saved(pledge, reference)
    except (PledgeRefused, PaymentDeclined):
        return Pledge.objects.get(pk=pledge_id)


def _pledge_card_saved(pledge: Pledge, reference: str) -> Pledge:
    Pledge.objects.filter(pk=pledge.pk).update(payment_method=reference)
    pledge.payment_method = reference
    if pledge.campaign.platform.collection_mode == CollectionMode.CHARGE_ON_SUCCESS:
        return _pledge_secure(pledge.pk)
    try:
        payments.pledge_charge_call(pledge=pledge)
    except GatewayUnavailable:
        log.warning("Charge of pledge %s not answered; left pending for retry", pledge.pk)
        return pledge
    pledge = pledge_charge_settle(pledge_id=pledge.pk)
    if pledge.status == PledgeStatus.DECLINED:
        attempt = pledge.attempts.filter(kind="charge").last()
        raise PaymentDeclined((attempt and attempt.message) or "The card was declined.", field="card")
    return pledge


def _pledge_secure(pledge_id: int) -> Pledge:
    """Charge on success: the saved card secures the pledge, if the campaign is still open."""
    with transaction.atomic():
        pledge = Pledge.objects.get(pk=pledge_id)
        campaign = campaign_lock(pledge.campaign_id, shared=True)
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.PENDING:
            return pledge
        if campaign.status == CampaignStatus.LIVE and timezone.now() < campaign.deadline:
            pledge.status = PledgeStatus.SECURED
            pledge.save(update_fields=["status"])
            notify("pledge_receipt", pledge_id=pledge.pk)
            return pledge
        _pledge_end(pledge, PledgeStatus.CANCELLED)
    raise PledgeRefused("This campaign has reached its deadline.", code="campaign_closed")


def _pledge_end(pledge: Pledge, status: str) -> None:
    pledge.status = status
    pledge.ended_at = timezone.now()
    pledge.save(update_fields=["status", "ended_at"])
    _tier_release(pledge.tier_id)


def pledge_decline(*, pledge_id: int) -> None:
    """The provider refused the pledge's card (e.g. its card setup failed): a pending pledge is
    declined and its reward freed; a secured one dropped. Other states are left alone."""
    _pledge_decline(pledge_id)


def pledge_checkout_start(*, campaign_id: int, backer, amount: int, success_url: str, cancel_url: str,
                          tier_id: int | None = None, request_key: str | None = None,
                          now: dt.datetime | None = None) -> tuple[Pledge, str]:
    """Pledge by saving the card on Stripe Checkout's own page (setup mode): the pledge is opened
    (pending) and the backer is sent to the returned URL; `checkout.session.completed` then secures
    or charges it, `checkout.session.expired` declines it. The session expires CHECKOUT_EXPIRES after
    it was first asked for (Stripe's minimum, not its default 24 hours), so an abandoned page holds
    a reward for half an hour at most; `{PLEDGE_ID}` in `cancel_url` is replaced by the pledge's id,
    for `pledge_checkout_cancel`. Raises PledgeRefused."""
    from payments.gateways import gateway_for
    from payments.models import AttemptKind, PaymentAttempt

    pledge = None
    if request_key:
        pledge = Pledge.objects.filter(backer=backer, request_key=request_key).first()
    if pledge is None:
        pledge = _pledge_open(campaign_id=campaign_id, backer=backer, amount=amount, tier_id=tier_id,
                              currency=None, request_key=request_key, now=now)
    gateway = gateway_for(pledge.campaign.platform)
    if not hasattr(gateway, "checkout_setup_start"):
        raise PledgeRefused("This platform takes cards on its own page.", code="no_checkout")
    urls = {}

    def start(idempotency_key: str):
        from payments.gateways import GatewayResult

        # From the attempt's first try, so a retry with the same key sends the same parameters.
        asked = PaymentAttempt.objects.filter(idempotency_key=idempotency_key).values_list(
            "created_at", flat=True).first() or timezone.now()
        session_id, urls["url"] = gateway.checkout_setup_start(
            customer=f"user-{pledge.backer_id}", success_url=success_url,
            cancel_url=cancel_url.replace("{PLEDGE_ID}", str(pledge.pk)),
            idempotency_key=idempotency_key, currency=pledge.currency,
            expires_at=int((asked + CHECKOUT_EXPIRES).timestamp()))
        return GatewayResult(status="pending", reference=session_id)

    attempt = payments.attempt_run(kind=AttemptKind.SAVE_CARD, pledge=pledge, amount=0,
                                   key=f"pledge-{pledge.pk}-card", call=start, gateway=gateway)
    url = urls.get("url") or gateway.checkout_session_get(attempt.reference).get("url", "")
    return pledge, url


# Stripe's shortest Checkout Session (30 minutes), plus a minute for our clock and Stripe's to differ.
CHECKOUT_EXPIRES = dt.timedelta(minutes=31)


def pledge_checkout_cancel(*, pledge_id: int, backer=None, status: str = PledgeStatus.CANCELLED) -> Pledge:
    """A pending pledge's Stripe Checkout page was left without saving a card: the backer came back
    through its cancel URL (`status` cancelled), or the pending-payments job gives up on it
    (declined). The session is expired at Stripe at once, so its page cannot save a card any more,
    and the pledge ends with its reward back on sale. If Stripe says the card was saved meanwhile (in
    another tab), that is applied instead, as on the backer's return. A session Stripe no longer has
    (404) saves no card either: the pledge ends as for an expired one. Idempotent, and so is the
    `checkout.session.expired` event that follows (its attempt is already answered).
    Raises PermissionDenied (not the backer's pledge), GatewayUnavailable."""
    from payments.gateways import gateway_get
    from payments.models import AttemptKind, PaymentAttempt

    pledge = Pledge.objects.filter(pk=pledge_id).first()
    if pledge is None or (backer is not None and pledge.backer_id != backer.pk):
        raise PermissionDenied("No such pledge of yours.", code="not_found")
    attempt = pledge.attempts.filter(kind=AttemptKind.SAVE_CARD, reference__startswith="cs_").last()
    if pledge.status != PledgeStatus.PENDING or pledge.payment_method or attempt is None:
        return pledge
    if attempt.status in (AttemptStatus.STARTED, AttemptStatus.PENDING):
        from payments.stripe_gateway import StripeObjectMissing

        try:
            session = gateway_get(attempt.gateway).checkout_session_expire(attempt.reference)
        except StripeObjectMissing:  # Stripe no longer has the page (test data deleted): it saves no card
            log.error("Stripe no longer has Checkout Session %s of pledge %s", attempt.reference, pledge.pk)
            session = {"status": "expired"}
        if session["status"] == "complete":
            from payments.stripe_events import checkout_session_refresh

            checkout_session_refresh(session_id=attempt.reference)
            attempt.refresh_from_db()
    if attempt.status == AttemptStatus.SUCCEEDED:  # the card was saved: secure or charge the pledge
        return pledge_card_saved(pledge_id=pledge.pk, reference=attempt.reference)
    with transaction.atomic():
        PaymentAttempt.objects.filter(pk=attempt.pk, status__in=[AttemptStatus.STARTED, AttemptStatus.PENDING]
                                      ).update(status=AttemptStatus.DECLINED, code="checkout_canceled",
                                               message="Stripe Checkout left without a card")
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status == PledgeStatus.PENDING and not pledge.payment_method:
            _pledge_end(pledge, status)
    return pledge


def _pledge_decline(pledge_id: int) -> None:
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status == PledgeStatus.PENDING:
            _pledge_end(pledge, PledgeStatus.DECLINED)
        elif pledge.status == PledgeStatus.SECURED:
            _pledge_end(pledge, PledgeStatus.DROPPED)


def pledge_charge_settle(*, pledge_id: int) -> Pledge:
    """Apply the answer of a pledge's charge (at once, or later by callback). Idempotent.

    A successful charge marks the pledge paid (`paid_at`: when the provider says it was paid, see
    `PaymentAttempt.succeeded_at`) and books the money into the campaign's escrow, under the
    campaign's share lock (the close holds it exclusively: lock order campaign, then pledge).
    DOMAIN.md "Raised" counts what is paid at the deadline: a charge-now payment made at or after
    the deadline, or one that reaches us after the close judged the campaign without it, never
    counts: in the same transaction it leaves the counted pledges (refunded to the wallet, or
    `refunding` with its card refund queued for after the commit), so no close or total sees it.
    """
    pledge = Pledge.objects.get(pk=pledge_id)
    succeeded = pledge.attempts.filter(kind="charge", status=AttemptStatus.SUCCEEDED).first()
    attempt = succeeded or pledge.attempts.filter(kind="charge").last()  # the latest try
    if attempt is None or attempt.status == AttemptStatus.STARTED:
        return pledge
    if attempt.status == AttemptStatus.PENDING:
        if (attempt.code == "authentication_required" and pledge.status == PledgeStatus.PENDING
                and pledge.retry_until is None):
            return _pledge_confirm_wait(pledge_id)  # the backer must confirm it with their bank
        return pledge
    if attempt.status == AttemptStatus.DECLINED:
        if pledge.status in (PledgeStatus.SECURED, PledgeStatus.RETRYING):
            pledge_retry_start(pledge_id=pledge_id)  # charge on success: the retry window
        elif not _awaiting_backer(pledge):  # else the backer may still pay with another card
            _pledge_decline(pledge_id)
        return Pledge.objects.get(pk=pledge_id)
    late = False
    with transaction.atomic():
        campaign = campaign_lock(pledge.campaign_id, shared=True)
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status not in (PledgeStatus.PENDING, PledgeStatus.SECURED, PledgeStatus.RETRYING):
            return pledge
        paid_at = attempt.succeeded_at or attempt.updated_at  # updated_at: an answer from before succeeded_at
        late = pledge.status == PledgeStatus.PENDING and (
            campaign.status != CampaignStatus.LIVE or paid_at >= campaign.deadline)
        retried = pledge.status == PledgeStatus.RETRYING
        pledge.status = PledgeStatus.PAID
        pledge.paid_at = paid_at
        pledge.save(update_fields=["status", "paid_at"])
        ledger.transaction_record(
            kind=TransactionKind.PLEDGE_PAID, key=f"pledge-{pledge.pk}-paid", campaign=campaign,
            legs=[ledger.Leg(ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform),
                             -pledge.amount, pledge.pk),
                  ledger.Leg(ledger.escrow_account(campaign), pledge.amount, pledge.pk)])
        if late and _refunds_to_wallet(pledge, campaign):
            _refund_to_wallet_record(pledge, campaign)
        elif late:
            from . import tasks

            pledge.status = PledgeStatus.REFUNDING
            pledge.save(update_fields=["status"])
            transaction.on_commit(lambda: tasks.refund_pledge.delay(pledge_id))
        elif not retried:
            notify("pledge_receipt", pledge_id=pledge.pk)
    if retried:  # the last pledge of a retry window may complete the collection
        from projects.services import campaign_settle

        campaign_settle(campaign_id=pledge.campaign_id)
    return pledge


# --- charge now: a payment the backer must confirm with their bank (3-D Secure) ----------------

def _awaiting_backer(pledge: Pledge, now: dt.datetime | None = None) -> bool:
    """A pending card pledge whose payment waits for its backer, within its window."""
    return (pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
            and (now or timezone.now()) < pledge.retry_until)


def _pledge_confirm_wait(pledge_id: int) -> Pledge:
    """A pending pledge's on-session charge asks the backer to confirm it with their bank (Stripe:
    `requires_action`, e.g. a charge-now payment made right after Checkout saved the card). The
    pledge stays pending, its reward held, until `retry_until`: the earlier of now +
    CIVICFUND_PLEDGE_CONFIRM_MINUTES and the campaign's deadline (a payment after the close would not
    count and be refunded at once). Meanwhile the backer confirms it, or pays with another card, on
    `payments:pledge_retry` (the receipt page and the e-mailed receipt link there); afterwards
    `pledge_confirm_expire` cancels the payment and declines the pledge, freeing its reward.
    Idempotent: the first window stands."""
    from django.conf import settings

    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.PENDING or pledge.retry_until is not None:
            return pledge
        deadline = Campaign.objects.filter(pk=pledge.campaign_id).values_list("deadline", flat=True).get()
        window = timezone.now() + dt.timedelta(minutes=settings.CIVICFUND_PLEDGE_CONFIRM_MINUTES)
        pledge.retry_until = min(window, deadline)
        pledge.save(update_fields=["retry_until"])
        notify("pledge_receipt", pledge_id=pledge.pk)  # says what to do, with the link
    return pledge


def pledge_confirm_expire(*, pledge_id: int, now: dt.datetime | None = None) -> Pledge:
    """The window of a pending pledge awaiting its backer's confirmation (`_pledge_confirm_wait`)
    has passed: its payments still waiting are cancelled at the provider, so none can take money
    later, and the pledge is declined, its reward back on sale. A payment the backer confirmed in the
    meantime (the cancel finds it succeeded) is booked instead, or refunded at once if the campaign
    has closed. Pledges in any other state, or still within their window, are left alone.
    Raises GatewayUnavailable: the pending-payments job tries again."""
    from payments.models import AttemptKind

    now = now or timezone.now()
    pledge = Pledge.objects.get(pk=pledge_id)
    if pledge.status != PledgeStatus.PENDING or pledge.retry_until is None or now < pledge.retry_until:
        return pledge
    for attempt in pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.PENDING):
        payments.pledge_charge_cancel(attempt=attempt)
    if pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.SUCCEEDED).exists():
        return pledge_charge_settle(pledge_id=pledge_id)
    if pledge.attempts.filter(kind=AttemptKind.CHARGE, status=AttemptStatus.PENDING).exists():
        return pledge  # still processing at the provider: its answer settles it
    _pledge_decline(pledge_id)
    return Pledge.objects.get(pk=pledge_id)


# --- charge on success: the retry window of a card declined at collection ---------------------

def pledge_retry_start(*, pledge_id: int, now: dt.datetime | None = None) -> Pledge:
    """A secured pledge's off-session charge failed at collection (declined, insufficient funds,
    authentication required): secured → retrying until now + CIVICFUND_PLEDGE_RETRY_DAYS, and the
    backer is e-mailed a link to pay on-session or with another card. A window of 0 days drops the
    pledge at once. Idempotent: a retrying pledge keeps its first deadline."""
    from django.conf import settings

    now = now or timezone.now()
    days = settings.CIVICFUND_PLEDGE_RETRY_DAYS
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.SECURED:
            return pledge
        if days <= 0:
            _pledge_end(pledge, PledgeStatus.DROPPED)
            return pledge
        pledge.status = PledgeStatus.RETRYING
        pledge.retry_until = now + dt.timedelta(days=days)
        pledge.save(update_fields=["status", "retry_until"])
        notify("pledge_retry", pledge_id=pledge_id)
    return pledge


def pledge_retry_pay(*, pledge_id: int, backer, card: str) -> Pledge:
    """The backer pays, on-session, with the same or another card within its window: a retrying
    pledge (charge on success, declined at collection), or a pending one whose payment waits for
    their bank's confirmation (`_pledge_confirm_wait`; that payment is cancelled first, so it cannot
    also succeed, unless it already has). A try's keys are derived from the pledge and the card token
    (`pledge-<id>-charge-r<hash>`), so a repeated request never charges twice; a try still
    unanswered blocks another card. Raises PaymentDeclined, PledgeRefused."""
    import hashlib

    pledge = Pledge.objects.select_related("campaign__platform").filter(pk=pledge_id).first()
    if pledge is None or pledge.backer_id != backer.pk:
        raise PermissionDenied("No such pledge of yours.", code="not_found")
    if pledge.status == PledgeStatus.PAID:
        return pledge
    token = hashlib.sha256(card.strip().encode()).hexdigest()[:20]
    if _awaiting_backer(pledge):
        for waiting in pledge.attempts.filter(kind="charge", status=AttemptStatus.PENDING).exclude(
                idempotency_key=f"pledge-{pledge.pk}-charge-r{token}"):
            payments.pledge_charge_cancel(attempt=waiting)
        if pledge.attempts.filter(kind="charge", status=AttemptStatus.SUCCEEDED).exists():
            return pledge_charge_settle(pledge_id=pledge.pk)  # the bank's confirmation came first
    elif pledge.status != PledgeStatus.RETRYING or timezone.now() >= pledge.retry_until:
        raise PledgeRefused("This pledge can no longer be paid.", code="not_retrying")
    if pledge.attempts.filter(kind="charge", status__in=[AttemptStatus.STARTED, AttemptStatus.PENDING]).exclude(
            idempotency_key=f"pledge-{pledge.pk}-charge-r{token}").exists():
        raise PledgeRefused("A payment for this pledge is still being confirmed; try again shortly.",
                            code="payment_pending")
    saved = payments.card_save(pledge=pledge, card=card, key=f"pledge-{pledge.pk}-card-r{token}")
    if saved.status != AttemptStatus.SUCCEEDED:
        raise PaymentDeclined(saved.message or "The card was declined.", field="card")
    attempt = payments.pledge_charge_call(pledge=pledge, key=f"pledge-{pledge.pk}-charge-r{token}",
                                          payment_method=saved.reference)
    pledge = pledge_charge_settle(pledge_id=pledge.pk)
    if attempt.status == AttemptStatus.DECLINED:
        raise PaymentDeclined(attempt.message or "The card was declined.", field="card")
    return pledge


def expired_retries_drop(*, now: dt.datetime | None = None) -> int:
    """Drop retrying pledges whose window has passed (their rewards go back on sale), then split
    each campaign touched on what was collected. Returns how many were dropped."""
    from projects.services import campaign_settle

    now = now or timezone.now()
    campaigns, dropped = set(), 0
    for pledge_id in Pledge.objects.filter(status=PledgeStatus.RETRYING, retry_until__lte=now).values_list(
            "pk", flat=True)[:1000]:
        with transaction.atomic():
            pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
            if pledge.status != PledgeStatus.RETRYING or pledge.retry_until > now:
                continue
            _pledge_end(pledge, PledgeStatus.DROPPED)
            campaigns.add(pledge.campaign_id)
            dropped += 1
    for campaign_id in campaigns:
        campaign_settle(campaign_id=campaign_id)
    return dropped


def _refunds_to_wallet(pledge: Pledge, campaign: Campaign) -> bool:
    return (pledge.source == PaymentSource.WALLET
            or campaign.platform.refund_destination == RefundDestination.WALLET)


def _refund_to_wallet_record(pledge: Pledge, campaign: Campaign) -> None:
    ledger.transaction_record(
        kind=TransactionKind.REFUND, key=f"pledge-{pledge.pk}-refund", campaign=campaign,
        legs=[ledger.Leg(ledger.escrow_account(campaign), -pledge.amount, pledge.pk),
              ledger.Leg(ledger.wallet_account(pledge.backer, pledge.currency), pledge.amount, pledge.pk)])
    pledge.status = PledgeStatus.REFUNDED
    pledge.ended_at = timezone.now()
    pledge.save(update_fields=["status", "ended_at"])
    notify("refunds_issued", pledge_ids=[pledge.pk])


# Why a pledge cannot be cancelled, by its status: whole sentences, so the site can translate them.
NOT_CANCELLABLE = gettext_noop("This pledge cannot be cancelled any more.")
CANCEL_REFUSED = {
    PledgeStatus.CANCELLED: gettext_noop("This pledge has already been cancelled."),
    PledgeStatus.REFUNDING: gettext_noop("This pledge is already being refunded."),
    PledgeStatus.REFUNDED: gettext_noop("This pledge has already been refunded."),
    PledgeStatus.DECLINED: gettext_noop("This pledge's payment was declined: there is nothing to cancel."),
    PledgeStatus.RELEASED: gettext_noop("This pledge has already ended: the campaign was not funded and the card "
                                        "was never charged."),
    PledgeStatus.DROPPED: gettext_noop("This pledge has already ended: its payment failed after the campaign was "
                                       "funded."),
}


def pledge_cancel(*, pledge_id: int, backer, now: dt.datetime | None = None) -> Pledge:
    """The backer withdraws a pledge while the campaign is live: the reward goes back on sale and the
    money comes back in full (to the wallet at once, or to the card by a refund task).

    A pending pledge whose payment waits for the backer's bank (`_pledge_confirm_wait`) is cancelled
    too, nothing charged: its waiting payments are cancelled at the provider first, outside any
    transaction (`_pledge_confirm_cancel`), then the pledge. If the provider says the backer confirmed
    one meanwhile, the payment is booked instead and PledgeRefused `payment_confirmed` says the pledge
    is paid (cancelling it again then refunds it, as for any paid pledge). If the provider does not
    answer: PledgeRefused `provider_unavailable`, the pledge unchanged. Any other pending pledge:
    PledgeRefused `payment_pending`. Raises PermissionDenied, PledgeRefused."""
    from payments.models import AttemptKind

    pledge = Pledge.objects.filter(pk=pledge_id).first()
    if pledge is None or pledge.backer_id != backer.pk:
        raise PermissionDenied("No such pledge of yours.", code="not_found")
    awaiting = pledge.status == PledgeStatus.PENDING and pledge.retry_until is not None
    if awaiting:
        _pledge_confirm_cancel(pledge, now=now or timezone.now())
    refund_by_card = False
    with transaction.atomic():
        campaign = campaign_lock(pledge.campaign_id, shared=True)
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if campaign.status != CampaignStatus.LIVE or (now or timezone.now()) >= campaign.deadline:
            raise PledgeRefused("The campaign has closed; pledges can no longer be cancelled.",
                                code="campaign_closed")
        if pledge.status == PledgeStatus.SECURED:
            _pledge_end(pledge, PledgeStatus.CANCELLED)
        elif pledge.status == PledgeStatus.PAID and awaiting:  # paid (another card) while this ran
            raise _paid_meanwhile()
        elif pledge.status == PledgeStatus.PAID:
            _tier_release(pledge.tier_id)
            if _refunds_to_wallet(pledge, campaign):
                _refund_to_wallet_record(pledge, campaign)
            else:
                pledge.status = PledgeStatus.REFUNDING
                pledge.save(update_fields=["status"])
                refund_by_card = True
        elif pledge.status == PledgeStatus.PENDING and awaiting and not pledge.attempts.filter(
                kind=AttemptKind.CHARGE,
                status__in=[AttemptStatus.STARTED, AttemptStatus.PENDING, AttemptStatus.SUCCEEDED]).exists():
            _pledge_end(pledge, PledgeStatus.CANCELLED)  # its payments can no longer take money
        elif pledge.status == PledgeStatus.PENDING:
            raise _payment_pending()
        else:
            raise PledgeRefused(CANCEL_REFUSED.get(pledge.status, NOT_CANCELLABLE), code="not_cancellable")
        if refund_by_card:
            from . import tasks

            transaction.on_commit(lambda: tasks.refund_pledge.delay(pledge_id))
    return pledge


def _payment_pending() -> PledgeRefused:
    return PledgeRefused("This pledge's payment is still being confirmed; try again shortly.", code="payment_pending")


def _paid_meanwhile() -> PledgeRefused:
    return PledgeRefused("Your bank confirmed this payment before it could be cancelled: your pledge is paid. "
                         "While the campaign is live you can still cancel it; the money then comes back to you "
                         "in full.", code="payment_confirmed")


def _pledge_confirm_cancel(pledge: Pledge, *, now: dt.datetime) -> None:
    """For `pledge_cancel`, before its transaction: cancel at the provider the payments of a pending
    pledge awaiting its backer's confirmation (`payments.pledge_charge_cancel`: idempotent, its key
    `<charge key>-cancel`). Refuses before any provider call when the campaign has closed, or while a
    payment with another card has no answer yet. A payment the backer confirmed first is booked
    (`pledge_charge_settle`) and PledgeRefused `payment_confirmed` raised. The provider down:
    PledgeRefused `provider_unavailable`, each attempt left as it was."""
    from payments.models import AttemptKind

    campaign = Campaign.objects.get(pk=pledge.campaign_id)
    if campaign.status != CampaignStatus.LIVE or now >= campaign.deadline:
        raise PledgeRefused("The campaign has closed; pledges can no longer be cancelled.", code="campaign_closed")
    charges = pledge.attempts.filter(kind=AttemptKind.CHARGE)
    if charges.filter(status=AttemptStatus.STARTED).exists():
        raise _payment_pending()
    try:
        for attempt in charges.filter(status=AttemptStatus.PENDING):
            payments.pledge_charge_cancel(attempt=attempt)
    except GatewayUnavailable:
        raise PledgeRefused("Stripe did not answer: your pledge is not cancelled yet. Please try again in a moment.",
                            code="provider_unavailable") from None
    if charges.filter(status=AttemptStatus.SUCCEEDED).exists():
        pledge_charge_settle(pledge_id=pledge.pk)
        raise _paid_meanwhile()


def pledge_refund(*, pledge_id: int, number: int | None = None) -> Pledge:
    """Refund one pledge in full: to the wallet in one transaction, or to the card through the
    gateway and then booked, both under the refund attempt's key (`number`, default the latest:
    `pledge-<id>-refund`, after a failure `pledge-<id>-refund-2`, ...). Safe to run again at any
    point: a refund the provider already made is returned, not repeated, and an attempt that failed
    is not tried again here (`pledge_refund_retry` makes the next one). A refund the provider declines
    at once is handed to `pledge_refund_retry_plan`. Raises GatewayUnavailable."""
    from payments.models import PaymentAttempt
    with transaction.atomic():
        pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
        campaign = pledge.campaign
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status == PledgeStatus.PAID:
            if _refunds_to_wallet(pledge, campaign):
                _refund_to_wallet_record(pledge, campaign)
                return pledge
            pledge.status = PledgeStatus.REFUNDING
            pledge.save(update_fields=["status"])
    if pledge.status != PledgeStatus.REFUNDING:
        return pledge
    number = number or payments.pledge_refund_number(pledge_id=pledge.pk)
    answered = PaymentAttempt.objects.filter(idempotency_key=payments.refund_key(pledge.pk, number)).exclude(
        status=AttemptStatus.STARTED).exists()
    attempt = payments.pledge_refund_call(pledge=pledge, number=number)
    if attempt.status != AttemptStatus.SUCCEEDED:
        log.error("Refund of pledge %s not made: %s %s", pledge.pk, attempt.status, attempt.message)
        if attempt.status == AttemptStatus.DECLINED and not answered:  # declined by this very call
            pledge_refund_retry_plan(pledge_id=pledge.pk, failed=attempt)
        return pledge
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.REFUNDING:
            return pledge
        if not PaymentAttempt.objects.filter(pk=attempt.pk, status=AttemptStatus.SUCCEEDED).exists():
            return pledge  # the provider failed it meanwhile (`refund.failed`): nothing to book
        ledger.transaction_record(
            kind=TransactionKind.REFUND, key=attempt.idempotency_key, campaign=campaign,
            legs=[ledger.Leg(ledger.escrow_account(campaign), -pledge.amount, pledge.pk),
                  ledger.Leg(ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform),
                             pledge.amount, pledge.pk)])
        pledge.status = PledgeStatus.REFUNDED
        pledge.ended_at = timezone.now()
        pledge.save(update_fields=["status", "ended_at"])
        notify("refunds_issued", pledge_ids=[pledge.pk])
    return pledge


def pledge_refund_failed(*, pledge_id: int, refund_reference: str, key: str | None = None) -> Pledge:
    """The provider says a card refund we booked has failed (Stripe's `refund.failed`): the booking
    of that attempt (`key`, default `pledge-<id>-refund`) is reversed in the ledger (card network →
    escrow, `<key>-failed`) and the pledge goes back to `refunding`, with the failed attempt recorded;
    the caller then hands it to `pledge_refund_retry_plan`. Joins the caller's transaction; only a
    refunded pledge whose refund was booked under `key` moves; replays change nothing."""
    key = key or payments.refund_key(pledge_id)
    with transaction.atomic():
        pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
        campaign = pledge.campaign
        pledge = Pledge.objects.select_for_update().get(pk=pledge_id)
        if pledge.status != PledgeStatus.REFUNDED or not Transaction.objects.filter(key=key).exists():
            return pledge
        ledger.transaction_record(
            kind=TransactionKind.REFUND, key=f"{key}-failed", campaign=campaign,
            memo=f"Refund {refund_reference} failed at the provider: booking reversed",
            # The escrow leg carries no pledge: the audit counts a pledge's positive refund legs.
            legs=[ledger.Leg(ledger.platform_account(AccountKind.CARD_NETWORK, campaign.platform),
                             -pledge.amount, pledge.pk),
                  ledger.Leg(ledger.escrow_account(campaign), pledge.amount, None)])
        pledge.status = PledgeStatus.REFUNDING
        pledge.ended_at = None
        pledge.save(update_fields=["status", "ended_at"])
    return pledge


def pledge_refund_single(*, pledge_id: int, number: int | None = None) -> Pledge:
    """Refund one pledge outside its campaign's refund chunks (a cancellation, a payment that came
    after the close, a retry); if it was the last money of a refunding campaign, the campaign is
    refunded. A chunk that skipped this pledge while it was locked here would otherwise leave the
    campaign `refunding` until the close job's stalled-refund restart."""
    pledge = pledge_refund(pledge_id=pledge_id, number=number)
    if pledge.status == PledgeStatus.REFUNDED:
        campaign_refunds_finish(campaign_id=pledge.campaign_id)
    return pledge


# --- a card refund that failed: bounded retries, then an admin ---------------------------------

def _admins_alert(message: str) -> None:
    from django.core.mail import mail_admins

    log.error(message)
    transaction.on_commit(lambda: mail_admins("A refund needs attention", message, fail_silently=True))


def pledge_refund_retry_plan(*, pledge_id: int, failed) -> str:
    """Refund attempt `failed` (a PaymentAttempt) of a refunding pledge was declined, at once or later
    by the provider (`refund.failed`, its booking already reversed): queue the next attempt in
    CIVICFUND_REFUND_RETRY_SECONDS × the failed attempt's number (`tasks.refund_retry`, with its own
    keys), or, once CIVICFUND_REFUND_ATTEMPTS attempts have failed or the decline is one another
    attempt cannot mend (`REFUND_NOT_RETRIED`), alert the admins: the pledge stays `refunding`,
    listed as waiting for a manual refund (`selectors.pledges_awaiting_manual_refund`). Joins the
    caller's transaction (the task is queued, the e-mail sent, after its commit); returns a note."""
    from django.conf import settings

    from . import tasks

    number = payments.refund_number(pledge_id, failed.idempotency_key)
    if number is None or not Pledge.objects.filter(pk=pledge_id, status=PledgeStatus.REFUNDING).exists():
        return "no retry (not a refunding pledge's own refund)"
    attempts = settings.CIVICFUND_REFUND_ATTEMPTS
    reason = failed.message or failed.code or "declined"
    if number < attempts and failed.code not in payments.REFUND_NOT_RETRIED:
        after = settings.CIVICFUND_REFUND_RETRY_SECONDS * number
        transaction.on_commit(lambda: tasks.refund_retry.apply_async((pledge_id, number + 1), countdown=after))
        log.warning("Refund %s of pledge %s failed (%s): attempt %s of %s in %ss", failed.idempotency_key,
                    pledge_id, reason, number + 1, attempts, after)
        return f"refund attempt {number + 1} of {attempts} queued in {after}s"
    why = (f"refund attempt {number} of {attempts} failed" if failed.code not in payments.REFUND_NOT_RETRIED
           else f"refund attempt {number} refused")
    _admins_alert(f"Pledge {pledge_id}: {why} ({failed.idempotency_key}, {failed.reference or 'no reference'}: "
                  f"{reason}). No more attempts will be made: the pledge stays 'refunding', listed in the "
                  f"admin as waiting for a manual refund; pay the backer by other means.")
    return f"{why}: waiting for a manual refund"


def pledge_refund_retry(*, pledge_id: int, number: int) -> Pledge:
    """Refund attempt `number` (2, 3, ...) of a refunding pledge whose attempt `number - 1` was
    declined, with its own keys (`pledge-<id>-refund-<number>` at the provider and in the ledger),
    paced like a failed campaign's refunds; booked when it succeeds, and the campaign finished if it
    was its last money. Idempotent: a duplicate task resumes the same attempt (same key) or finds
    nothing to do; a pledge refunded, or whose latest attempt is another, is left alone.
    Raises GatewayUnavailable (the task retries with the same key)."""
    from django.conf import settings

    from payments.models import PaymentAttempt
    from payments.pacing import paced, refund_pacer

    pledge = Pledge.objects.select_related("campaign__platform").get(pk=pledge_id)
    latest = payments.pledge_refund_number(pledge_id=pledge_id)
    previous = PaymentAttempt.objects.filter(idempotency_key=payments.refund_key(pledge_id, number - 1)).first()
    due = latest == number or (
        latest == number - 1 and previous is not None and previous.status == AttemptStatus.DECLINED
        and previous.code not in payments.REFUND_NOT_RETRIED)
    if pledge.status != PledgeStatus.REFUNDING or not due or not 2 <= number <= settings.CIVICFUND_REFUND_ATTEMPTS:
        return pledge
    with paced(refund_pacer(pledge.campaign.platform)):
        return pledge_refund_single(pledge_id=pledge_id, number=number)


def failed_refunds_retry(*, now: dt.datetime | None = None) -> int:
    """Queue again the retry of a failed card refund whose queued task was lost (a countdown task
    dies with its worker's memory): a refunding pledge whose refunds have all failed, with attempts
    left, once its retry is CIVICFUND_RESUME_AFTER_SECONDS overdue. A duplicate of a task still
    coming changes nothing (`pledge_refund_retry` is idempotent). Returns how many were queued."""
    from django.conf import settings

    from . import tasks
    from .selectors import pledges_with_failed_refunds

    now = now or timezone.now()
    queued = 0
    rows = (pledges_with_failed_refunds()
            .filter(refunds_failed__lt=settings.CIVICFUND_REFUND_ATTEMPTS, refunds_final=0)
            .values_list("pk", "refunds_failed", "refund_failed_at")[:500])
    for pledge_id, failed, failed_at in rows:
        due = failed_at + dt.timedelta(seconds=settings.CIVICFUND_REFUND_RETRY_SECONDS * failed
                                       + settings.CIVICFUND_RESUME_AFTER_SECONDS)
        if due <= now:
            tasks.refund_retry.delay(pledge_id, failed + 1)
            queued += 1
    return queued


# --- a failed campaign's refunds, in chunks ---------------------------------------------------

WALLET_CHUNK = 2000
CARD_CHUNK = 100


def campaign_refund_chunk(*, campaign_id: int, size: int | None = None, resume: bool = False) -> int:
    """Refund the next chunk of a refunding campaign's paid pledges; return how many were refunded
    (wallet) or handed to refund tasks (card).

    Wallet refunds: one database transaction per chunk, a handful of set-based statements, the
    pledges' status and the ledger written together, so a killed worker leaves either the whole
    chunk or none of it. Sandbox card refunds: each pledge through `pledge_refund` (idempotent per
    pledge), here. Stripe card refunds are fanned out: the chunk's paid card pledges become
    `refunding` and are queued in small batches (`tasks.refund_pledges`), each refund idempotent
    per pledge and paced globally below the provider's rate limit; the last one booked finishes the
    campaign. `resume` (a first run, or a restart after a stall) queues again the card pledges
    left `refunding` by lost tasks. When nothing is left to refund, the campaign becomes `refunded`.
    """
    from payments.gateways import gateway_name_for

    campaign = Campaign.objects.select_related("platform").get(pk=campaign_id)
    if campaign.status != CampaignStatus.REFUNDING:
        return 0
    done = 0
    to_wallet = campaign.platform.refund_destination == RefundDestination.WALLET
    with transaction.atomic():
        # On card platforms only wallet-paid pledges go back to the wallet.
        rows = _paid_pledges_take(campaign_id, wallet_only=not to_wallet, limit=size or WALLET_CHUNK)
        if rows:
            _wallet_refunds_record(campaign, rows)
            done += len(rows)
    if not to_wallet and done == 0 and gateway_name_for(campaign.platform) == "stripe":
        done = _card_refunds_fan_out(campaign_id, size=size or CARD_CHUNK, resume=resume)
    elif not to_wallet and done == 0:  # the sandbox: no server, no rate limit; refunded here
        ids = list(Pledge.objects.filter(
            campaign_id=campaign_id, status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING],
            source=PaymentSource.CARD).order_by("id").values_list("id", flat=True)[: size or CARD_CHUNK])
        for pledge_id in ids:
            if pledge_refund(pledge_id=pledge_id).status == PledgeStatus.REFUNDED:
                done += 1
    if done == 0:
        campaign_refunds_finish(campaign_id=campaign_id)
    return done


def _card_refunds_fan_out(campaign_id: int, *, size: int, resume: bool) -> int:
    """paid → refunding for the next `size` card pledges (rows locked, SKIP LOCKED), and their
    refunds queued after the commit in batches of STRIPE_REFUND_BATCH."""
    from django.conf import settings

    from . import tasks
    from .selectors import pledges_with_failed_refunds

    with transaction.atomic():
        ids = list(Pledge.objects.select_for_update(skip_locked=True).filter(
            campaign_id=campaign_id, status=PledgeStatus.PAID, source=PaymentSource.CARD)
            .order_by("id").values_list("id", flat=True)[:size])
        if ids:
            Pledge.objects.filter(pk__in=ids).update(status=PledgeStatus.REFUNDING)
        if resume:  # not those whose refund failed: their retry task or an admin sees to them
            failed = pledges_with_failed_refunds().filter(campaign_id=campaign_id).values("pk")
            ids += list(Pledge.objects.filter(
                campaign_id=campaign_id, status=PledgeStatus.REFUNDING, source=PaymentSource.CARD)
                .exclude(pk__in=ids).exclude(pk__in=failed).order_by("id").values_list("id", flat=True))
        step = max(1, settings.STRIPE_REFUND_BATCH)
        batches = [ids[i:i + step] for i in range(0, len(ids), step)]
        if batches:
            transaction.on_commit(lambda: [tasks.refund_pledges.delay(batch) for batch in batches])
    return len(ids)


def pledge_refunds_paced(*, pledge_ids: list[int]) -> int:
    """Refund card pledges one after another (`pledge_refund_single`: idempotent per pledge with
    `pledge-<id>-refund`; the campaign's last refund finishes it), each request to the provider
    waiting for its slot in the gateway's global pace (`payments.pacing.refund_pacer`): a Stripe
    refund is two requests, so two slots. Pledges already refunded, or whose refund already has an
    answer, send nothing and take no slot. Returns how many were refunded.
    Raises GatewayUnavailable: the task retries the batch, whose done pledges are then skipped."""
    from payments.pacing import paced, refund_pacer

    done, pacers = 0, {}
    for pledge in Pledge.objects.filter(pk__in=pledge_ids).select_related("campaign__platform").order_by("id"):
        if pledge.status not in (PledgeStatus.PAID, PledgeStatus.REFUNDING):
            continue
        platform = pledge.campaign.platform
        pacer = pacers.get(platform.pk) or pacers.setdefault(platform.pk, refund_pacer(platform))
        with paced(pacer):
            if pledge_refund_single(pledge_id=pledge.pk).status == PledgeStatus.REFUNDED:
                done += 1
    return done


def _paid_pledges_take(campaign_id: int, *, wallet_only: bool, limit: int) -> list[tuple[int, int, int]]:
    """paid → refunded for the next `limit` pledges of a campaign in one statement, returning their
    (id, backer_id, amount) in id order. Must run in the transaction that books their refunds.

    One UPDATE ... RETURNING instead of SELECT ... FOR UPDATE and then UPDATE writes each pledge row
    once, not twice; on PostgreSQL SKIP LOCKED lets concurrent chunks take disjoint pledges."""
    table = Pledge._meta.db_table
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    source = " AND source = %s" if wallet_only else ""
    params = [PledgeStatus.REFUNDED, connection.ops.adapt_datetimefield_value(timezone.now()),
              campaign_id, PledgeStatus.PAID] + ([PaymentSource.WALLET] if wallet_only else []) + [limit]
    take = f"SELECT id FROM {table} WHERE campaign_id = %s AND status = %s{source} ORDER BY id LIMIT %s{lock}"
    # PostgreSQL: ARRAY(...) is computed once, then each row is found by its primary key, whatever
    # the table's size or statistics (a plain IN may hash-join the whole table for every chunk).
    where = f"id = ANY(ARRAY({take}))" if connection.vendor == "postgresql" else f"id IN ({take})"
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET status = %s, ended_at = %s WHERE {where} "
                       "RETURNING id, backer_id, amount", params)
        return sorted(cursor.fetchall())


def _wallet_refunds_record(campaign: Campaign, rows: list[tuple[int, int, int]]) -> None:
    """Book a chunk of refunds to wallets as one balanced transaction (caller has marked the pledges
    refunded in this transaction)."""
    # No model instance per pledge: lookups by the wallets' unique key (an index probe each, whatever
    # the table statistics say) and multi-row INSERTs, so the time goes to the database's own work.
    currency = campaign.currency
    ids = [pledge_id for pledge_id, _, _ in rows]
    backers = {backer_id for _, backer_id, _ in rows}
    wallets = Account.objects.filter(kind=AccountKind.WALLET, currency=currency,
                                     owner_key__in=[Account.key_for(user_id=b) for b in backers])
    accounts = dict(wallets.values_list("user_id", "id"))
    if missing := sorted(backers - accounts.keys()):
        created = _rows_insert(Account, ("kind", "currency", "user_id", "owner_key"),
                               [(AccountKind.WALLET, currency, b, Account.key_for(user_id=b)) for b in missing],
                               conflict=" ON CONFLICT DO NOTHING", returning=("user_id", "id"))
        accounts.update(created)
        if len(accounts) < len(backers):  # a wallet made meanwhile by someone else (a conflict)
            accounts = dict(wallets.values_list("user_id", "id"))
    total = sum(amount for _, _, amount in rows)
    txn = Transaction.objects.create(
        kind=TransactionKind.REFUND, key=f"campaign-{campaign.pk}-refunds-from-{rows[0][0]}",
        campaign=campaign, memo=f"{len(rows)} refunds to wallets")
    escrow = ledger.escrow_account(campaign)
    _rows_insert(Entry, ("transaction_id", "account_id", "amount", "pledge_id"),
                 [(txn.pk, escrow.pk, -total, None)]
                 + [(txn.pk, accounts[backer_id], amount, pledge_id)
                    for pledge_id, backer_id, amount in rows])
    notify("refunds_issued", pledge_ids=list(ids))


def _rows_insert(model, columns: tuple[str, ...], rows: list[tuple], *, conflict: str = "",
                 batch: int = 1000, returning: tuple[str, ...] = ()) -> list[tuple]:
    """INSERT plain value tuples, `batch` rows a statement (SQLite's limit on parameters); with
    `returning`, those columns of the rows actually inserted."""
    one = f"({', '.join(['%s'] * len(columns))})"
    back = f" RETURNING {', '.join(returning)}" if returning else ""
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            cursor.execute(f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) VALUES "
                           + ", ".join([one] * len(part)) + conflict + back,
                           [value for row in part for value in row])
            if returning:
                out += cursor.fetchall()
    return out


def campaign_refunds_finish(*, campaign_id: int) -> bool:
    """refunding → refunded once no pledge of the campaign still holds money."""
    from projects.services import campaign_move

    with transaction.atomic():
        campaign = campaign_lock(campaign_id)
        if campaign.status != CampaignStatus.REFUNDING:
            return False
        if Pledge.objects.filter(campaign_id=campaign_id,
                                 status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING]).exists():
            return False
        campaign_move(campaign, CampaignStatus.REFUNDED, note="All backers refunded in full.")
        return True


# --- charge on success: collecting a successful campaign's saved cards ------------------------

def campaign_collect_chunk(*, campaign_id: int, size: int = CARD_CHUNK) -> int:
    """Charge the next saved cards of a succeeded charge-on-success campaign, off-session.

    A declined card puts its pledge in the retry window (`pledge_retry_start`); the split is made on
    what was collected once no secured or retrying pledge is left (`projects.services.campaign_settle`).
    """
    from django.db.models import Exists, OuterRef

    from payments.models import PaymentAttempt
    from projects.services import campaign_settle

    # A charge answered "pending" stays secured until its callback: skip it, or the chain of chunks
    # would take it again forever. The callback pays it; the close's resume then settles.
    awaiting = PaymentAttempt.objects.filter(pledge=OuterRef("pk"), kind="charge",
                                             status=AttemptStatus.PENDING)
    ids = list(Pledge.objects.filter(campaign_id=campaign_id, status=PledgeStatus.SECURED)
               .exclude(Exists(awaiting)).order_by("id").values_list("id", flat=True)[:size])
    for pledge_id in ids:
        pledge = Pledge.objects.get(pk=pledge_id)
        payments.pledge_charge_call(pledge=pledge, off_session=True)
        pledge_charge_settle(pledge_id=pledge_id)
    if not ids:
        campaign_settle(campaign_id=campaign_id)
    return len(ids)


PENDING_GIVE_UP = dt.timedelta(minutes=30)


def pending_payments_retry(*, now: dt.datetime | None = None) -> int:
    """Ask the provider again about card pledges whose payment has had no answer for a while (a
    timeout, or a worker killed mid-call), with the same idempotency key, so the provider returns
    its first answer instead of charging again. A pledge whose card was never saved cannot be
    charged (we keep no card numbers): after PENDING_GIVE_UP it is declined and its reward freed (an
    open Stripe Checkout page of it expired first). A pledge awaiting its backer's confirmation is
    left alone until its window ends, then `pledge_confirm_expire` ends it."""
    from django.conf import settings

    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.CIVICFUND_PENDING_RETRY_SECONDS)
    done = 0
    for pledge in Pledge.objects.filter(status=PledgeStatus.PENDING, created_at__lte=stale).select_related(
            "campaign__platform")[:500]:
        if pledge.retry_until is not None:  # awaiting the backer's confirmation
            if now >= pledge.retry_until:
                try:
                    pledge_confirm_expire(pledge_id=pledge.pk, now=now)
                except GatewayUnavailable:
                    continue
                done += 1
            continue
        charge = pledge.attempts.filter(kind="charge").first()
        if charge is not None and charge.status == AttemptStatus.PENDING:
            if charge.code == "authentication_required":  # its window was never opened (a crash)
                pledge_charge_settle(pledge_id=pledge.pk)
            continue  # the provider will call back
        if not pledge.payment_method:
            if pledge.created_at <= now - PENDING_GIVE_UP:
                try:
                    pledge_checkout_cancel(pledge_id=pledge.pk, status=PledgeStatus.DECLINED)
                except GatewayUnavailable:
                    continue
                with transaction.atomic():  # no Checkout page (or its session was never created)
                    pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
                    if pledge.status == PledgeStatus.PENDING and not pledge.payment_method:
                        _pledge_end(pledge, PledgeStatus.DECLINED)
                done += 1
            continue
        if pledge.campaign.platform.collection_mode == CollectionMode.CHARGE_ON_SUCCESS:
            try:
                _pledge_secure(pledge.pk)
            except PledgeRefused:
                pass
            done += 1
            continue
        try:
            payments.pledge_charge_call(pledge=pledge)
        except GatewayUnavailable:
            continue
        pledge_charge_settle(pledge_id=pledge.pk)
        done += 1
    return done


def backer_wallet_balance(*, backer, currency: str) -> int:
    return ledger.wallet_balance(backer, currency)


__all__ = [
    "ApplicationError", "pledge_create", "pledge_get_or_create", "pledge_cancel", "pledge_refund",
    "pledge_charge_settle", "campaign_refund_chunk", "campaign_collect_chunk", "campaign_refunds_finish",
]
