"""Prints the current two-factor code of the ministry demo accounts (`make demo-code`). Never production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from .seed_demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the current sign-in code of the demo ministry accounts (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--allow-without-debug", action="store_true")

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Demo codes are for development only (DEBUG is off).")
        totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        seconds_left = 30 - int(totp.time) % 30
        self.stdout.write(f"{totp.token():06d}  (changes in {seconds_left} s)")
