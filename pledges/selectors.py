"""Reads of pledges."""

from __future__ import annotations

from django.db.models import Count, Max, Q

from .models import Pledge, PledgeStatus

# A pledge's own full refunds: `pledge-<id>-refund`, `pledge-<id>-refund-2`, ... (payments.services.refund_key).
_OWN_REFUND = r"^pledge-[0-9]+-refund(-[0-9]+)?$"


def pledges_of(backer):
    """A backer's own pledges, newest first, with what a list shows of their campaign and tier."""
    return Pledge.objects.filter(backer_id=backer.pk).select_related("campaign", "tier")


def pledge_next_action(pledge: Pledge) -> dict | None:
    """What the backer must do for a pending card pledge to go on, for an app that pledged through
    the API; None when nothing is asked of them.

    - `confirm_payment`: the bank asks the backer to confirm the payment (3-D Secure) before
      `pay_before`: confirm it with Stripe.js or a Stripe mobile SDK on `client_secret`
      (a PaymentIntent's), or open `url` (the site's page: confirm, or pay with another card).
      Afterwards the pledge is cancelled and its reward freed.
    - `confirm_card_setup`: saving the card needs the bank's confirmation: confirm the SetupIntent
      `client_secret` (Stripe.js `confirmCardSetup`); the pledge then goes on by itself (secured, or
      charged, which may ask for `confirm_payment` in turn).

    `client_secret` is empty when Stripe did not answer (ask again)."""
    from django.conf import settings
    from django.urls import reverse

    from payments.gateways import GatewayUnavailable, gateway_get
    from payments.models import AttemptKind, AttemptStatus

    if pledge.status != PledgeStatus.PENDING:
        return None
    if pledge.retry_until is not None:
        attempt = pledge.attempts.filter(kind=AttemptKind.CHARGE).last()
        secret = ""
        if attempt is not None and attempt.gateway == "stripe" and attempt.reference.startswith("pi_"):
            from payments.stripe_gateway import StripeObjectMissing

            try:
                secret = gateway_get("stripe").payment_intent_client_secret(attempt.reference)
            except (GatewayUnavailable, StripeObjectMissing):  # missing: another card pays, or the window ends
                pass
        return {
            "type": "confirm_payment",
            "pay_before": pledge.retry_until,
            "client_secret": secret,
            "url": settings.CIVICFUND_SITE_URL.rstrip("/") + reverse("payments:pledge_retry", args=[pledge.pk]),
        }
    setup = pledge.attempts.filter(
        kind=AttemptKind.SAVE_CARD, status=AttemptStatus.PENDING, reference__startswith="seti_"
    ).last()
    if setup is not None and setup.gateway == "stripe":
        try:
            secret = gateway_get("stripe").setup_intent_client_secret(setup.reference)
        except GatewayUnavailable:
            secret = ""
        return {"type": "confirm_card_setup", "client_secret": secret}
    return None


def pledges_with_failed_refunds():
    """Refunding pledges whose own card refunds have all been declined or failed, none still open,
    annotated with how many failed (`refunds_failed`, the latest attempt's number), how many were
    refused for good (`refunds_final`, payments.services.REFUND_NOT_RETRIED) and when the last failed
    (`refund_failed_at`)."""
    from payments.models import AttemptKind, AttemptStatus
    from payments.services import REFUND_NOT_RETRIED

    own = Q(attempts__kind=AttemptKind.REFUND, attempts__idempotency_key__regex=_OWN_REFUND)
    failed = own & Q(attempts__status=AttemptStatus.DECLINED)
    return (
        Pledge.objects.filter(status=PledgeStatus.REFUNDING)
        .annotate(
            refunds_failed=Count("attempts", filter=failed),
            refunds_open=Count("attempts", filter=own & ~Q(attempts__status=AttemptStatus.DECLINED)),
            refunds_final=Count("attempts", filter=failed & Q(attempts__code__in=REFUND_NOT_RETRIED)),
            refund_failed_at=Max("attempts__updated_at", filter=failed),
        )
        .filter(refunds_failed__gt=0, refunds_open=0)
    )


def campaign_refunds_pending(campaign_id: int) -> bool:
    """A refunding campaign still has money its refund chunks must send back: a paid pledge, or a
    refunding one none of whose refunds has failed. Pledges with a failed refund are not theirs:
    their retry task (`pledges.tasks.refund_retry`, requeued by `failed_refunds_retry`) or an admin
    sees to them."""
    waiting = pledges_with_failed_refunds().filter(campaign_id=campaign_id).values("pk")
    return (
        Pledge.objects.filter(campaign_id=campaign_id, status__in=[PledgeStatus.PAID, PledgeStatus.REFUNDING])
        .exclude(pk__in=waiting)
        .exists()
    )


def pledges_awaiting_manual_refund():
    """Refunding pledges no automatic refund will be tried for again: CIVICFUND_REFUND_ATTEMPTS of
    them failed, or one was refused for good. An admin pays these backers by other means."""
    from django.conf import settings

    return pledges_with_failed_refunds().filter(
        Q(refunds_failed__gte=settings.CIVICFUND_REFUND_ATTEMPTS) | Q(refunds_final__gt=0)
    )
