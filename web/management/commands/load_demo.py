from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from platforms.models import Platform, PlatformPage
from platforms.pages import pages_default_store
from web.demo import DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Load demo people and campaigns on the four preset platforms (once); print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--soon-minutes",
            type=int,
            default=3,
            help="Minutes until the demo campaigns that close soon reach their deadline.",
        )

    def handle(self, *args, soon_minutes, **options):
        if settings.CIVICFUND_PRODUCTION:
            # Its logins (admin / admin ...) are printed in the README: never on a real site.
            raise CommandError("load_demo refuses to run under production settings: its logins are public.")
        for platform in Platform.objects.all():  # about, FAQ, terms and privacy where missing (a flushed database)
            pages_default_store(platform, PlatformPage)
        if demo_load(soon_minutes=soon_minutes):
            self.stdout.write(f"Demo data loaded; two campaigns close in {soon_minutes} minutes.")
        else:
            self.stdout.write("Demo data already loaded.")
        self.stdout.write("Demo logins (username / password):")
        for username, password, staff in DEMO_USERS:
            self.stdout.write(
                f"  {username} / {password}" + (f"   (admin: /{settings.CIVICFUND_ADMIN_URL})" if staff else "")
            )
