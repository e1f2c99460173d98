"""Creates demo accounts (one per role) and an open demo call for trying the system; safe to run again."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from accounts.roles import sync_role_groups
from accounts.security import requires_two_factor
from grants.models import Call, CallContact, EmphasisArea, EvaluationCriterion, Programme

DEMO_PASSWORD = "demo-password-2026"
# Ministry demo accounts pass two-factor sign-in with this published authenticator key (RFC 6238's test
# key): add it to an app, or run `make demo-code`. Demo only: a real account enrols its own key.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

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
# Job titles printed under the presenter's and the decision-maker's names on decisions (fi, sv).
DEMO_TITLES = {
    "admin@example.fi": ("pääkäyttäjä (demo)", "huvudanvändare (demo)"),
    "virkailija@example.fi": ("neuvotteleva virkamies (demo)", "konsultativ tjänsteman (demo)"),
    "paattaja@example.fi": ("osastopäällikkö (demo)", "avdelningschef (demo)"),
}


def demo_organisation(key):
    if key == "ministry":
        return Organisation.objects.filter(kind=OrganisationKind.MINISTRY).order_by("pk").first()
    return Organisation.objects.filter(code=key).first()


DEMO_CALL_SLUG = "demo-open-call"


def seed_demo_call():
    """An open call with the 2022 call's rules, so that the whole flow can be tried. Each run moves its
    dates so that it stays open for 60 days from today."""
    programme = Programme.objects.get(pk=1)
    now = timezone.now()
    today = timezone.localdate()
    call, _ = Call.objects.update_or_create(
        slug=DEMO_CALL_SLUG,
        defaults={
            "programme": programme,
            "year": today.year,
            "case_number_prefix": "VM-DEMO",
            "name_fi": f"Demohaku: kuntien digitalisaatiohankkeet {today.year}",
            "name_sv": f"Demoutlysning: kommunernas digitaliseringsprojekt {today.year}",
            "name_en": f"Demo call: municipalities' digitalisation projects {today.year}",
            "purpose_fi": "Harjoitushaku järjestelmän kokeilemiseen. Säännöt ovat samat kuin vuoden 2022 "
            "haussa.",
            "purpose_sv": "En övningsutlysning för att pröva systemet. Reglerna är desamma som i 2022 års "
            "utlysning.",
            "purpose_en": "A practice call for trying the system. The rules are those of the 2022 call.",
            "appropriation": Decimal("5000000.00"),
            "opens_at": now - dt.timedelta(days=1),
            "closes_at": now + dt.timedelta(days=60),
            "use_period_start": today + dt.timedelta(days=90),
            "use_period_end": today + dt.timedelta(days=90 + 2 * 365),
            "max_share_percent": Decimal("85.00"),
            "min_municipalities": 2,
        },
    )
    source = Call.objects.get(slug="kuntien-digitalisaatio-2022")
    for area in source.emphasis_areas.all():
        EmphasisArea.objects.update_or_create(
            call=call,
            number=area.number,
            defaults={"name_fi": area.name_fi, "name_sv": area.name_sv, "name_en": area.name_en},
        )
    criteria = [
        (
            "Vaikuttavuus ja asiakaslähtöisyys",
            "Effekt och kundorientering",
            "Impact and customer orientation",
        ),
        (
            "Kuntien yhteistyö ja tulosten levitys",
            "Kommunernas samarbete och spridning",
            "Cooperation and spreading",
        ),
        ("Toteutettavuus ja kustannukset", "Genomförbarhet och kostnader", "Feasibility and costs"),
    ]
    for order, (fi, sv, en) in enumerate(criteria, start=1):
        EvaluationCriterion.objects.update_or_create(
            call=call, order=order, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
        )
    CallContact.objects.update_or_create(
        call=call,
        order=1,
        defaults={
            "name": "Olli Official",
            "title_fi": "neuvotteleva virkamies (demo)",
            "title_sv": "konsultativ tjänsteman (demo)",
            "title_en": "Ministerial Adviser (demo)",
            "email": "virkailija@example.fi",
        },
    )
    return call


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
            user.is_superuser = is_admin
            user.title_fi, user.title_sv = DEMO_TITLES.get(email, ("", ""))
            user.set_password(DEMO_PASSWORD)
            user.save()
            Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
            sync_role_groups(user)
            if requires_two_factor(user):
                TOTPDevice.objects.update_or_create(
                    user=user, name="demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
                )
            rows.append((email, "admin" if is_admin else role.label, organisation.name_fi))
        call = seed_demo_call()
        closes = timezone.localtime(call.closes_at)
        self.stdout.write(
            self.style.SUCCESS(f"Demo call '{call.name_fi}' open until {closes:%d.%m.%Y %H:%M}")
        )
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD})"))
        for email, role, organisation in rows:
            self.stdout.write(f"  {email:<26} {str(role):<22} {organisation}")
        self.stdout.write(
            "Ministry accounts confirm each sign-in with a code: add the key "
            f"{DEMO_TOTP_BASE32} to an authenticator app, or run `make demo-code`."
        )
