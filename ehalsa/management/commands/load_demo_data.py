from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ehalsa.seeding import FIXTURES, demo_data_loaded, load_demo_data, read_json

ROLE_NAMES = {
    "coordinator": "e-health coordinator",
    "official": "official",
    "secretary": "committee secretary",
    "viewer": "viewer",
}


class Command(BaseCommand):
    help = (
        "Load the demo data (seed plans 000, 003, 004 and one account per role) and store the adopted "
        "plans' PDFs. Development only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DJANGO_DEBUG is off (demo accounts have published passwords).",
        )

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Demo data has published passwords; load it only with DJANGO_DEBUG=1.")
        if demo_data_loaded():
            self.stdout.write("Demo data is already loaded.")
        else:
            load_demo_data()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        # The adopted plans' PDFs, as adopting them in the product stores them: downloads only read.
        call_command("store_adopted_pdfs", verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
        self.print_accounts()

    def print_accounts(self):
        data = read_json(FIXTURES / "demo" / "accounts.json")
        self.stdout.write(f"\nDemo accounts (password for all: {data['password']})")
        for row in data["accounts"]:
            role = "administrator" if row.get("superuser") else ROLE_NAMES[row["role"]]
            where = f", {row['organisation']}" if row.get("organisation") else ""
            self.stdout.write(f"  {row['username']:<12} {role}{where}")
