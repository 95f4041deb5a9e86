"""The payment port: one protocol every payment provider adapter implements, provider-neutral results
and errors, and what each adapter can do (capability flags, never a provider's name or id prefix).

A gateway is shaped like a card processor: save a card for later, charge it, refund a charge; every
call carries an idempotency key, and a result may be `pending`, to arrive later by callback or event.
Provider objects never leave the adapter: callers get `GatewayResult`s and the small dataclasses below.
The adapters live beside this module: `payments.sandbox` (no server) and `payments.stripe_gateway`.
Code above `payments` asks `gateway.capabilities` what an adapter offers and calls only the methods
declared here.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from core.errors import ApplicationError


class GatewayUnavailable(Exception):
    """The provider did not answer (timeout, 5xx, rate limit): retry later with the same key."""


class ProviderObjectMissing(Exception):
    """The provider answered that the object asked for is not (or no longer) there (e.g. test data
    deleted on its dashboard, an object of another account): asking again will not help."""


@dataclass(frozen=True)
class GatewayResult:
    status: str  # "succeeded" | "pending" | "declined"
    reference: str = ""
    message: str = ""
    code: str = ""  # a decline's reason, e.g. "insufficient_funds", "authentication_required"
    # When the provider says it succeeded, on its own clock, if it says; None: when its answer reached us.
    at: dt.datetime | None = None


@dataclass(frozen=True)
class Capabilities:
    """What an adapter offers beyond saving cards, charging and refunding."""

    # Cards are entered on the provider's own page (a hosted card page), never on ours.
    hosted_card_page: bool = False
    # A payment or card setup waiting for the customer can be confirmed in their browser or app with
    # a client secret (3-D Secure).
    customer_confirmation: bool = False
    # Refunds go through a shared, rate-limited API: a failed campaign's card refunds are fanned out
    # to tasks and paced (payments.pacing).
    paced_refunds: bool = False
    # Owners can connect an account with the provider and be paid by transfers to it.
    connected_payouts: bool = False
    # The provider's books can be listed for reconciliation (charges, refunds, transfers).
    reconciliation: bool = False


@dataclass(frozen=True)
class CardPage:
    """A hosted card page (e.g. Stripe Checkout in setup mode) as the port sees it."""

    reference: str
    status: str  # "open" | "complete" | "expired"
    url: str = ""
    key: str = ""  # our idempotency key, as the page carries it
    setup_reference: str = ""  # the card setup it made, once complete


@dataclass(frozen=True)
class ProviderRefund:
    reference: str
    amount: int  # our minor units
    status: str
    key: str = ""


@dataclass(frozen=True)
class ChargeSummary:
    reference: str
    status: str
    currency: str
    amount: int  # our minor units
    received: int  # what it took (our minor units)
    group: str = ""
    key: str = ""


@dataclass(frozen=True)
class ProviderTransfer:
    reference: str
    currency: str
    amount: int
    reversed: int
    key: str = ""


@dataclass(frozen=True)
class PayoutAccountState:
    reference: str
    charges_enabled: bool
    payouts_enabled: bool
    details_submitted: bool


class PaymentGateway(Protocol):
    """Every method an adapter offers. Those behind a capability raise NotImplementedError in adapters
    without it; callers check `capabilities` first."""

    name: str
    capabilities: Capabilities

    # --- cards, charges, refunds (every adapter) -------------------------------------------------

    def save_card(self, *, card: str, customer: str, idempotency_key: str) -> GatewayResult: ...

    def charge(
        self,
        *,
        payment_method: str,
        amount: int,
        currency: str,
        idempotency_key: str,
        off_session: bool,
        group: str = "",
    ) -> GatewayResult: ...

    def refund(
        self, *, charge: str, amount: int, currency: str, idempotency_key: str, charged: int | None = None
    ) -> GatewayResult:
        """`charged`: what the charge took, when the caller knows it; a refund that would take back
        more than that, with the refunds the provider already holds, is declined."""
        ...

    def currency_problem(self, currency: str) -> str | None:
        """Why this provider cannot take `currency`, or None."""
        ...

    # --- later answers (events, callbacks) ------------------------------------------------------

    def charge_get(self, reference: str) -> GatewayResult:
        """The provider's current word on a charge."""
        ...

    def charge_cancel(self, reference: str, *, idempotency_key: str) -> GatewayResult:
        """Cancel a charge waiting for the customer: declined once cancelled, succeeded if the customer
        confirmed it first, pending while it is processing."""
        ...

    def card_setup_get(self, reference: str) -> GatewayResult: ...

    def refund_get(self, reference: str) -> GatewayResult: ...

    # --- customer confirmation (capabilities.customer_confirmation) -----------------------------

    def confirmation_secret(self, reference: str) -> str | None:
        """The client secret with which the customer confirms the payment or card setup `reference`
        in their browser or app; None when `reference` is not something they confirm."""
        ...

    # --- hosted card pages (capabilities.hosted_card_page) ---------------------------------------

    def is_card_page(self, reference: str) -> bool: ...

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
        """Open a page where the customer saves a card: (reference, URL to send them to)."""
        ...

    def card_page_get(self, reference: str) -> CardPage: ...

    def card_page_expire(self, reference: str) -> CardPage: ...

    def card_page_refresh(self, reference: str) -> str:
        """Apply the page's current state now, as its event would (the event then changes nothing)."""
        ...

    def charge_refresh(self, reference: str) -> str:
        """Apply a charge's current state now, as its event would."""
        ...

    # --- connected payout accounts (capabilities.connected_payouts) -----------------------------

    def payout_account_create(self, *, user_key: str, email: str, country: str) -> str: ...

    def payout_account_link(self, *, account: str, refresh_url: str, return_url: str) -> str: ...

    def payout_account_get(self, account: str) -> PayoutAccountState: ...

    def transfer(
        self, *, amount: int, currency: str, destination: str, group: str, idempotency_key: str
    ) -> GatewayResult: ...

    # --- reconciliation (capabilities.reconciliation) -------------------------------------------

    def is_charge_reference(self, reference: str) -> bool: ...

    def charge_summary(self, reference: str) -> ChargeSummary: ...

    def charges_list(
        self, *, since: dt.datetime | None = None, until: dt.datetime | None = None, group: str = ""
    ) -> list[ChargeSummary]: ...

    def refunds_of(self, charge: str) -> list[ProviderRefund]: ...

    def transfers_of(self, group: str) -> list[ProviderTransfer]: ...


# --- the adapters ------------------------------------------------------------------------------

# Each adapter by its dotted path, loaded on first use (as Django loads its backends): the Stripe SDK is
# imported only where a platform takes cards through Stripe, and the adapters, which import this port,
# are not imported by it.
ADAPTERS: dict[str, str] = {
    "sandbox": "payments.sandbox.SandboxGateway",
    "stripe": "payments.stripe_events.StripeAdapter",
}
# The platform admin's choice of gateway (a blank choice: the deployment's default).
GATEWAY_CHOICES = [("sandbox", "Sandbox"), ("stripe", "Stripe")]


@functools.cache
def _adapter(name: str) -> type[PaymentGateway]:
    adapter: type[PaymentGateway] = import_string(ADAPTERS[name])
    return adapter


class SandboxRefused(ApplicationError):
    """The sandbox gateway on a site that does not allow it (production without CIVICFUND_ALLOW_SANDBOX)."""


def gateway_get(name: str | None = None) -> PaymentGateway:
    """The adapter called `name` (None: the deployment's CIVICFUND_PAYMENT_GATEWAY). The sandbox, whose
    test cards pay, only where CIVICFUND_ALLOW_SANDBOX (even if a platform's admin chose it)."""
    name = name or settings.CIVICFUND_PAYMENT_GATEWAY
    if name == "sandbox" and not settings.CIVICFUND_ALLOW_SANDBOX:
        raise SandboxRefused(
            "Card payments are not set up on this site (the sandbox gateway is switched off).",
            code="sandbox_refused",
        )
    return _adapter(name)()


def gateway_name_for(platform: Any) -> str:
    """The gateway a platform's cards go through: its own choice, else the deployment's."""
    return getattr(platform, "payment_gateway", "") or settings.CIVICFUND_PAYMENT_GATEWAY


def gateway_for(platform: Any) -> PaymentGateway:
    return gateway_get(gateway_name_for(platform))


def gateway_with(capability: str) -> PaymentGateway | None:
    """The deployment's gateway if it has `capability`, else the first adapter that has it, else None
    (e.g. the provider owners connect payout accounts with)."""
    default = gateway_get()
    if getattr(default.capabilities, capability):
        return default
    for name in ADAPTERS:
        if name == "sandbox" and not settings.CIVICFUND_ALLOW_SANDBOX:
            continue
        gateway = gateway_get(name)
        if getattr(gateway.capabilities, capability):
            return gateway
    return None


def gateway_currency_problem(name: str | None, currency: str) -> str | None:
    """Why gateway `name` (None: the deployment's) cannot take `currency`, or None if it can."""
    return gateway_get(name).currency_problem(currency)


# How a Celery task that calls a provider retries when it does not answer: with backoff, and the same
# idempotency keys, so nothing is charged or refunded twice. The one copy of this policy.
PROVIDER_RETRY: dict[str, Any] = {
    "autoretry_for": (GatewayUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 12,
}
