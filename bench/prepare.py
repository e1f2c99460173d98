"""Prepares a generated database for the benchmark (run by bench/run.py, idempotent).

Creates one official per simulated user, each with an authenticator device of a known key (django-otp
refuses a code twice on one device, so users cannot share one), and the deadline rush's ready drafts in
the open generated call: each complete, with a confirmed partner, waiting only for the lead's submission,
and a signed-in session for each draft's lead.
Writes what the load generator needs to bench/out/fixture.json."""

import datetime as dt
import json
import os
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Membership, Organisation, Role, User  # noqa: E402
from applications.models import Application, BudgetLine, CaseEvent, Participant, Status  # noqa: E402
from grants.models import Call  # noqa: E402

PASSWORD = "generated-password-2026"
TOTP_KEY = "3132333435363738393031323334353637383930"
OUT = Path(__file__).resolve().parent / "out"


def signed_in_session(user, device=None):
    """A session as the sign-in form (and the second factor) would leave it; the server must share the
    SECRET_KEY that this process runs with (bench/run.py passes the same one to both)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def officials(count):
    ministry = Organisation.objects.get(kind="ministry")
    emails = []
    for number in range(count):
        email = f"bench-official-{number}@example.fi"
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": f"Bench {number}", "password": make_password(PASSWORD)}
        )
        if created:
            Membership.objects.create(user=user, organisation=ministry, role=Role.OFFICIAL)
        device, _ = TOTPDevice.objects.update_or_create(
            user=user, name="bench", defaults={"key": TOTP_KEY, "confirmed": True, "last_t": -1}
        )
        emails.append(signed_in_session(user, device))
    return emails


@transaction.atomic
def rush_drafts(call, count):
    """`count` ready drafts, each led by a different municipality's generated staff member."""
    old = Application.objects.filter(call=call, project_name__startswith="Rush ")
    for model in (CaseEvent, BudgetLine, Participant):
        model.objects.filter(application__in=old).delete()
    old.delete()
    municipalities = list(Organisation.objects.municipalities().order_by("code"))
    staff = {u.email: u for u in User.objects.filter(email__startswith="gen-staff-")}
    area = call.emphasis_areas.order_by("number").first()
    drafts = []
    for number in range(count):
        lead = municipalities[number % len(municipalities)]
        drafts.append(
            Application(
                call=call,
                lead=lead,
                project_name=f"Rush {number}",
                summary="Yhteinen hanke.",
                objectives="Tavoitteet.",
                actions="Toimenpiteet.",
                schedule="Kaksi vuotta.",
                expected_results="Tulokset.",
                dissemination="Levitys.",
                emphasis_area=area,
                start_date=call.use_period_start,
                end_date=call.use_period_end,
                requested_amount=Decimal("85000"),
                own_financing=Decimal("15000"),
                contact_name="Yhteyshenkilö",
                contact_email="rush@example.fi",
                created_by=staff[f"gen-staff-{lead.code}@example.fi"],
                status=Status.DRAFT,
            )
        )
    drafts = Application.objects.bulk_create(drafts)
    rows, lines = [], []
    for number, draft in enumerate(drafts):
        partner = municipalities[(number + 1) % len(municipalities)]
        rows.append(
            Participant(
                application=draft,
                organisation_id=draft.lead_id,
                role="lead",
                status="confirmed",
                share_percent=Decimal("60"),
                responded_at=call.opens_at,
            )
        )
        rows.append(
            Participant(
                application=draft,
                organisation=partner,
                role="partner",
                status="confirmed",
                share_percent=Decimal("40"),
                responded_at=call.opens_at,
            )
        )
        lines.append(
            BudgetLine(
                application=draft,
                category="personnel",
                description="Projektipäällikkö",
                amount=Decimal("100000"),
            )
        )
    Participant.objects.bulk_create(rows)
    BudgetLine.objects.bulk_create(lines)
    # Each lead is already signed in, as staff finishing an application at the deadline are: the rush
    # measures saving and submitting, not password hashing (the SignIn scenario measures that).
    return [(signed_in_session(staff[f"gen-staff-{d.lead.code}@example.fi"]), d.pk) for d in drafts]


def main():
    users = int(os.environ.get("BENCH_USERS", "8"))
    rush = int(os.environ.get("BENCH_RUSH", "300"))
    open_call = (
        Call.objects.filter(slug__startswith="gen-", results_published_on__isnull=True)
        .order_by("-closes_at")
        .first()
    )
    published = (
        Call.objects.filter(slug__startswith="gen-", results_published_on__isnull=False)
        .annotate(n=Count("applications"))
        .order_by("-n", "-closes_at")
        .first()
    )
    if open_call is None or published is None:
        sys.exit("No generated data: run manage.py generate_demo_data first.")
    Call.objects.filter(pk=open_call.pk).update(
        closes_at=max(open_call.closes_at, django.utils.timezone.now() + dt.timedelta(days=7))
    )
    cases = list(
        Application.objects.filter(call=published)
        .exclude(status=Status.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    busiest = (
        Participant.objects.filter(application__call__slug__startswith="gen-")
        .values("organisation__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    fixture = {
        # Signed-in sessions (second factor passed), so that the measured window holds no sign-ins.
        "official_sessions": officials(max(users, 8)),
        "staff_session": signed_in_session(
            User.objects.get(email=f"gen-staff-{busiest['organisation__code']}@example.fi")
        ),
        "password": PASSWORD,
        "totp_key": TOTP_KEY,
        "results_slug": published.slug,
        "worklist_slug": published.slug,
        "emphasis_area": published.emphasis_areas.order_by("number").first().pk,
        "cases": cases,
        "search": "tiedonhallinta",
        "staff": f"gen-staff-{busiest['organisation__code']}@example.fi",
        "rush": rush_drafts(open_call, rush),
        "rush_call": open_call.slug,
        "applications": Application.objects.count(),
    }
    OUT.mkdir(exist_ok=True)
    (OUT / "fixture.json").write_text(json.dumps(fixture))
    print(f"prepared: {fixture['applications']} applications, {len(fixture['rush'])} rush drafts")


if __name__ == "__main__":
    main()
