"""Scheduled jobs of pre-sale trust (beat: civicfund/settings/base.py). Thin: each calls one service."""

from celery import shared_task

from payments.gateways import PROVIDER_RETRY

from . import claim_money, delivery, guarantees


@shared_task(name="presale.tasks.expire_guarantees")
def expire_guarantees() -> int:
    return guarantees.guarantees_expire()


@shared_task(name="presale.tasks.pay_claim", **PROVIDER_RETRY)
def pay_claim(payment_id: int) -> str:
    """A claim's payment to the backer's card; provider outages retry with the same key."""
    return claim_money.claim_payment_make(payment_id=payment_id).status


@shared_task(name="presale.tasks.forget_addresses")
def forget_addresses() -> int:
    return delivery.addresses_forget()


@shared_task(name="presale.tasks.follow_up_claim_payments")
def follow_up_claim_payments() -> int:
    """Claims' card payments the provider answered `pending` (or cut off): ask again and settle them."""
    return claim_money.claim_payments_follow_up()
