"""Thin tasks for the payment provider's late answers; provider outages retry with the same keys."""

from celery import shared_task

from .gateways import GatewayUnavailable

RETRY = {
    "autoretry_for": (GatewayUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 12,
}


@shared_task(name="payments.tasks.card_saved", **RETRY)
def card_saved(pledge_id: int, reference: str) -> str:
    from pledges.services import pledge_card_saved

    return pledge_card_saved(pledge_id=pledge_id, reference=reference).status


@shared_task(name="payments.tasks.stray_payment_refund", **RETRY)
def stray_payment_refund(charge_attempt_id: int) -> str:
    from .services import stray_payment_refund as refund

    return refund(charge_attempt_id=charge_attempt_id).status
