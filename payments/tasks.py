"""Thin tasks for the payment provider's late work; provider outages retry with the same keys."""

from celery import shared_task

from .gateways import PROVIDER_RETRY
from .services import stray_payment_refund as refund


@shared_task(name="payments.tasks.stray_payment_refund", **PROVIDER_RETRY)
def stray_payment_refund(charge_attempt_id: int) -> str:
    return refund(charge_attempt_id=charge_attempt_id).status
