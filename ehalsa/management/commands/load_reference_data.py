from django.core.management.base import BaseCommand

from ehalsa.seeding import load_reference_data


class Command(BaseCommand):
    help = "Load or update the reference data: areas, LIKA indicators, national frameworks, organisations."

    def handle(self, *args, **options):
        load_reference_data()
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
