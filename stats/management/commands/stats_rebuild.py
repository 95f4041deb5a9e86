from django.core.management.base import BaseCommand

from stats.services.tally import tallies_rebuild


class Command(BaseCommand):
    help = "Recount the statistics' tallies and backings from the ledger and the campaigns (replaces them)."

    def handle(self, *args, **options):
        cells = tallies_rebuild()
        self.stdout.write(f"Statistics rebuilt from the ledger: {cells} cells.")
