"""Thin tasks: take ids, call one service. Provider outages retry with backoff, and the same
idempotency keys, so nothing is charged or refunded twice. A failed campaign's chunked refunds and
collections are funding's tasks (funding.tasks; their names stay `pledges.tasks...`)."""

from celery import shared_task

from payments.gateways import PROVIDER_RETRY

from . import services


@shared_task(name="pledges.tasks.refund_pledges", **PROVIDER_RETRY)
def refund_pledges(pledge_ids: list[int]) -> int:
    """One batch of a failed campaign's card refunds, paced globally (see payments.pacing)."""
    return services.pledge_refunds_paced(pledge_ids=pledge_ids)


@shared_task(name="pledges.tasks.refund_pledge", **PROVIDER_RETRY)
def refund_pledge(pledge_id: int) -> str:
    return services.pledge_refund_single(pledge_id=pledge_id).status


@shared_task(name="pledges.tasks.refund_retry", **PROVIDER_RETRY)
def refund_retry(pledge_id: int, number: int) -> str:
    """Attempt `number` of a card refund that failed; queued with a countdown (see
    services.pledge_refund_retry_plan)."""
    return services.pledge_refund_retry(pledge_id=pledge_id, number=number).status


@shared_task(name="pledges.tasks.retry_failed_refunds")
def retry_failed_refunds() -> int:
    return services.failed_refunds_retry()


@shared_task(name="pledges.tasks.follow_up_pending_refunds")
def follow_up_pending_refunds() -> int:
    """Refunds the provider answered `pending`: ask again (its later event may have been lost)."""
    return services.pending_refunds_follow_up()


@shared_task(name="pledges.tasks.retry_pending_payments")
def retry_pending_payments() -> int:
    return services.pending_payments_retry()


@shared_task(name="payments.tasks.card_saved", **PROVIDER_RETRY)
def card_saved(pledge_id: int, reference: str) -> str:
    """The provider saved a pledge's card later (3-D Secure, a hosted card page)."""
    return services.pledge_card_saved(pledge_id=pledge_id, reference=reference).status
