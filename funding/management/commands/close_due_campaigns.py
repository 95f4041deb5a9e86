from django.core.management.base import BaseCommand

from funding.services import close_due_campaigns


class Command(BaseCommand):
    help = (
        "Close every live campaign past its deadline (what the beat task does every run) and "
        "restart unfinished refunds and collections. Their chunks are queued for the Celery worker."
    )

    def handle(self, *args, **options):
        counts = close_due_campaigns()
        self.stdout.write(f"closed {counts['closed']}, resumed {counts['resumed']}")
