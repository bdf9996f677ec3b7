from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans.reminders import recipients, reminder_send, site_url


class Command(BaseCommand):
    help = (
        "Send each user with something late or due within 14 days a Swedish e-mail of it (run daily from "
        "cron). Nobody gets two the same day, however often or concurrently it runs; users who turned "
        "reminders off, or have no e-mail address, get none."
    )

    def handle(self, *args, verbosity=1, **options):
        try:
            site_url()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        today = timezone.localdate()
        sent = failed = 0
        for user in recipients():
            try:
                if reminder_send(user=user, today=today):
                    sent += 1
                    if verbosity > 1:
                        self.stdout.write(f"  {user.get_username()} <{user.email}>")
            except Exception as error:  # one address refused must not stop the others
                failed += 1
                self.stderr.write(f"Could not send to {user.get_username()} <{user.email}>: {error!r}")
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{sent} reminder(s) sent for {today.isoformat()}."))
        if failed:
            raise CommandError(f"{failed} reminder(s) could not be sent; the next run tries them again.")
