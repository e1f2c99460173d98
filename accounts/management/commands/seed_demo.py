"""Creates demo accounts (one per role) for trying the system locally; safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import Membership, Organisation, OrganisationKind, Role, User

DEMO_PASSWORD = "demo-password-2026"

# (email, full name, language, organisation: municipality code or "ministry", role, is admin)
DEMO_USERS = [
    ("admin@example.fi", "Aino Admin", "fi", "ministry", Role.OFFICIAL, True),
    ("virkailija@example.fi", "Olli Official", "fi", "ministry", Role.OFFICIAL, False),
    ("arvioija@example.fi", "Riikka Reviewer", "fi", "ministry", Role.REVIEWER, False),
    ("paattaja@example.fi", "Paavo Decision-maker", "fi", "ministry", Role.DECISION_MAKER, False),
    ("espoo@example.fi", "Eeva Espoo", "fi", "049", Role.APPLICANT, False),
    ("vantaa@example.fi", "Ville Vantaa", "fi", "092", Role.APPLICANT, False),
    ("kauniainen@example.fi", "Karin Grankulla", "sv", "235", Role.APPLICANT, False),
    ("porvoo@example.fi", "Per Borgå", "sv", "638", Role.APPLICANT, False),
]


def demo_organisation(key):
    if key == "ministry":
        return Organisation.objects.filter(kind=OrganisationKind.MINISTRY).order_by("pk").first()
    return Organisation.objects.filter(code=key).first()


class Command(BaseCommand):
    help = "Create demo accounts for every role (run after loading the fixtures). Never for production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Run even though DEBUG is off (for tests and demo servers, never production).",
        )

    @transaction.atomic
    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError("Demo accounts are for development only (DEBUG is off).")
        rows = []
        for email, full_name, language, org_key, role, is_admin in DEMO_USERS:
            organisation = demo_organisation(org_key)
            if organisation is None:
                raise CommandError("Load the fixtures first: manage.py loaddata organisations call_2022")
            user, _ = User.objects.get_or_create(
                email=email, defaults={"full_name": full_name, "preferred_language": language}
            )
            user.is_staff = user.is_superuser = is_admin
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
            rows.append((email, "admin" if is_admin else role.label, organisation.name_fi))
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for email, role, organisation in rows:
            self.stdout.write(f"  {email:<26} {str(role):<22} {organisation}")
