from django.core.management.base import BaseCommand

from payouts.services import release_due_payouts


class Command(BaseCommand):
    help = "Send every scheduled payout whose due day has come (what the beat task does)."

    def handle(self, *args, **options):
        self.stdout.write(f"sent {release_due_payouts()} payouts")
