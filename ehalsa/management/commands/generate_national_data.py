import sys
import time

from django.core.management.base import BaseCommand, CommandError

from ehalsa.national import NationalDataExists, generate


class Command(BaseCommand):
    help = (
        "Create a national data set for scale tests: 21 regions, 290 municipalities, one cooperation per "
        "county with bodies, plans over ten years, activities, budgets, decisions. Deterministic from --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=1000, help="How many activities in all (default 1000).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, activities, seed, **options):
        if activities < 0:
            raise CommandError("--activities must be 0 or more.")
        started = time.monotonic()
        try:
            made = generate(activities=activities, seed=seed, progress=self.progress)
        except NationalDataExists as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                "National data: {regions} regions, {municipalities} municipalities, {cooperations} cooperations, "
                "{plans} plans, {activities} activities, {decisions} decisions, {versions} adopted versions".format(
                    **made
                )
                + f" ({time.monotonic() - started:.0f} s)."
            )
        )

    def progress(self, stage, done, total):
        """A one-line progress bar, redrawn when it moves a step (on a terminal) or at each quarter."""
        width = 30
        filled = width * done // max(total, 1)
        step = 1 if sys.stdout.isatty() else width // 4
        if (stage, filled // step) == self.last_drawn and done != total:
            return
        self.last_drawn = (stage, filled // step)
        end = "\n" if done == total or not sys.stdout.isatty() else ""
        self.stdout.write(f"\r{stage:<11} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=end)
        self.stdout.flush()

    last_drawn = None
