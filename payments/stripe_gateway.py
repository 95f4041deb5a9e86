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
import threading
from dataclasses import dataclass

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from civicfund import money
from civicfund.errors import ApplicationError

from . import pacing
from .gateways import GatewayResult, GatewayUnavailable

log = logging.getLogger(__name__)

# Currencies Stripe settles (lower-case ISO 4217). IRR is not among them.
STRIPE_CURRENCIES = frozenset("""
usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd
cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd
hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad
mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln
pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top try ttd twd tzs
uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw
""".split())
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())


class StripeNotConfigured(ApplicationError):
    code = "stripe_not_configured"


class StripeObjectMissing(Exception):
    """Stripe answered 404: the object asked for is not (or no longer) there, e.g. test data deleted
    from the dashboard, or an object of another account."""


LIST_PAGE = 100  # objects per page of a Stripe list or search (Stripe's largest)


def stripe_exponent(currency: str) -> int:
    code = currency.lower()
    return 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2


def stripe_currency_problem(currency: str) -> str | None:
    """Why Stripe cannot take `currency` for us, or None."""
    if currency.lower() not in STRIPE_CURRENCIES:
        return (f"Stripe does not take payments in {currency}. Choose a currency Stripe supports, "
                f"or another payment gateway for this platform.")
    try:
        ours = money.exponent(currency)
    except ValueError:
        return f"civicfund does not know the currency {currency}."
    if ours > stripe_exponent(currency):
        return f"{currency} amounts cannot be expressed exactly in Stripe's minor units."
    return None


def to_stripe_amount(amount: int, currency: str) -> int:
    """Our minor units → Stripe's minor units (the same for every currency civicfund knows)."""
    if problem := stripe_currency_problem(currency):
        raise ApplicationError(problem, code="currency_not_supported")
    return amount * 10 ** (stripe_exponent(currency) - money.exponent(currency))


def from_stripe_amount(amount: int, currency: str) -> int:
    factor = 10 ** (stripe_exponent(currency) - money.exponent(currency))
    if amount % factor:
        raise ValueError(f"{amount} {currency} minor units is not a whole civicfund amount")
    return amount // factor


class _PacedHTTPClient(stripe.RequestsClient):
    """The SDK's HTTP client, but every request it sends, its own network retries included
    (STRIPE_MAX_NETWORK_RETRIES), first waits for its slot of the active pace (payments.pacing):
    retries during an outage cannot outrun Stripe's rate limit."""

    def request(self, method, url, headers, post_data=None):
        pacing.before_call()
        return super().request(method, url, headers, post_data)


_clients: dict[tuple, stripe.StripeClient] = {}
_clients_lock = threading.Lock()


def stripe_client() -> stripe.StripeClient:
    """One SDK client per configuration (key, API base, retries, timeout), built on first use."""
    key = settings.STRIPE_SECRET_KEY
    if not key:
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set: Stripe cannot be used.")
    config = (key, settings.STRIPE_API_BASE, settings.STRIPE_MAX_NETWORK_RETRIES,
              settings.STRIPE_TIMEOUT_SECONDS)
    with _clients_lock:
        if (client := _clients.get(config)) is None:
            client = stripe.StripeClient(
                key,
                base_addresses={"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None,
                max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
                http_client=_PacedHTTPClient(timeout=settings.STRIPE_TIMEOUT_SECONDS),
            )
            _clients[config] = client
    return client


def stripe_key(key: str) -> str:
    """The idempotency key sent to Stripe for our key (namespaced when several deployments share
    one Stripe account)."""
    return f"{settings.STRIPE_IDEMPOTENCY_PREFIX}{key}"


def _options(key: str | None) -> dict:
    return {"idempotency_key": stripe_key(key)} if key else {}


def _unavailable(exc: stripe.StripeError) -> bool:
    if isinstance(exc, (stripe.APIConnectionError, stripe.RateLimitError)):
        return True
    status = getattr(exc, "http_status", None) or 0
    return status >= 500 or status in (409, 429)


def _call(fn, *args, key: str | None = None):
    """Call the SDK (with our idempotency key, if any), turning "no answer" errors into
    GatewayUnavailable (the caller retries later with the same key) and 404 into StripeObjectMissing.
    A list or search result is read to its last page. Each request waits for its pace slot in
    the HTTP client (`_PacedHTTPClient`), every page and every retry of the SDK's."""
    try:
        result = fn(*args, _options(key)) if key else fn(*args)
        if isinstance(result, (stripe.ListObject, stripe.SearchResultObject)):
            return [item.to_dict() for item in _pages(result)]
    except stripe.CardError:
        raise
    except stripe.StripeError as exc:
        if _unavailable(exc):
            raise GatewayUnavailable(f"Stripe did not answer: {exc}") from exc
        if getattr(exc, "http_status", None) == 404:
            raise StripeObjectMissing(str(exc)) from exc
        raise
    return result.to_dict() if hasattr(result, "to_dict") else result


def _pages(result):
    """Every item of a list or search result, asking Stripe for the next page as needed."""
    page = result
    while True:
        yield from page.data
        if not page.has_more:
            return
        page = page.next_search_result_page() if isinstance(page, stripe.SearchResultObject) else page.next_page()


def _id(value) -> str:
    """An expandable field: an id string, or the expanded object."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return value.get("id", "") if hasattr(value, "get") else getattr(value, "id", "")


def _declined(exc: stripe.CardError) -> GatewayResult:
    error = exc.error
    code = (getattr(error, "decline_code", None) or exc.code or "card_declined") if error else (
        exc.code or "card_declined")
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
            return GatewayResult(status="declined", reference=pi["id"], code="authentication_required",
                                 message="Your bank asks you to confirm this payment.")
        # On-session: the backer confirms it with Stripe.js (3-D Secure) on our confirm page.
        return GatewayResult(status="pending", reference=pi["id"], message="requires_action",
                             code="authentication_required")
    if status in ("processing", "requires_capture", "requires_confirmation"):
        return GatewayResult(status="pending", reference=pi["id"], message=status)
    error = pi.get("last_payment_error") or {}
    return GatewayResult(status="declined", reference=pi["id"],
                         code=(error.get("decline_code") or error.get("code") or status),
                         message=error.get("message") or "The card was declined.")


def _split(reference: str) -> tuple[str, str]:
    customer, _, method = reference.rpartition("/")
    return customer, method


@dataclass(frozen=True)
class StripeRefund:
    id: str
    amount: int  # Stripe minor units
    status: str
    key: str


class StripeGateway:
    """Cards through Stripe: Customer + SetupIntent to save, PaymentIntent to charge (off-session at
    a charge-on-success close), Refund API to refund. Transfers to Connect accounts for payouts."""

    name = "stripe"

    # --- cards -----------------------------------------------------------------------------------

    def customer_id(self, customer: str) -> str:
        """Stripe's Customer for our `customer` ("user-<id>"), created once (idempotently)."""
        from .models import StripeCustomer

        if (row := StripeCustomer.objects.filter(key=customer).first()) is not None:
            return row.customer_id
        created = _call(stripe_client().v1.customers.create, {"metadata": {"civicfund": customer}},
                        key=f"customer-{customer}")
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
            return GatewayResult(status="declined", message="Enter your card details again.",
                                 code="invalid_payment_method")
        customer_id = self.customer_id(customer)
        try:
            if card.startswith("seti_"):
                setup = _call(client.v1.setup_intents.retrieve, card)
                if setup.get("customer") and _id(setup["customer"]) != customer_id:
                    return GatewayResult(status="declined", message="This card setup is not yours.",
                                         code="customer_mismatch")
            else:
                setup = _call(client.v1.setup_intents.create,
                              {"customer": customer_id, "usage": "off_session",
                               "payment_method_types": ["card"],
                               "metadata": {"idempotency_key": idempotency_key}},
                              key=idempotency_key)
                if setup["status"] != "succeeded":
                    setup = _call(client.v1.setup_intents.confirm, setup["id"],
                                  {"payment_method": card}, key=f"{idempotency_key}-confirm")
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
            return GatewayResult(status="succeeded",
                                 reference=f"{customer_id}/{_id(setup['payment_method'])}")
        if status in ("requires_action", "processing", "requires_confirmation"):
            return GatewayResult(status="pending", reference=setup["id"], message=status)
        error = setup.get("last_setup_error") or {}
        return GatewayResult(status="declined", reference=setup["id"],
                             code=error.get("decline_code") or error.get("code") or status,
                             message=error.get("message") or "The card could not be saved.")

    def setup_intent_get(self, setup_id: str) -> GatewayResult:
        return self.setup_result(_call(stripe_client().v1.setup_intents.retrieve, setup_id))

    def charge(self, *, payment_method: str, amount: int, currency: str, idempotency_key: str,
               off_session: bool, group: str = "") -> GatewayResult:
        customer, method = _split(payment_method)
        params = {
            "amount": to_stripe_amount(amount, currency), "currency": currency.lower(),
            "payment_method": method, "confirm": True, **WITH_CHARGE,
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

    def payment_intent_get(self, payment_intent: str, *, off_session: bool = False) -> GatewayResult:
        """Stripe's current word on a charge (webhooks re-fetch, as events may come out of order)."""
        pi = _call(stripe_client().v1.payment_intents.retrieve, payment_intent, WITH_CHARGE)
        return _pi_result(pi, off_session=off_session)

    def payment_intent_client_secret(self, payment_intent: str) -> str:
        """For the backer's on-session page (3-D Secure) during the retry window."""
        return _call(stripe_client().v1.payment_intents.retrieve, payment_intent)["client_secret"]

    def payment_intent_cancel(self, payment_intent: str, *, idempotency_key: str) -> GatewayResult:
        """Cancel a PaymentIntent that waits for the backer (3-D Secure not done in time, or replaced
        by another card), so it can never take money later. Stripe's word as our result: declined
        (code `canceled`) once cancelled; succeeded if the backer confirmed it first (Stripe refuses
        to cancel a succeeded intent); pending while it is processing."""
        client = stripe_client()
        try:
            pi = _call(client.v1.payment_intents.cancel, payment_intent, {"cancellation_reason": "abandoned"},
                       key=idempotency_key)
        except stripe.InvalidRequestError:  # no longer cancellable: succeeded, processing or canceled
            pi = _call(client.v1.payment_intents.retrieve, payment_intent, WITH_CHARGE)
        return _pi_result(pi, off_session=False)

    def setup_intent_client_secret(self, setup_intent: str) -> str:
        """For an app that confirms a card setup with the bank itself (Stripe.js or a mobile SDK)."""
        return _call(stripe_client().v1.setup_intents.retrieve, setup_intent)["client_secret"]

    def payment_intent_summary(self, payment_intent: str) -> dict:
        pi = _call(stripe_client().v1.payment_intents.retrieve, payment_intent)
        currency = pi["currency"].upper()
        received = pi.get("amount_received")
        if received is None:  # older API shapes: the amount of a succeeded intent
            received = pi["amount"] if pi["status"] == "succeeded" else 0
        return {"id": pi["id"], "status": pi["status"], "currency": currency,
                "amount": from_stripe_amount(pi["amount"], currency),
                "received": from_stripe_amount(received, currency) if pi["status"] == "succeeded" else 0}

    def payment_intents_list(self, *, since=None, until=None, group: str = "") -> list[dict]:
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
            rows = _call(client.v1.payment_intents.list,
                         {"limit": LIST_PAGE, **({"created": created} if created else {})})
        out = []
        for pi in rows:
            created_at = pi.get("created") or 0
            if (low is not None and created_at < low) or (high is not None and created_at >= high):
                continue  # Stripe answered for the range asked; kept as a guard
            currency = pi["currency"].upper()
            out.append({"id": pi["id"], "status": pi["status"], "currency": currency,
                        "amount": from_stripe_amount(pi["amount"], currency),
                        "group": pi.get("transfer_group") or (pi.get("metadata") or {}).get("group", ""),
                        "key": (pi.get("metadata") or {}).get("idempotency_key", "")})
        return out

    # --- refunds ---------------------------------------------------------------------------------

    def refunds_list(self, payment_intent: str) -> list[StripeRefund]:
        rows = _call(stripe_client().v1.refunds.list, {"payment_intent": payment_intent, "limit": LIST_PAGE})
        return [StripeRefund(id=r["id"], amount=r["amount"], status=r["status"],
                             key=(r.get("metadata") or {}).get("idempotency_key", ""))
                for r in rows]

    @staticmethod
    def _refund_result(status: str, reference: str, reason: str = "") -> GatewayResult:
        if status == "succeeded":
            return GatewayResult(status="succeeded", reference=reference)
        if status in ("pending", "requires_action"):
            return GatewayResult(status="pending", reference=reference, message=status)
        return GatewayResult(status="declined", reference=reference, code=status,
                             message=f"Refund {status}" + (f" ({reason})" if reason else ""))

    def refund(self, *, charge: str, amount: int, currency: str, idempotency_key: str,
               charged: int | None = None) -> GatewayResult:
        """Refund `amount` of PaymentIntent `charge`: two requests, the look-up of the intent's refunds
        and the create (one when the look-up finds ours). A refund with our key already at Stripe is
        the answer (also past the 24-hour key window). With `charged` (what the intent took, in our
        minor units), a refund that would take back more than that, counting every refund Stripe
        holds on it that has not failed or been cancelled (other attempts' keys, the dashboard's), is
        declined (`refund_exceeds_charge`) without being sent: Stripe itself would refuse it, but not
        every Stripe (the local fake one does not)."""
        existing = self.refunds_list(charge)
        for refund in existing:
            if refund.key == idempotency_key:
                return self._refund_result(refund.status, refund.id)
        if charged is not None:
            held = sum(r.amount for r in existing if r.status in ("succeeded", "pending", "requires_action"))
            if held + to_stripe_amount(amount, currency) > to_stripe_amount(charged, currency):
                return GatewayResult(
                    status="declined", code="refund_exceeds_charge",
                    message=(f"Not sent: Stripe already holds refunds of {from_stripe_amount(held, currency)} "
                             f"of the {charged} charged on {charge}"))
        refund = _call(stripe_client().v1.refunds.create,
                       {"payment_intent": charge, "amount": to_stripe_amount(amount, currency),
                        "metadata": {"idempotency_key": idempotency_key}},
                       key=idempotency_key)
        return self._refund_result(refund["status"], refund["id"])

    def refund_get(self, refund_id: str) -> GatewayResult:
        refund = _call(stripe_client().v1.refunds.retrieve, refund_id)
        return self._refund_result(refund["status"], refund["id"], refund.get("failure_reason") or "")

    # --- Checkout (setup mode) -------------------------------------------------------------------

    def checkout_setup_start(self, *, customer: str, success_url: str, cancel_url: str,
                             idempotency_key: str, currency: str, expires_at: int | None = None) -> tuple[str, str]:
        """A Checkout Session in setup mode for a backer to save a card on Stripe's page; returns
        (session id, URL to send the backer to). `checkout.session.completed` finishes it. With
        `expires_at` (epoch seconds, 30 minutes to 24 hours ahead) Stripe expires it then, instead
        of after its default 24 hours."""
        params = {
            "mode": "setup", "customer": self.customer_id(customer), "currency": currency.lower(),
            "payment_method_types": ["card"], "success_url": success_url, "cancel_url": cancel_url,
            "setup_intent_data": {"metadata": {"idempotency_key": idempotency_key}},
            "metadata": {"idempotency_key": idempotency_key},
        }
        if expires_at:
            params["expires_at"] = expires_at
        session = _call(stripe_client().v1.checkout.sessions.create, params, key=idempotency_key)
        return session["id"], session["url"]

    @staticmethod
    def _session(session) -> dict:
        return {"id": session["id"], "status": session.get("status") or "",
                "url": session.get("url") or "", "metadata": dict(session.get("metadata") or {}),
                "setup_intent": _id(session.get("setup_intent")),
                "key": (session.get("metadata") or {}).get("idempotency_key", "")}

    def checkout_session_get(self, session_id: str) -> dict:
        return self._session(_call(stripe_client().v1.checkout.sessions.retrieve, session_id))

    def checkout_session_expire(self, session_id: str) -> dict:
        """End an open Checkout Session now (the backer left it), so its page cannot save a card
        any more; returns the session's state. A session already complete or expired is returned
        as it is (Stripe refuses to expire it)."""
        try:
            return self._session(_call(stripe_client().v1.checkout.sessions.expire, session_id, {}))
        except stripe.InvalidRequestError:
            return self.checkout_session_get(session_id)

    # --- Connect ---------------------------------------------------------------------------------

    def connect_account_create(self, *, user_key: str, email: str, country: str) -> str:
        account = _call(stripe_client().v1.accounts.create, {
            "type": "express", "country": country, "email": email or None,
            "capabilities": {"transfers": {"requested": True}},
            "metadata": {"civicfund": user_key},
        }, key=f"account-{user_key}")
        return account["id"]

    def connect_onboarding_link(self, *, account_id: str, refresh_url: str, return_url: str) -> str:
        link = _call(stripe_client().v1.account_links.create, {
            "account": account_id, "refresh_url": refresh_url, "return_url": return_url,
            "type": "account_onboarding"})
        return link["url"]

    def connect_account_get(self, account_id: str) -> dict:
        account = _call(stripe_client().v1.accounts.retrieve, account_id)
        return {"id": account["id"], "charges_enabled": bool(account.get("charges_enabled")),
                "payouts_enabled": bool(account.get("payouts_enabled")),
                "details_submitted": bool(account.get("details_submitted"))}

    def transfer(self, *, amount: int, currency: str, destination: str, group: str,
                 idempotency_key: str) -> GatewayResult:
        """Separate charges and transfers: money from the platform balance to a connected account."""
        transfer = _call(stripe_client().v1.transfers.create, {
            "amount": to_stripe_amount(amount, currency), "currency": currency.lower(),
            "destination": destination, "transfer_group": group,
            "metadata": {"idempotency_key": idempotency_key}}, key=idempotency_key)
        return GatewayResult(status="succeeded", reference=transfer["id"])

    def transfers_list(self, group: str) -> list[dict]:
        rows = _call(stripe_client().v1.transfers.list, {"transfer_group": group, "limit": 100})
        return [{"id": t["id"], "currency": t["currency"].upper(),
                 "amount": from_stripe_amount(t["amount"], t["currency"].upper()),
                 "reversed": from_stripe_amount(t.get("amount_reversed") or 0, t["currency"].upper()),
                 "key": (t.get("metadata") or {}).get("idempotency_key", "")}
                for t in rows]
