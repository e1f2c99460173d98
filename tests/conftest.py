"""Shared fixtures. Tests marked `postgres` need PostgreSQL's own behaviour and skip on SQLite."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://...)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


_FIXTURES: dict = {}


def load_fixtures(*names):
    """The rows of the shipped fixtures (fixtures/<name>.json), saved as `loaddata` saves them (each
    object's raw save, with its signals), without reading and deserialising the files again for every
    test: each is read once per test process. Then the sequences are moved past the fixtures' keys, as
    loaddata does. About 190 tests load the 2022 call. tests/grants/test_fixtures_2022.py checks that
    this writes what `manage.py loaddata` writes."""
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    rows = []
    for name in names:
        if name not in _FIXTURES:
            path = settings.BASE_DIR / "fixtures" / f"{name}.json"
            _FIXTURES[name] = [
                (
                    type(loaded.object),
                    {
                        f.attname: getattr(loaded.object, f.attname)
                        for f in loaded.object._meta.concrete_fields
                    },
                )
                for loaded in serializers.deserialize("json", path.read_text())
            ]
        rows += _FIXTURES[name]
    models = set()
    for model, values in rows:
        model(**values).save_base(raw=True)
        models.add(model)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(statement)


@pytest.fixture
def published_2022(db):
    """The real, published 2022 call and its 24 awards, loaded from the shipped fixtures."""
    load_fixtures("organisations", "call_2022")
    from grants.models import Call

    return Call.objects.get(slug="kuntien-digitalisaatio-2022")


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache (test databases reuse ids across tests)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server on loopback (moto's server mode), for the whole test run."""
    from tests.object_storage import S3Server

    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture
def object_storage(settings, monkeypatch, s3_server):
    """Uploaded and archived files go to a fresh private bucket, as with OBJECT_STORAGE_BUCKET in production;
    returns (server, bucket)."""
    from config.storage import object_storage as bucket_storage

    bucket = s3_server.new_bucket()
    for name, value in s3_server.environment(bucket).items():
        monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "default": bucket_storage(bucket)}
    return s3_server, bucket


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions read English messages; pages under /fi/ and /sv/ switch language themselves."""
    from django.utils import translation

    with translation.override("en"):
        yield


def verify_second_factor(client, user):
    """Gives a signed-in test client's session a passed second factor, as the sign-in page would after a
    correct authenticator code; returns the device (its key makes real codes for tests that need them)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture(autouse=True)
def ministry_sign_ins_pass_second_factor(request, monkeypatch):
    """`force_login` skips the sign-in page, so by default it also skips the second factor that ministry
    staff pass there. Tests of two-factor itself mark themselves `second_factor_not_passed`."""
    if "second_factor_not_passed" in request.keywords:
        return
    from django.test import Client

    from accounts.security import requires_two_factor

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if requires_two_factor(user):
            verify_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


# The shared cast, as plain builders (for a world built once per module, tests/security/test_access_matrix.py)
# and as the fixtures most tests use.


def make_ministry():
    from tests.factories import OrganisationFactory

    return OrganisationFactory(ministry=True)


def staff_of(organisation, **user_fields):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=Role.APPLICANT)
    return user


def make_municipalities():
    """Four municipalities: the lead, two partners and an unrelated one."""
    from tests.factories import OrganisationFactory

    return {
        "lead": OrganisationFactory(code="049", name_fi="Espoo", name_sv="Esbo"),
        "partner": OrganisationFactory(code="092", name_fi="Vantaa", name_sv="Vanda"),
        "partner2": OrganisationFactory(code="235", name_fi="Kauniainen", name_sv="Grankulla"),
        "other": OrganisationFactory(code="091", name_fi="Helsinki", name_sv="Helsingfors"),
    }


def make_people(municipalities, ministry):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    official = UserFactory(email="official@example.fi", full_name="Olli Official")
    MembershipFactory(user=official, organisation=ministry, role=Role.OFFICIAL)
    return {
        "lead": staff_of(municipalities["lead"], email="lead@example.fi", full_name="Eeva Espoo"),
        "lead2": staff_of(municipalities["lead"], email="lead2@example.fi", full_name="Erkki Espoo"),
        "partner": staff_of(
            municipalities["partner"],
            email="partner@example.fi",
            full_name="Ville Vantaa",
            preferred_language="sv",
        ),
        "partner2": staff_of(
            municipalities["partner2"], email="partner2@example.fi", full_name="Karin Grankulla"
        ),
        "other": staff_of(municipalities["other"], email="other@example.fi", full_name="Helmi Helsinki"),
        "official": official,
    }


def make_open_call():
    from tests.factories import CallFactory

    return CallFactory(slug="open-call", year=2031)


def make_draft(open_call, municipalities, people):
    """A draft by Espoo with Vantaa as a pending partner and no content yet."""
    from applications import services

    application = services.start_application(
        call=open_call, lead=municipalities["lead"], project_name="Yhteinen tiedonhallinta", by=people["lead"]
    )
    services.add_participant(
        application=application, organisation=municipalities["partner"], share_percent=None, by=people["lead"]
    )
    return application


def make_ready(draft, municipalities, people):
    """A draft that satisfies every submission rule: content, budget, financing, confirmed partner, shares."""
    from decimal import Decimal

    from applications import services
    from applications.models import Participant

    call = draft.call
    services.save_draft(
        application=draft,
        values={
            "summary": "Kunnat kuvaavat tietoaineistonsa laadun yhdessä.",
            "objectives": "Yhteinen laatumalli.",
            "actions": "Kuvaus, arviointi, kehittäminen.",
            "schedule": "Kaksi vuotta.",
            "expected_results": "Laatumalli ja mittarit.",
            "dissemination": "Avoin julkaisu ja koulutus muille kunnille.",
            "emphasis_area": call.emphasis_areas.get(number=1),
            "start_date": call.use_period_start,
            "end_date": call.use_period_end,
            "requested_amount": Decimal("85000.00"),
            "own_financing": Decimal("15000.00"),
            "contact_name": "Eeva Espoo",
            "contact_email": "hanke@espoo.example.fi",
        },
        budget_lines=[
            {"category": "personnel", "description": "Projektipäällikkö", "amount": Decimal("80000.00")},
            {"category": "purchased_services", "description": "Konsultointi", "amount": Decimal("20000.00")},
        ],
        by=people["lead"],
    )
    partner = Participant.objects.get(application=draft, organisation=municipalities["partner"])
    services.respond_to_participation(participant=partner, confirm=True, by=people["partner"])
    lead = Participant.objects.get(application=draft, role="lead")
    services.set_shares(
        application=draft, shares={lead.pk: Decimal("60"), partner.pk: Decimal("40")}, by=people["lead"]
    )
    draft.refresh_from_db()
    return draft


def make_ministry_people(ministry):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    def with_role(email, role, language="fi"):
        user = UserFactory(email=email, full_name=email.split("@")[0].title(), preferred_language=language)
        MembershipFactory(user=user, organisation=ministry, role=role)
        user.refresh_from_db()
        return user

    return {
        "decision_maker": with_role("paattaja@example.fi", Role.DECISION_MAKER),
        "decision_maker2": with_role("paattaja2@example.fi", Role.DECISION_MAKER),
        "reviewer": with_role("arvioija@example.fi", Role.REVIEWER),
        "reviewer2": with_role("arvioija2@example.fi", Role.REVIEWER),
    }


@pytest.fixture
def ministry(db):
    return make_ministry()


@pytest.fixture
def municipalities(db):
    """Four municipalities: the lead, two partners and an unrelated one."""
    return make_municipalities()


@pytest.fixture
def people(municipalities, ministry):
    return make_people(municipalities, ministry)


@pytest.fixture
def open_call(db):
    return make_open_call()


@pytest.fixture
def draft(open_call, municipalities, people):
    """A draft by Espoo with Vantaa as a pending partner and no content yet."""
    return make_draft(open_call, municipalities, people)


@pytest.fixture
def ready(draft, municipalities, people):
    """A draft that satisfies every submission rule: content, budget, financing, confirmed partner, shares."""
    return make_ready(draft, municipalities, people)


@pytest.fixture
def submitted_case(ready, people):
    """The ready application, submitted (VM/1/<year>): requested 85 000 € of 100 000 € costs."""
    from applications import services

    return services.submit_application(application=ready, by=people["lead"])


@pytest.fixture
def ministry_people(ministry):
    return make_ministry_people(ministry)


@pytest.fixture
def awarded_project(submitted_case, people, ministry_people):
    """The submitted case, found eligible and awarded 80 000 € at most (of 85 000 € requested)."""
    return award(submitted_case, people["official"], ministry_people["decision_maker"])


def propose_award(case, official):
    """Eligibility and a positive proposal of 80 000 €, through the services; returns the decision."""
    from decimal import Decimal

    from applications import services

    services.record_eligibility(
        application=case,
        judgements=dict.fromkeys(
            ["arrived_in_time", "municipalities", "emphasis_area", "max_share", "eligible_costs"], True
        ),
        notes={},
        by=official,
    )
    decision = services.propose_decision(
        application=case,
        outcome="positive",
        granted_amount=Decimal("80000"),
        language="fi",
        grounds_fi="Perustelu",
        grounds_sv="",
        by=official,
    )
    return decision


def end_application_period(call):
    """The call's application period ends now (decisions are made only after it has ended)."""
    import datetime as dt

    from django.utils import timezone

    from grants.models import Call

    call.closes_at = min(call.closes_at, timezone.now() - dt.timedelta(seconds=1))
    call.opens_at = min(call.opens_at, call.closes_at - dt.timedelta(days=1)) if call.opens_at else None
    Call.objects.filter(pk=call.pk).update(closes_at=call.closes_at, opens_at=call.opens_at)
    return call


def award(case, official, decision_maker):
    """Eligibility, a positive proposal of 80 000 € and its approval after the application period has
    ended, through the services."""
    from applications import services

    decision = propose_award(case, official)
    end_application_period(case.call)
    services.approve_decisions(call=case.call, decision_ids=[decision.pk], by=decision_maker)
    case.refresh_from_db()
    return case


def at(moment_iso, monkeypatch):
    """The case services, the workflow and its guards see the clock at `moment_iso` (ISO, with offset);
    sign-ins and sessions keep the real clock."""
    import datetime as dt
    import types

    from django.utils import timezone

    moment = dt.datetime.fromisoformat(moment_iso)
    clock = types.SimpleNamespace(
        now=lambda: moment,
        localdate=lambda value=None: timezone.localdate(value or moment),
        localtime=lambda value=None: timezone.localtime(value or moment),
    )
    for module in (
        "applications.services.followup",
        "applications.services.rectification",
        "applications.services.returns",
        "applications.workflow",
        "applications.workflow.guards",
        "applications.rules",
    ):
        monkeypatch.setattr(f"{module}.timezone", clock, raising=False)
    return moment


def hear_and_decide(
    project, official, lead_user, *, due_date, basis="excess", amount=None, stop=False, grounds="x"
):
    """The hearing (answered by the lead) and the return or recovery decision, through the services."""
    import datetime as dt

    from applications import services
    from applications.services import followup

    timezone = followup.timezone  # the services' clock (a test may have moved it with `at`)
    hearing = services.send_hearing(
        application=project,
        basis=basis,
        proposed_amount=amount,
        facts="Ministeriö aikoo periä avustusta takaisin.",
        deadline=timezone.localdate() + dt.timedelta(days=14),
        stop_payments=stop,
        by=official,
    )
    services.answer(hearing, answer="Hyväksymme laskelman.", by=lead_user)
    return services.decide_return(
        application=project, hearing=hearing, due_date=due_date, grounds=grounds, amount=amount, by=official
    )


def squeezed(html: str) -> str:
    """The page with every run of HTML white space as one space (a no-break space stays): what a browser
    shows, whatever the layout of the template's source (djlint formats it)."""
    return re.sub(r"[ \t\n\r\f]+", " ", html).strip()


def deliver_mail():
    """Runs the mail worker as production does (`manage.py worker`), until the queue has nothing ready,
    and returns Django's test outbox (what reached the mail backend)."""
    from unittest import mock

    from django.core import mail

    # The worker closes "old" database connections between tasks; in a test it shares the test's
    # connection, whose transaction holds the test's data, so that connection must stay open.
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    return mail.outbox


def delivered(event):
    """The mails of one event (`mail.models.Message.event`) that reached the mail backend."""
    from django.core import mail

    from mail.models import Message

    ids = {message.message_id for message in Message.objects.filter(event=event)}
    return [message for message in mail.outbox if message.extra_headers.get("Message-ID") in ids]


@pytest.fixture
def late_in_use_period(awarded_project, monkeypatch):
    """The services' clock on the last day of the awarded project's use period (the fixtures' use periods
    lie in the future, and costs can be claimed only once incurred)."""
    return at(f"{awarded_project.decision.use_period_end.isoformat()}T12:00:00+02:00", monkeypatch)
