from django.core.management.base import BaseCommand, CommandError

from funding.audit import ledger_audit
from ledger.models import Transaction


class Command(BaseCommand):
    help = "Check that every ledger transaction balances and each campaign's money adds up."

    def handle(self, *args, **options):
        problems = ledger_audit()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problems in the ledger")
        self.stdout.write(f"ledger OK: {Transaction.objects.count()} transactions balance")
