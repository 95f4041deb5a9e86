"""The Stripe adapter: our gateway interface on top of the official `stripe` SDK.

Only this module talks to Stripe and knows its objects; callers get `GatewayResult`s and plain
values. Conventions:

- Every call that creates or moves money sends our own idempotency key, derived from our row
  (`pledge-<id>-charge`, `pledge-<id>-refund`, `payout-<campaign>-first`, ...), optionally behind
  STRIPE_IDEMPOTENCY_PREFIX when several deployments share one Stripe account. A retry after a
  timeout or a crash therefore gets Stripe's first answer instead of a second charge. The key also
  goes into the object's metadata, so a refund retried after Stripe's 24-hour key window is still
  found, not repeated.
- Timeouts, connection errors, 5xx, 409 (the same key still in flight) and 429 raise
  `GatewayUnavailable`: the Celery task retries later with the same key. A `CardError` is a
  `declined` result carrying Stripe's decline code. A 404 (`resource_missing`) raises
  `StripeObjectMissing`: the object is not, or no longer, at Stripe, and asking again will not help.
- Each request first waits for its slot of the active pace, if any (`payments.pacing.paced`).
- Amounts cross the boundary in the currency's minor units as Stripe counts them; a currency Stripe
  does not take is refused before any call (and when a platform is configured: `Platform.clean`).
- A saved card's reference is `cus_…/pm_…` (the Customer and the PaymentMethod an off-session
  charge needs), opaque to the rest of civicfund.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

import stripe
from django.db import IntegrityError, transaction

from .gateways import (
    Capabilities,
    CardPage,
    ChargeSummary,
    GatewayResult,
    PayoutAccountState,
    ProviderRefund,
    ProviderTransfer,
)
from .models import StripeCustomer
from .stripe_client import (
    _call,
    _id,
    from_stripe_amount,
    stripe_client,
    stripe_currency_problem,
    to_stripe_amount,
)

log = logging.getLogger(__name__)

LIST_PAGE = 100  # objects per page of a Stripe list or search (Stripe's largest)


def _declined(exc: stripe.CardError) -> GatewayResult:
    error = exc.error
    code = (
        (getattr(error, "decline_code", None) or exc.code or "card_declined")
        if error
        else (exc.code or "card_declined")
    )
    reference = _id(getattr(error, "payment_intent", None)) if error else ""
    message = exc.user_message or "The card was declined."
    return GatewayResult(status="declined", reference=reference, message=message, code=code)


# A PaymentIntent is asked for with its latest charge, whose `created` dates the payment.
WITH_CHARGE = {"expand": ["latest_charge"]}


def _paid_at(pi) -> dt.datetime | None:
    """When Stripe made a succeeded PaymentIntent's payment: its latest charge's `created`, as the
    last instant of that whole second (Stripe counts seconds), so a payment that may have come at or
    after a deadline is never taken as before it. None when the charge is not expanded."""
    charge = pi.get("latest_charge")
    created = charge.get("created") if hasattr(charge, "get") else None
    if not created:
        return None
    return dt.datetime.fromtimestamp(int(created), tz=dt.UTC) + dt.timedelta(microseconds=999_999)


def _pi_result(pi, *, off_session: bool) -> GatewayResult:
    status = pi["status"]
    if status == "succeeded":
        return GatewayResult(status="succeeded", reference=pi["id"], at=_paid_at(pi))
    if status == "requires_action":
        if off_session:  # nobody is there to authenticate: the backer must come back on-session
            return GatewayResult(
                status="declined",
                reference=pi["id"],
                code="authentication_required",
                message="Your bank asks you to confirm this payment.",
            )
        # On-session: the backer confirms it with Stripe.js (3-D Secure) on our confirm page.
        return GatewayResult(
            status="pending", reference=pi["id"], message="requires_action", code="authentication_required"
        )
    if status in ("processing", "requires_capture", "requires_confirmation"):
        return GatewayResult(status="pending", reference=pi["id"], message=status)
    error = pi.get("last_payment_error") or {}
    return GatewayResult(
        status="declined",
        reference=pi["id"],
        code=(error.get("decline_code") or error.get("code") or status),
        message=error.get("message") or "The card was declined.",
    )


def _split(reference: str) -> tuple[str, str]:
    customer, _, method = reference.rpartition("/")
    return customer, method


class StripeGateway:
    """Cards through Stripe: Customer + SetupIntent to save, PaymentIntent to charge (off-session at
    a charge-on-success close), Refund API to refund. Transfers to Connect accounts for payouts."""

    name = "stripe"
    capabilities = Capabilities(
        hosted_card_page=True,
        customer_confirmation=True,
        paced_refunds=True,
        connected_payouts=True,
        reconciliation=True,
    )

    def currency_problem(self, currency: str) -> str | None:
        return stripe_currency_problem(currency)

    # Stripe's object ids say what they are: PaymentIntents pi_, SetupIntents seti_, Checkout Sessions cs_.

    def is_card_page(self, reference: str) -> bool:
        return reference.startswith("cs_")

    def is_charge_reference(self, reference: str) -> bool:
        return reference.startswith("pi_")

    def confirmation_secret(self, reference: str) -> str | None:
        """For the backer's on-session page or app (3-D Secure): a PaymentIntent's or SetupIntent's
        client secret; None for anything else."""
        if reference.startswith("pi_"):
            return str(_call(stripe_client().v1.payment_intents.retrieve, reference)["client_secret"])
        if reference.startswith("seti_"):
            return str(_call(stripe_client().v1.setup_intents.retrieve, reference)["client_secret"])
        return None

    # --- cards -----------------------------------------------------------------------------------

    def customer_id(self, customer: str) -> str:
        """Stripe's Customer for our `customer` ("user-<id>"), created once (idempotently)."""
        if (row := StripeCustomer.objects.filter(key=customer).first()) is not None:
            return row.customer_id
        created = _call(
            stripe_client().v1.customers.create, {"metadata": {"civicfund": customer}}, key=f"customer-{customer}"
        )
        try:
            with transaction.atomic():
                StripeCustomer.objects.create(key=customer, customer_id=created["id"])
        except IntegrityError:  # a concurrent first pledge of the same backer
            return StripeCustomer.objects.get(key=customer).customer_id
        return created["id"]

    def save_card(self, *, card: str, customer: str, idempotency_key: str) -> GatewayResult:
        """`card` is what Stripe.js (or Checkout) gave the browser: a PaymentMethod (`pm_…`, which
        we confirm in a SetupIntent for off-session use) or an already confirmed SetupIntent
        (`seti_…`). We never see a card number."""
        client = stripe_client()
        card = card.strip()
        if not card.startswith(("pm_", "seti_")):
            return GatewayResult(
                status="declined", message="Enter your card details again.", code="invalid_payment_method"
            )
        customer_id = self.customer_id(customer)
        try:
            if card.startswith("seti_"):
                setup = _call(client.v1.setup_intents.retrieve, card)
                if setup.get("customer") and _id(setup["customer"]) != customer_id:
                    return GatewayResult(
                        status="declined", message="This card setup is not yours.", code="customer_mismatch"
                    )
            else:
                setup = _call(
                    client.v1.setup_intents.create,
                    {
                        "customer": customer_id,
                        "usage": "off_session",
                        "payment_method_types": ["card"],
                        "metadata": {"idempotency_key": idempotency_key},
                    },
                    key=idempotency_key,
                )
                if setup["status"] != "succeeded":
                    setup = _call(
                        client.v1.setup_intents.confirm,
                        setup["id"],
                        {"payment_method": card},
                        key=f"{idempotency_key}-confirm",
                    )
        except stripe.CardError as exc:
            result = _declined(exc)
            return GatewayResult(status="declined", message=result.message, code=result.code)
        return self.setup_result(setup, customer_id=customer_id)

    def setup_result(self, setup, *, customer_id: str = "") -> GatewayResult:
        """A SetupIntent as our result: succeeded with the saved card's reference, pending while the
        backer authenticates (the `setup_intent.succeeded` event finishes it), else declined."""
        customer_id = customer_id or _id(setup.get("customer"))
        status = setup["status"]
        if status == "succeeded":
            return GatewayResult(status="succeeded", reference=f"{customer_id}/{_id(setup['payment_method'])}")
        if status in ("requires_action", "processing", "requires_confirmation"):
            return GatewayResult(status="pending", reference=setup["id"], message=status)
        error = setup.get("last_setup_error") or {}
        return GatewayResult(
            status="declined",
            reference=setup["id"],
            code=error.get("decline_code") or error.get("code") or status,
            message=error.get("message") or "The card could not be saved.",
        )

    def card_setup_get(self, setup_id: str) -> GatewayResult:
        return self.setup_result(_call(stripe_client().v1.setup_intents.retrieve, setup_id))

    def charge(
        self,
        *,
        payment_method: str,
        amount: int,
        currency: str,
        idempotency_key: str,
        off_session: bool,
        group: str = "",
    ) -> GatewayResult:
        customer, method = _split(payment_method)
        params: dict[str, Any] = {
            "amount": to_stripe_amount(amount, currency),
            "currency": currency.lower(),
            "payment_method": method,
            "confirm": True,
            **WITH_CHARGE,
            "metadata": {"idempotency_key": idempotency_key, **({"group": group} if group else {})},
        }
        if customer:
            params["customer"] = customer
        if off_session:
            params["off_session"] = True
        if group:
            params["transfer_group"] = group
        try:
            pi = _call(stripe_client().v1.payment_intents.create, params, key=idempotency_key)
        except stripe.CardError as exc:
            return _declined(exc)
        return _pi_result(pi, off_session=off_session)

    def charge_get(self, payment_intent: str, *, off_session: bool = False) -> GatewayResult:
        """Stripe's current word on a charge (webhooks re-fetch, as events may come out of order)."""
        pi = _call(stripe_client().v1.payment_intents.retrieve, payment_intent, WITH_CHARGE)
        return _pi_result(pi, off_session=off_session)

    def charge_cancel(self, payment_intent: str, *, idempotency_key: str) -> GatewayResult:
        """Cancel a PaymentIntent that waits for the backer (3-D Secure not done in time, or replaced
        by another card), so it can never take money later. Stripe's word as our result: declined
        (code `canceled`) once cancelled; succeeded if the backer confirmed it first (Stripe refuses
        to cancel a succeeded intent); pending while it is processing."""
        client = stripe_client()
        try:
            pi = _call(
                client.v1.payment_intents.cancel,
                payment_intent,
                {"cancellation_reason": "abandoned"},
                key=idempotency_key,
            )
        except stripe.InvalidRequestError:  # no longer cancellable: succeeded, processing or canceled
            pi = _call(client.v1.payment_intents.retrieve, payment_intent, WITH_CHARGE)
        return _pi_result(pi, off_session=False)

    def charge_summary(self, payment_intent: str) -> ChargeSummary:
        pi = _call(stripe_client().v1.payment_intents.retrieve, payment_intent)
        currency = pi["currency"].upper()
        received = pi.get("amount_received")
        if received is None:  # older API shapes: the amount of a succeeded intent
            received = pi["amount"] if pi["status"] == "succeeded" else 0
        return ChargeSummary(
            reference=pi["id"],
            status=pi["status"],
            currency=currency,
            amount=from_stripe_amount(pi["amount"], currency),
            received=from_stripe_amount(received, currency) if pi["status"] == "succeeded" else 0,
        )

    def charges_list(self, *, since=None, until=None, group: str = "") -> list[ChargeSummary]:
        """PaymentIntents at Stripe created in [since, until) (datetimes; None: open-ended), every page.

        Stripe is asked for that range only (`created[gte]`, `created[lt]`). With `group`, only for the
        PaymentIntents our charges tagged with it (`metadata['group']`), through Stripe's search, whose
        index lags new payments by up to a minute and which does not see `transfer_group`."""
        client = stripe_client()
        low = math.ceil(since.timestamp()) if since else None  # `created` is whole seconds
        high = math.ceil(until.timestamp()) if until else None
        if group:
            quoted = group.replace("\\", "\\\\").replace("'", "\\'")
            clauses = [f"metadata['group']:'{quoted}'"]
            clauses += [f"created>={low}"] if low is not None else []
            clauses += [f"created<{high}"] if high is not None else []
            rows = _call(client.v1.payment_intents.search, {"query": " AND ".join(clauses), "limit": LIST_PAGE})
        else:
            created = {name: value for name, value in (("gte", low), ("lt", high)) if value is not None}
            rows = _call(
                client.v1.payment_intents.list, {"limit": LIST_PAGE, **({"created": created} if created else {})}
            )
        out = []
        for pi in rows:
            created_at = pi.get("created") or 0
            if (low is not None and created_at < low) or (high is not None and created_at >= high):
                continue  # Stripe answered for the range asked; kept as a guard
            currency = pi["currency"].upper()
            amount = from_stripe_amount(pi["amount"], currency)
            out.append(
                ChargeSummary(
                    reference=pi["id"],
                    status=pi["status"],
                    currency=currency,
                    amount=amount,
                    received=amount if pi["status"] == "succeeded" else 0,
                    group=pi.get("transfer_group") or (pi.get("metadata") or {}).get("group", ""),
                    key=(pi.get("metadata") or {}).get("idempotency_key", ""),
                )
            )
        return out

    # --- refunds ---------------------------------------------------------------------------------

    def refunds_of(self, payment_intent: str) -> list[ProviderRefund]:
        rows = _call(stripe_client().v1.refunds.list, {"payment_intent": payment_intent, "limit": LIST_PAGE})
        return [
            ProviderRefund(
                reference=r["id"],
                # Every currency civicfund takes through Stripe has Stripe's own exponent (factor 1).
                amount=from_stripe_amount(r["amount"], r["currency"].upper()) if r.get("currency") else r["amount"],
                status=r["status"],
                key=(r.get("metadata") or {}).get("idempotency_key", ""),
            )
            for r in rows
        ]

    @staticmethod
    def _refund_result(status: str, reference: str, reason: str = "") -> GatewayResult:
        if status == "succeeded":
            return GatewayResult(status="succeeded", reference=reference)
        if status in ("pending", "requires_action"):
            return GatewayResult(status="pending", reference=reference, message=status)
        return GatewayResult(
            status="declined",
            reference=reference,
            code=status,
            message=f"Refund {status}" + (f" ({reason})" if reason else ""),
        )

    def refund(
        self, *, charge: str, amount: int, currency: str, idempotency_key: str, charged: int | None = None
    ) -> GatewayResult:
        """Refund `amount` of PaymentIntent `charge`: two requests, the look-up of the intent's refunds
        and the create (one when the look-up finds ours). A refund with our key already at Stripe is
        the answer (also past the 24-hour key window). With `charged` (what the intent took, in our
        minor units), a refund that would take back more than that, counting every refund Stripe
        holds on it that has not failed or been cancelled (other attempts' keys, the dashboard's), is
        declined (`refund_exceeds_charge`) without being sent: Stripe itself would refuse it, but not
        every Stripe (the local fake one does not)."""
        existing = self.refunds_of(charge)
        for refund in existing:
            if refund.key == idempotency_key:
                return self._refund_result(refund.status, refund.reference)
        if charged is not None:
            held = sum(r.amount for r in existing if r.status in ("succeeded", "pending", "requires_action"))
            if held + amount > charged:  # our minor units, as refunds_of gives them
                return GatewayResult(
                    status="declined",
                    code="refund_exceeds_charge",
                    message=(f"Not sent: Stripe already holds refunds of {held} of the {charged} charged on {charge}"),
                )
        refund = _call(
            stripe_client().v1.refunds.create,
            {
                "payment_intent": charge,
                "amount": to_stripe_amount(amount, currency),
                "metadata": {"idempotency_key": idempotency_key},
            },
            key=idempotency_key,
        )
        return self._refund_result(refund["status"], refund["id"])

    def refund_get(self, refund_id: str) -> GatewayResult:
        refund = _call(stripe_client().v1.refunds.retrieve, refund_id)
        return self._refund_result(refund["status"], refund["id"], refund.get("failure_reason") or "")

    # --- Checkout (setup mode) -------------------------------------------------------------------

    def card_page_start(
        self,
        *,
        customer: str,
        success_url: str,
        cancel_url: str,
        idempotency_key: str,
        currency: str,
        expires_at: int | None = None,
    ) -> tuple[str, str]:
        """A Checkout Session in setup mode for a backer to save a card on Stripe's page; returns
        (session id, URL to send the backer to). `checkout.session.completed` finishes it. With
        `expires_at` (epoch seconds, 30 minutes to 24 hours ahead) Stripe expires it then, instead
        of after its default 24 hours."""
        params: dict[str, Any] = {
            "mode": "setup",
            "customer": self.customer_id(customer),
            "currency": currency.lower(),
            "payment_method_types": ["card"],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "setup_intent_data": {"metadata": {"idempotency_key": idempotency_key}},
            "metadata": {"idempotency_key": idempotency_key},
        }
        if expires_at:
            params["expires_at"] = expires_at
        session = _call(stripe_client().v1.checkout.sessions.create, params, key=idempotency_key)
        return session["id"], session["url"]

    @staticmethod
    def _session(session: dict) -> CardPage:
        return CardPage(
            reference=session["id"],
            status=session.get("status") or "",
            url=session.get("url") or "",
            setup_reference=_id(session.get("setup_intent")),
            key=(session.get("metadata") or {}).get("idempotency_key", ""),
        )

    def card_page_get(self, session_id: str) -> CardPage:
        return self._session(_call(stripe_client().v1.checkout.sessions.retrieve, session_id))

    def card_page_expire(self, session_id: str) -> CardPage:
        """End an open Checkout Session now (the backer left it), so its page cannot save a card
        any more; returns the session's state. A session already complete or expired is returned
        as it is (Stripe refuses to expire it)."""
        try:
            return self._session(_call(stripe_client().v1.checkout.sessions.expire, session_id, {}))
        except stripe.InvalidRequestError:
            return self.card_page_get(session_id)

    # --- Connect ---------------------------------------------------------------------------------

    def payout_account_create(self, *, user_key: str, email: str, country: str) -> str:
        account = _call(
            stripe_client().v1.accounts.create,
            {
                "type": "express",
                "country": country,
                "email": email or None,
                "capabilities": {"transfers": {"requested": True}},
                "metadata": {"civicfund": user_key},
            },
            key=f"account-{user_key}",
        )
        return account["id"]

    def payout_account_link(self, *, account: str, refresh_url: str, return_url: str) -> str:
        link = _call(
            stripe_client().v1.account_links.create,
            {"account": account, "refresh_url": refresh_url, "return_url": return_url, "type": "account_onboarding"},
        )
        return link["url"]

    def payout_account_get(self, account_id: str) -> PayoutAccountState:
        account = _call(stripe_client().v1.accounts.retrieve, account_id)
        return PayoutAccountState(
            reference=account["id"],
            charges_enabled=bool(account.get("charges_enabled")),
            payouts_enabled=bool(account.get("payouts_enabled")),
            details_submitted=bool(account.get("details_submitted")),
        )

    def transfer(
        self, *, amount: int, currency: str, destination: str, group: str, idempotency_key: str
    ) -> GatewayResult:
        """Separate charges and transfers: money from the platform balance to a connected account."""
        transfer = _call(
            stripe_client().v1.transfers.create,
            {
                "amount": to_stripe_amount(amount, currency),
                "currency": currency.lower(),
                "destination": destination,
                "transfer_group": group,
                "metadata": {"idempotency_key": idempotency_key},
            },
            key=idempotency_key,
        )
        return GatewayResult(status="succeeded", reference=transfer["id"])

    def transfers_of(self, group: str) -> list[ProviderTransfer]:
        rows = _call(stripe_client().v1.transfers.list, {"transfer_group": group, "limit": 100})
        return [
            ProviderTransfer(
                reference=t["id"],
                currency=t["currency"].upper(),
                amount=from_stripe_amount(t["amount"], t["currency"].upper()),
                reversed=from_stripe_amount(t.get("amount_reversed") or 0, t["currency"].upper()),
                key=(t.get("metadata") or {}).get("idempotency_key", ""),
            )
            for t in rows
        ]
