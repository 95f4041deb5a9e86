"""Thin tasks of the close and the campaign-wide batches. Their names are those they had before the
restructuring (queued messages and the beat schedule name them), hence `projects.tasks...` and
`pledges.tasks...` here."""

from celery import shared_task

from payments.gateways import PROVIDER_RETRY

from . import services


@shared_task(name="projects.tasks.close_due_campaigns")
def close_due_campaigns() -> dict[str, int]:
    return services.close_due_campaigns()


@shared_task(name="pledges.tasks.refund_campaign", **PROVIDER_RETRY)
def refund_campaign(campaign_id: int, resume: bool = True) -> int:
    """A first run or a restart (`resume`) also re-queues card refunds left by lost tasks."""
    done = services.campaign_refund_chunk(campaign_id=campaign_id, resume=resume)
    if done:
        refund_campaign.delay(campaign_id, False)  # the next chunk, in its own task and transaction
    return done


@shared_task(name="pledges.tasks.collect_campaign", **PROVIDER_RETRY)
def collect_campaign(campaign_id: int) -> int:
    done = services.campaign_collect_chunk(campaign_id=campaign_id)
    if done:
        collect_campaign.delay(campaign_id)
    return done


@shared_task(name="pledges.tasks.drop_expired_retries")
def drop_expired_retries() -> int:
    return services.expired_retries_drop()
