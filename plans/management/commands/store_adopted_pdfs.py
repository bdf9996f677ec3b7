from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from plans.models import StoredPdf
from plans.pdf import store_missing_plan_pdfs
from plans.report_pdf import store_missing_report_pdfs


class Command(BaseCommand):
    help = (
        "Render and store the PDF of every adopted version that has none yet (versions adopted before "
        "PDFs were stored at adoption, or whose rendering failed), and of every frozen follow-up report that has "
        "none. Downloads only read stored PDFs."
    )

    def handle(self, *args, verbosity=1, **options):
        stored = store_missing_plan_pdfs()
        if verbosity:
            for pdf in stored:
                self.stdout.write(f"  {pdf.plan} (version {pdf.version_number}): {pdf.path} {pdf.sha256}")
            self.stdout.write(self.style.SUCCESS(f"{len(stored)} PDF(s) stored."))
        reports = store_missing_report_pdfs()
        if verbosity:
            for pdf in reports:
                self.stdout.write(f"  {pdf.report}: {pdf.path} {pdf.sha256}")
            self.stdout.write(self.style.SUCCESS(f"{len(reports)} PDF(s) of follow-up reports stored."))
        for pdf in StoredPdf.objects.select_related("plan").order_by("pk"):
            if not default_storage.exists(pdf.path):
                # Not rendered again: a new rendering need not be the same bytes as the recorded checksum.
                self.stderr.write(f"Missing file {pdf.path} of {pdf.plan} (version {pdf.version_number}): restore it.")
