"""Thin tasks: take ids, call one service, re-enqueue the next chunk. Provider outages retry with
backoff, and the same idempotency keys, so nothing is charged or refunded twice."""

from celery import shared_task

from payments.gateways import GatewayUnavailable

from . import services

RETRY = {
    "autoretry_for": (GatewayUnavailable,),
    "retry_backoff": 5,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 12,
}


@shared_task(name="pledges.tasks.refund_campaign", **RETRY)
def refund_campaign(campaign_id: int, resume: bool = True) -> int:
    """A first run or a restart (`resume`) also re-queues card refunds left by lost tasks."""
    done = services.campaign_refund_chunk(campaign_id=campaign_id, resume=resume)
    if done:
        refund_campaign.delay(campaign_id, False)  # the next chunk, in its own task and transaction
    return done


@shared_task(name="pledges.tasks.refund_pledges", **RETRY)
def refund_pledges(pledge_ids: list[int]) -> int:
    """One batch of a failed campaign's card refunds, paced globally (see payments.pacing)."""
    return services.pledge_refunds_paced(pledge_ids=pledge_ids)


@shared_task(name="pledges.tasks.collect_campaign", **RETRY)
def collect_campaign(campaign_id: int) -> int:
    done = services.campaign_collect_chunk(campaign_id=campaign_id)
    if done:
        collect_campaign.delay(campaign_id)
    return done


@shared_task(name="pledges.tasks.refund_pledge", **RETRY)
def refund_pledge(pledge_id: int) -> str:
    return services.pledge_refund_single(pledge_id=pledge_id).status


@shared_task(name="pledges.tasks.refund_retry", **RETRY)
def refund_retry(pledge_id: int, number: int) -> str:
    """Attempt `number` of a card refund that failed; queued with a countdown (see
    services.pledge_refund_retry_plan)."""
    return services.pledge_refund_retry(pledge_id=pledge_id, number=number).status


@shared_task(name="pledges.tasks.retry_failed_refunds")
def retry_failed_refunds() -> int:
    return services.failed_refunds_retry()


@shared_task(name="pledges.tasks.retry_pending_payments")
def retry_pending_payments() -> int:
    return services.pending_payments_retry()


@shared_task(name="pledges.tasks.drop_expired_retries")
def drop_expired_retries() -> int:
    return services.expired_retries_drop()
