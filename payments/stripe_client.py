"""The Stripe SDK's client as the adapter uses it: one client per configuration, every request paced
(payments.pacing), our idempotency keys, "no answer" errors turned into GatewayUnavailable and 404
into StripeObjectMissing, list and search results read to their last page, and amounts converted
between our minor units and Stripe's. Part of the Stripe adapter (payments.stripe_gateway)."""

from __future__ import annotations

import threading

import stripe
from django.conf import settings

from core import money
from core.errors import ApplicationError

from . import pacing
from .gateways import GatewayUnavailable, ProviderObjectMissing

# Currencies Stripe settles (lower-case ISO 4217). IRR is not among them.
STRIPE_CURRENCIES = frozenset(
    """
usd aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd bwp byn bzd
cad cdf chf clp cny cop crc cve czk djf dkk dop dzd egp etb eur fjd fkp gbp gel gip gmd gnf gtq gyd
hkd hnl htg huf idr ils inr isk jmd jod jpy kes kgs khr kmf krw kwd kyd kzt lak lbp lkr lrd lsl mad
mdl mga mkd mmk mnt mop mur mvr mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln
pyg qar ron rsd rub rwf sar sbd scr sek sgd shp sle sos srd std szl thb tjs tnd top try ttd twd tzs
uah ugx uyu uzs vnd vuv wst xaf xcd xof xpf yer zar zmw
""".split()
)
ZERO_DECIMAL = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
THREE_DECIMAL = frozenset("bhd jod kwd omr tnd".split())


class StripeNotConfigured(ApplicationError):
    code = "stripe_not_configured"


class StripeObjectMissing(ProviderObjectMissing):
    """Stripe answered 404: the object asked for is not (or no longer) there, e.g. test data deleted
    from the dashboard, or an object of another account."""


def stripe_exponent(currency: str) -> int:
    code = currency.lower()
    return 0 if code in ZERO_DECIMAL else 3 if code in THREE_DECIMAL else 2


def stripe_currency_problem(currency: str) -> str | None:
    """Why Stripe cannot take `currency` for us, or None."""
    if currency.lower() not in STRIPE_CURRENCIES:
        return (
            f"Stripe does not take payments in {currency}. Choose a currency Stripe supports, "
            f"or another payment gateway for this platform."
        )
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

    def request(self, method, url, headers, post_data=None):  # type: ignore[override]  # the SDK's signature
        pacing.before_call()
        return super().request(method, url, headers, post_data)


_clients: dict[tuple, stripe.StripeClient] = {}
_clients_lock = threading.Lock()


def stripe_client() -> stripe.StripeClient:
    """One SDK client per configuration (key, API base, retries, timeout), built on first use."""
    key = settings.STRIPE_SECRET_KEY
    if not key:
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set: Stripe cannot be used.")
    config = (key, settings.STRIPE_API_BASE, settings.STRIPE_MAX_NETWORK_RETRIES, settings.STRIPE_TIMEOUT_SECONDS)
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
