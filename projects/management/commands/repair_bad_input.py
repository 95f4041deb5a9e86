"""Find (and with --fix repair) rows written before the bad-input rules (issue 12): campaign, update and
reward titles with control characters, bidi overrides or nothing visible, and deadlines of campaigns
not yet closed beyond their platform's `max_campaign_days` after the start.

A command, not a data migration, by choice: moving a live campaign's deadline changes what its backers
were told, so staff first read the report (the default), then run it again with --fix. A title is
repaired by turning control characters and bidi controls into spaces (`core.text.one_line`); one with
nothing visible left becomes "Untitled <id>". A deadline is moved to the latest one allowed."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from core.text import one_line, title_refusal
from projects.models import Campaign, CampaignStatus, CampaignUpdate, RewardTier

OPEN = [CampaignStatus.DRAFT, CampaignStatus.SUBMITTED, CampaignStatus.LIVE]


class Command(BaseCommand):
    help = "Report (and with --fix repair) titles with control characters and deadlines beyond the bound."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Repair what is reported.")

    def handle(self, *args, fix: bool = False, **options):
        found = 0
        with transaction.atomic():
            for model in (Campaign, CampaignUpdate, RewardTier):
                for row in model.objects.only("pk", "title").iterator():
                    if code := title_refusal(row.title):
                        found += 1
                        repaired = one_line(row.title)
                        if title_refusal(repaired) or not repaired:
                            repaired = f"Untitled {row.pk}"
                        self.stdout.write(f"{model.__name__} {row.pk}: title {code}: {row.title!r} -> {repaired!r}")
                        if fix:
                            model.objects.filter(pk=row.pk).update(title=repaired)
            now = timezone.now()
            for campaign in Campaign.objects.filter(status__in=OPEN).select_related("platform"):
                latest = max(campaign.starts_at, now) + dt.timedelta(days=campaign.platform.max_campaign_days)
                if campaign.deadline > latest:
                    found += 1
                    self.stdout.write(
                        f"Campaign {campaign.pk} ({campaign.status}): deadline {campaign.deadline.isoformat()} "
                        f"-> {latest.isoformat()}"
                    )
                    if fix:
                        Campaign.objects.filter(pk=campaign.pk).update(deadline=latest)
        verb = "repaired" if fix else "found (run again with --fix to repair)"
        self.stdout.write(f"{found} {verb}.")
