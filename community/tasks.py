"""Jobs of the community app. Thin: each calls one service."""

from celery import shared_task

from .milestones import campaign_milestones_check, milestones_check_all


@shared_task(name="community.tasks.campaign_milestones")
def campaign_milestones(campaign_id: int) -> int:
    return campaign_milestones_check(campaign_id=campaign_id)


@shared_task(name="community.tasks.check_milestones")
def check_milestones() -> int:
    return milestones_check_all()
