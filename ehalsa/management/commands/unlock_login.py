from django.core.management.base import BaseCommand, CommandError

from ehalsa.login import forget_failures


class Command(BaseCommand):
    help = (
        "Lift the sign-in throttle's locks: forget the recent wrong passwords typed for these usernames "
        "and from these addresses (an administrator locked out, see README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="*", help="Usernames to unlock, e.g. admin.")
        parser.add_argument("--address", action="append", default=[], help="An address to unlock (repeatable).")
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="Forget every recorded wrong password."
        )

    def handle(self, *args, usernames, address, everything, **options):
        if not (usernames or address or everything):
            raise CommandError("Name a username, an --address, or --all.")
        count = forget_failures(usernames=usernames, addresses=address, everything=everything)
        self.stdout.write(f"Forgot {count} wrong password(s); those sign-ins are open again.")
