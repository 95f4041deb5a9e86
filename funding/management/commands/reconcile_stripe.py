"""List every difference between civicfund's books and Stripe's, for a campaign or a date range."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from funding.reconcile import stripe_reconcile


def _day(value: str) -> dt.datetime:
    try:
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time.min, tzinfo=dt.UTC)
    except ValueError:
        raise CommandError(f"Dates are YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Compare the ledger with Stripe (charges, refunds, transfers); exit 1 on any mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="One campaign's id.")
        parser.add_argument("--since", help="From this day (UTC), YYYY-MM-DD.")
        parser.add_argument("--until", help="Up to this day (UTC, exclusive), YYYY-MM-DD.")

    def handle(self, *args, campaign=None, since=None, until=None, **options):
        if campaign is None and since is None and until is None:
            since = (timezone.now() - dt.timedelta(days=30)).date().isoformat()
        problems = stripe_reconcile(campaign_id=campaign, since=since and _day(since), until=until and _day(until))
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} mismatch(es) between the ledger and Stripe")
        self.stdout.write(self.style.SUCCESS("The ledger and Stripe agree."))
