"""The access matrix: every URL pattern of the project, resolved with real objects, requested as each role,
and the answer compared with the expectation declared here. A URL without a declared expectation fails the
test, so a new page cannot ship without someone deciding who may see it.

Roles: anonymous; staff of an unrelated municipality; staff of a participating municipality; the lead's
staff; a reviewer assigned to the case and one who is not; an official; a decision-maker; a superuser.
Ministry staff have passed their second factor (tests/conftest.py). The world: an awarded case of Espoo
(lead) and Vantaa (partner) with an assigned reviewer, an answered information request, a payment
request and a decided extension; and Espoo's draft with Vantaa invited and an attachment.

Wrong-organisation access must answer 404, never 200, 403 or 500. Beyond GET, every URL is also POSTed
by every role that GET refuses: the answer must be the same refusal and the database unchanged."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import invitations
from accounts.models import User
from applications import services
from applications.attachments import check_upload
from applications.models import (
    CaseEvent,
    ChangeKind,
    ChangeStatus,
    GrantReturn,
    IssuedDocument,
    RectificationRequest,
    ReportKind,
)
from grants.models import CallStatus
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "unrelated",
    "participant",
    "lead",
    "reviewer",
    "other_reviewer",
    "official",
    "decider",
    "admin",
]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"


def walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace and ":".join(filter(None, [namespace, pattern.namespace]))
            yield from walk(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name


PATTERNS = list(walk(get_resolver().url_patterns))
ALL_NAMES = sorted({":".join(filter(None, [namespace, name])) for namespace, name in PATTERNS if name})


def pdf_upload(name="liite.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF))


def build_world(submitted_case, people, ministry_people, open_call, municipalities):
    """Real objects for every URL argument, made through the services as users would make them."""
    from applications.models import ReviewAssignment
    from tests.conftest import at, award

    official, lead = people["official"], people["lead"]
    services.assign_reviewers(
        applications=[submitted_case], reviewers=[ministry_people["reviewer"]], by=official
    )
    information = services.request_information(
        application=submitted_case,
        message="Tarkentakaa budjetti.",
        deadline=timezone.localdate() + dt.timedelta(days=7),
        by=official,
    )
    case = award(submitted_case, official, ministry_people["decision_maker"])
    decision = case.decision
    start = decision.use_period_start
    # Costs are claimed once incurred: the request is made as if on the last day of its period.
    with pytest.MonkeyPatch.context() as clock:
        at(f"{(start + dt.timedelta(days=30)).isoformat()}T12:00:00+02:00", clock)
        payment = services.request_payment(
            application=case,
            period_start=start,
            period_end=start + dt.timedelta(days=30),
            costs={"personnel": ("Projektipäällikkö", Decimal("10000"))},
            ledger=pdf_upload("paakirja.pdf"),
            is_final=False,
            by=lead,
        )
    change = services.request_change(
        application=case,
        kind=ChangeKind.EXTENSION,
        description="Lisäaikaa",
        new_use_period_end=decision.use_period_end + dt.timedelta(days=60),
        by=lead,
    )
    services.decide_change(
        change=change,
        status=ChangeStatus.ACCEPTED,
        grounds="Perusteltu viivästys.",
        decided_use_period_end=change.new_use_period_end,
        by=official,
    )
    report = services.submit_report(
        application=case,
        kind=ReportKind.INTERIM,
        achieved="Puolet tehty.",
        spread="Verkkosivut.",
        continues="Jatkuu.",
        realised_costs=Decimal("10000"),
        own_financing=Decimal("1500"),
        by=lead,
    )
    # A decided return needs a checked final report and an excess payment; only its address matters here.
    grant_return = GrantReturn.objects.create(
        application=case,
        amount=Decimal("500"),
        interest=Decimal("0"),
        interest_until=timezone.localdate(),
        grounds="Liikaa maksettu.",
        decided_by=official,
    )
    issued = IssuedDocument.objects.filter(application=case).order_by("pk").first()
    rectification = RectificationRequest.objects.create(
        application=case,
        document=issued,
        organisation=municipalities["lead"],
        demands="Suurempi avustus.",
        grounds="Perusteet.",
        submitted_by=lead,
    )
    draft = services.start_application(
        call=open_call, lead=municipalities["lead"], project_name="Toinen yhteinen hanke", by=lead
    )
    invited = services.add_participant(
        application=draft, organisation=municipalities["partner"], share_percent=None, by=lead
    )
    attachment = services.add_attachment(
        application=draft, upload=pdf_upload(), description="Suunnitelma", by=lead
    )
    superuser = User.objects.create_superuser("root@example.fi", "a-good-test-password", full_name="Root")
    users = {
        "unrelated": people["other"],
        "participant": people["partner"],
        "lead": lead,
        "reviewer": ministry_people["reviewer"],
        "other_reviewer": ministry_people["reviewer2"],
        "official": official,
        "decider": ministry_people["decision_maker"],
        "admin": superuser,
    }
    for role in ("reviewer", "other_reviewer", "official", "decider", "admin"):
        # Ministry staff have enrolled an authenticator, as at their first sign-in.
        TOTPDevice.objects.get_or_create(user=users[role], name="authenticator", defaults={"confirmed": True})
    return {
        "users": users,
        "case": case,
        "decision": decision,
        "review": ReviewAssignment.objects.get(application=case),
        "information": information,
        "payment": payment,
        "change": change,
        "report": report,
        "grant_return": grant_return,
        "issued": issued,
        "rectification": rectification,
        "draft": draft,
        "invited": invited,
        "attachment": attachment,
        "invitation": invitations.invite(
            by=official,
            organisation=municipalities["lead"],
            email="new@example.fi",
            main_user=False,
            language="fi",
        ),
        "call": open_call,
        # The case's call has closed for its decision; a draft is started in another, open call.
        "open_call": CallFactory(slug="another-open-call", year=2041),
        "draft_call": CallFactory(slug="a-draft-call", year=2042, status=CallStatus.DRAFT),
    }


def build_whole_world():
    """The world with its cast, from nothing (tests/conftest.py's builders)."""
    from tests import conftest

    ministry = conftest.make_ministry()
    municipalities = conftest.make_municipalities()
    people = conftest.make_people(municipalities, ministry)
    open_call = conftest.make_open_call()
    draft = conftest.make_draft(open_call, municipalities, people)
    ready = conftest.make_ready(draft, municipalities, people)
    submitted_case = services.submit_application(application=ready, by=people["lead"])
    ministry_people = conftest.make_ministry_people(ministry)
    return build_world(submitted_case, people, ministry_people, open_call, municipalities)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, built once for a whole module of tests that only read it: inside a transaction that is
    rolled back when the module ends. Each test still runs in its own transaction within it (pytest-django),
    so whatever a test changes is undone after it, and a refused POST is still checked against the world as
    built. A module that uses this world must not build the same cast again with the function fixtures."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_whole_world()
        built["sessions"] = signed_in_sessions(built["users"])
        yield built
        transaction.set_rollback(True)


def signed_in_sessions(users):
    """{role: session key}: each role signed in once for the module (ministry staff past their second
    factor, as the sign-in page leaves them), instead of once per request."""
    from accounts.security import requires_two_factor
    from tests.conftest import verify_second_factor

    sessions = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        if requires_two_factor(user):
            verify_second_factor(client, user)
        sessions[role] = client.session.session_key
    return sessions


def pk(key):
    return lambda w: {"pk": w[key].pk}


def slug(w):
    return {"slug": w["call"].slug}


# How each URL name is resolved with the world's objects.
ARGUMENTS = {
    "open-data-call-360giving": slug,
    "accounts:password_reset_confirm": lambda w: {"uidb64": "MQ", "token": "set-password"},
    "accounts:invitation": lambda w: {"token": "no-such-invitation"},
    "accounts:invitation-withdraw": pk("invitation"),
    "applications:start": lambda w: {"slug": w["open_call"].slug},
    "applications:detail": pk("draft"),
    "applications:edit": pk("draft"),
    "applications:participants": pk("draft"),
    "applications:shares": pk("draft"),
    "applications:remove-participant": lambda w: {"pk": w["draft"].pk, "participant_pk": w["invited"].pk},
    "applications:participation": pk("draft"),
    "applications:attachments": pk("draft"),
    "applications:attachment": lambda w: {"pk": w["draft"].pk, "attachment_pk": w["attachment"].pk},
    "applications:delete-attachment": lambda w: {"pk": w["draft"].pk, "attachment_pk": w["attachment"].pk},
    "applications:submit": pk("draft"),
    "applications:withdraw": pk("draft"),
    "applications:print": pk("case"),
    "applications:receipt": pk("case"),
    "applications:copy-pdf": pk("case"),
    "applications:follow-up-decision-pdf": lambda w: {
        "pk": w["case"].pk,
        "kind": "changes",
        "item": w["change"].pk,
    },
    "applications:decision": pk("case"),
    "applications:project": pk("case"),
    "applications:project-payment": pk("case"),
    "applications:project-change": pk("case"),
    "applications:project-report": pk("case"),
    "applications:project-joining": pk("case"),
    "applications:decision-pdf": pk("case"),
    "applications:answer-request": lambda w: {"pk": w["case"].pk, "request_pk": w["information"].pk},
    "applications:issued-pdf": lambda w: {"pk": w["case"].pk, "document_pk": w["issued"].pk},
    "applications:rectification": lambda w: {"pk": w["case"].pk, "document_pk": w["issued"].pk},
    "applications:project-hearing": pk("case"),
    "processing:project-hearing": pk("case"),
    "processing:record-letter": pk("issued"),
    "processing:decide-rectification": pk("rectification"),
    "processing:worklist": slug,
    "processing:worklist-csv": slug,
    "processing:bulk-assign": slug,
    "processing:treasury-export": lambda w: {"slug": w["call"].slug, "format": "csv"},
    "processing:ranking": slug,
    "processing:decisions": slug,
    "processing:approve-all": slug,
    "processing:publish": slug,
    "api-not-found": lambda w: {"rest": "no-such/"},
    "api-call-detail": slug,
    "api-municipality-detail": lambda w: {"code": w["case"].lead.code},
    # The case's decision is approved but its call's results are not published: no one sees it.
    "api-award-detail": pk("decision"),
    "processing:call-edit": lambda w: {"slug": w["draft_call"].slug},
    "processing:call-preview": lambda w: {"slug": w["draft_call"].slug},
    "processing:call-open": lambda w: {"slug": w["draft_call"].slug},
    "processing:call-close": lambda w: {"slug": w["open_call"].slug},
    "processing:case": pk("case"),
    "processing:eligibility": pk("case"),
    "processing:information": pk("case"),
    "processing:assign": pk("case"),
    "processing:proposal": pk("case"),
    "processing:decision": pk("decision"),
    "processing:decision-pdf": pk("decision"),
    "processing:approve": pk("decision"),
    "processing:return": pk("decision"),
    "processing:attach-original": pk("decision"),
    "processing:diary-number": pk("case"),
    "processing:project": pk("case"),
    "processing:project-past-payment": pk("case"),
    "processing:project-return": pk("case"),
    "processing:project-close": pk("case"),
    "processing:project-approve-payment": lambda w: {"pk": w["case"].pk, "target": w["payment"].pk},
    "processing:project-reject-payment": lambda w: {"pk": w["case"].pk, "target": w["payment"].pk},
    "processing:project-paid": lambda w: {"pk": w["case"].pk, "target": w["payment"].pk},
    "processing:project-change": lambda w: {"pk": w["case"].pk, "target": w["change"].pk},
    "processing:project-report-check": lambda w: {"pk": w["case"].pk, "target": w["report"].pk},
    "processing:project-repayment": lambda w: {"pk": w["case"].pk, "target": w["grant_return"].pk},
    "processing:review": pk("review"),
    "grants:call-detail": slug,
    "opendata:call-results": slug,
    "opendata:call-results-csv": slug,
    "opendata:call-results-xlsx": slug,
}


def url_for(name, world):
    builder = ARGUMENTS.get(name)
    return reverse(name, kwargs=builder(world) if builder else None)


def first_role_that_sees(name):
    """The first role in ROLES whose GET of the page answers 200, or None."""
    expected = GET_EXPECTED[name].split()
    return next((role for role, outcome in zip(ROLES, expected, strict=True) if outcome == "200"), None)


def client_for(role, world):
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def outcome(response):
    """200, 404 …, or L for a redirect to the sign-in page, T to the second factor, R to anywhere else."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if "/accounts/login/" in location or "/admin/login/" in location:
            return "L"
        return "R"
    return str(response.status_code)


# GET, in the order of ROLES:
#        anonymous unrelated participant lead reviewer other-reviewer official decision-maker admin
# L = redirected to sign in, R = redirected elsewhere (e.g. a signed-in user away from the sign-in page,
# the lead from a withdrawal form of a case no longer withdrawable), 405 = the URL takes only POST.
PUBLIC = "200 200 200 200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200 200 200 200"
OWN_DRAFT_READ = "L 404 200 200 404 404 404 404 404"
LEAD_DRAFT_WORK = "L 404 403 200 404 404 404 404 404"
POST_ONLY_OWN = "L 405 405 405 405 405 405 405 405"
SUBMITTED_CASE_READ = "L 404 200 200 200 404 200 200 200"
OFFICIALS = "404 404 404 404 404 404 200 200 200"
OFFICIAL_ACTION = "404 404 404 404 404 404 405 403 405"
DECIDER_ACTION = "404 404 404 404 404 404 403 405 405"
NOT_PUBLISHED = "404 404 404 404 404 404 404 404 404"

GET_EXPECTED = {
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "grants:home": PUBLIC,
    "grants:privacy": PUBLIC,
    "grants:accessibility": PUBLIC,
    "grants:call-detail": PUBLIC,
    "opendata:call-results": NOT_PUBLISHED,
    "opendata:call-results-csv": NOT_PUBLISHED,
    "opendata:call-results-xlsx": NOT_PUBLISHED,
    "open-data-360giving": PUBLIC,
    "open-data-call-360giving": NOT_PUBLISHED,
    "api-root": PUBLIC,
    "api-not-found": NOT_PUBLISHED,
    "api-award-list": PUBLIC,
    "api-award-detail": NOT_PUBLISHED,
    "api-call-list": PUBLIC,
    "api-call-detail": PUBLIC,
    "api-municipality-detail": PUBLIC,
    "api-docs": PUBLIC,
    "api-municipality-list": PUBLIC,
    "api-schema": PUBLIC,
    "accounts:login": "200 R R R R R R R R",
    "accounts:logout": "L 405 405 405 405 405 405 405 405",
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:profile": SIGNED_IN,
    "accounts:keepalive": "L 204 204 204 204 204 204 204 204",
    "accounts:personal-data": SIGNED_IN,
    "accounts:recovery-codes": POST_ONLY_OWN,
    # Officials invite staff to any municipality, a municipality's main user to their own (tests/accounts).
    "accounts:invitations": "L 403 403 403 403 403 200 403 200",
    "accounts:invitation-withdraw": POST_ONLY_OWN,
    # An invitation's link: an unknown token is not found for anyone.
    "accounts:invitation": "404 404 404 404 404 404 404 404 404",
    # The identity services' endpoints exist only where the service is configured (tests/e2e); the
    # back-channel logout takes only the provider's POST.
    "sso-ministry-login": NOT_PUBLISHED,
    "sso-ministry-callback": NOT_PUBLISHED,
    "sso-ministry-backchannel-logout": "405 405 405 405 405 405 405 405 405",
    "saml2_login": NOT_PUBLISHED,
    "saml2_acs": NOT_PUBLISHED,
    "saml2_ls": NOT_PUBLISHED,
    "saml2_ls_post": NOT_PUBLISHED,
    "saml2_metadata": NOT_PUBLISHED,
    # Verified ministry staff are sent on; municipality staff have no second factor to set up.
    "accounts:two-factor": "L 404 404 404 R R R R R",
    "accounts:two-factor-setup": "L 404 404 404 R R R R R",
    "applications:my-cases": SIGNED_IN,
    # After sign-in: ministry staff to their tasks, municipality staff to their cases.
    "landing": "L R R R R R R R R",
    "processing:desk": "404 404 404 404 200 200 200 200 200",
    "applications:start": "L 200 200 200 403 403 403 403 403",
    "applications:detail": OWN_DRAFT_READ,
    "applications:attachments": OWN_DRAFT_READ,
    "applications:attachment": OWN_DRAFT_READ,
    "applications:edit": LEAD_DRAFT_WORK,
    "applications:participants": LEAD_DRAFT_WORK,
    "applications:submit": LEAD_DRAFT_WORK,
    "applications:withdraw": "L 404 403 R 404 404 404 404 404",
    "applications:shares": "L 404 403 405 404 404 404 404 404",
    "applications:remove-participant": "L 404 403 405 404 404 404 404 404",
    "applications:delete-attachment": POST_ONLY_OWN,
    "applications:participation": POST_ONLY_OWN,
    "applications:answer-request": POST_ONLY_OWN,
    "applications:issued-pdf": SUBMITTED_CASE_READ,
    "applications:rectification": POST_ONLY_OWN,
    "applications:project-hearing": POST_ONLY_OWN,
    "applications:print": SUBMITTED_CASE_READ,
    "applications:receipt": SUBMITTED_CASE_READ,
    "applications:copy-pdf": SUBMITTED_CASE_READ,
    "applications:decision": SUBMITTED_CASE_READ,
    "applications:decision-pdf": SUBMITTED_CASE_READ,
    "applications:follow-up-decision-pdf": SUBMITTED_CASE_READ,
    "applications:project": SUBMITTED_CASE_READ,
    "applications:project-payment": POST_ONLY_OWN,
    "applications:project-change": POST_ONLY_OWN,
    "applications:project-report": POST_ONLY_OWN,
    "applications:project-joining": POST_ONLY_OWN,
    "processing:calls": OFFICIALS,
    "processing:worklist": OFFICIALS,
    "processing:worklist-csv": OFFICIALS,
    "processing:treasury-export": OFFICIALS,
    "processing:ranking": OFFICIALS,
    "processing:decisions": OFFICIALS,
    "processing:case": OFFICIALS,
    "processing:decision": OFFICIALS,
    "processing:decision-pdf": OFFICIALS,
    "processing:follow-up": OFFICIALS,
    "processing:follow-up-csv": OFFICIALS,
    "processing:project": OFFICIALS,
    "processing:eligibility": OFFICIAL_ACTION,
    "processing:information": OFFICIAL_ACTION,
    "processing:assign": OFFICIAL_ACTION,
    "processing:proposal": OFFICIAL_ACTION,
    "processing:project-past-payment": OFFICIAL_ACTION,
    "processing:project-return": OFFICIAL_ACTION,
    "processing:project-hearing": OFFICIAL_ACTION,
    "processing:record-letter": OFFICIAL_ACTION,
    "processing:decide-rectification": OFFICIAL_ACTION,
    "processing:project-close": OFFICIAL_ACTION,
    "processing:project-approve-payment": OFFICIAL_ACTION,
    "processing:project-reject-payment": OFFICIAL_ACTION,
    "processing:project-paid": OFFICIAL_ACTION,
    "processing:project-change": OFFICIAL_ACTION,
    "processing:project-report-check": OFFICIAL_ACTION,
    "processing:project-repayment": OFFICIAL_ACTION,
    "processing:bulk-assign": OFFICIAL_ACTION,
    "processing:publish": "404 404 404 404 404 404 200 403 200",
    # Officials prepare, open and close calls; decision-makers may read a draft's preview.
    "processing:call-create": "404 404 404 404 404 404 200 403 200",
    "processing:call-edit": "404 404 404 404 404 404 200 403 200",
    "processing:call-preview": OFFICIALS,
    "processing:call-open": "404 404 404 404 404 404 200 403 200",
    "processing:call-close": "404 404 404 404 404 404 200 403 200",
    "processing:attach-original": OFFICIAL_ACTION,
    "processing:diary-number": OFFICIAL_ACTION,
    "processing:approve": DECIDER_ACTION,
    "processing:approve-all": "404 404 404 404 404 404 403 200 200",
    "processing:return": DECIDER_ACTION,
    "processing:my-reviews": "404 404 404 404 200 200 404 404 404",
    "processing:review": "404 404 404 404 200 404 404 404 404",
}

# POST with an empty form, for the roles that may not act (- = may act; their success is each feature's
# own test). Each refusal must leave the database as it was.
POST_EXPECTED = {
    "accounts:recovery-codes": "L 404 404 404 - - - - -",
    # Only those who see the invitation (its municipality's main users and officials) withdraw it.
    "accounts:invitation-withdraw": "L 404 404 404 404 404 - 404 -",
    "sso-ministry-backchannel-logout": "404 404 404 404 404 404 404 404 404",
    "applications:answer-request": "L 404 403 - 403 404 403 403 403",
    # Any municipality taking part may request rectification; only the lead answers a hearing.
    "applications:rectification": "L 404 - - 403 404 403 403 403",
    "applications:project-hearing": "L 404 403 - 403 404 403 403 403",
    "applications:participation": "L 404 - 403 404 404 404 404 404",
    "applications:project-payment": "L 404 403 - 403 404 403 403 403",
    "applications:project-change": "L 404 403 - 403 404 403 403 403",
    "applications:project-report": "L 404 403 - 403 404 403 403 403",
    # Only a municipality named in a pending change of participants answers it.
    "applications:project-joining": "L 404 403 403 403 404 403 403 403",
    "applications:shares": "L 404 403 - 404 404 404 404 404",
    "applications:remove-participant": "L 404 403 - 404 404 404 404 404",
    "applications:delete-attachment": "L 404 403 - 404 404 404 404 404",
    "applications:edit": "L 404 403 - 404 404 404 404 404",
    "applications:participants": "L 404 403 - 404 404 404 404 404",
    "applications:attachments": "L 404 403 - 404 404 404 404 404",
    "applications:submit": "L 404 403 - 404 404 404 404 404",
    "applications:withdraw": "L 404 403 - 404 404 404 404 404",
    "applications:start": "L - - - 403 403 403 403 403",
    "processing:eligibility": "404 404 404 404 404 404 - 403 -",
    "processing:information": "404 404 404 404 404 404 - 403 -",
    "processing:assign": "404 404 404 404 404 404 - 403 -",
    "processing:proposal": "404 404 404 404 404 404 - 403 -",
    "processing:project-past-payment": "404 404 404 404 404 404 - 403 -",
    "processing:project-return": "404 404 404 404 404 404 - 403 -",
    "processing:project-hearing": "404 404 404 404 404 404 - 403 -",
    "processing:record-letter": "404 404 404 404 404 404 - 403 -",
    "processing:decide-rectification": "404 404 404 404 404 404 - 403 -",
    "processing:project-close": "404 404 404 404 404 404 - 403 -",
    "processing:project-approve-payment": "404 404 404 404 404 404 - 403 -",
    "processing:project-reject-payment": "404 404 404 404 404 404 - 403 -",
    "processing:project-paid": "404 404 404 404 404 404 - 403 -",
    "processing:project-change": "404 404 404 404 404 404 - 403 -",
    "processing:project-report-check": "404 404 404 404 404 404 - 403 -",
    "processing:project-repayment": "404 404 404 404 404 404 - 403 -",
    "processing:bulk-assign": "404 404 404 404 404 404 - 403 -",
    "processing:publish": "404 404 404 404 404 404 - 403 -",
    "processing:call-create": "404 404 404 404 404 404 - 403 -",
    "processing:call-edit": "404 404 404 404 404 404 - 403 -",
    "processing:call-open": "404 404 404 404 404 404 - 403 -",
    "processing:call-close": "404 404 404 404 404 404 - 403 -",
    "processing:attach-original": "404 404 404 404 404 404 - 403 -",
    "processing:diary-number": "404 404 404 404 404 404 - 403 -",
    "processing:approve": "404 404 404 404 404 404 403 - -",
    "processing:approve-all": "404 404 404 404 404 404 403 - -",
    "processing:return": "404 404 404 404 404 404 403 - -",
    "processing:case": "404 404 404 404 404 404 - - -",
    "processing:review": "404 404 404 404 - 404 404 404 404",
}

SITE_NAMES = [name for name in ALL_NAMES if not name.startswith("admin:")]


def test_every_url_has_a_declared_expectation():
    assert sorted(set(SITE_NAMES) - set(GET_EXPECTED)) == [], "declare who may GET these URLs"
    assert sorted(set(GET_EXPECTED) - set(SITE_NAMES)) == [], "expectations for URLs that no longer exist"
    unnamed = [namespace for namespace, name in PATTERNS if not name and namespace != "admin"]
    assert unnamed == [], "every URL pattern outside the admin needs a name to be in the matrix"


def test_every_url_that_takes_a_post_declares_who_may_not_post():
    takes_post = {name for name, row in GET_EXPECTED.items() if "405" in row.split()}
    assert sorted(takes_post - set(POST_EXPECTED) - {"accounts:logout"}) == []


def database_state():
    from django.apps import apps

    # Sessions are saved on every request and sign-in attempts are logged; nothing else may change.
    counted = [model for model in apps.get_models() if model._meta.app_label not in ("sessions", "axes")]
    return {model._meta.label: model._default_manager.count() for model in counted} | {
        "events": list(CaseEvent.objects.values_list("pk", flat=True))
    }


@pytest.mark.parametrize("name", SITE_NAMES)
def test_get(world, name):
    url = url_for(name, world)
    actual = " ".join(outcome(client_for(role, world).get(url)) for role in ROLES)
    assert actual == GET_EXPECTED[name], f"GET {url}\n  roles:    {' '.join(ROLES)}"


@pytest.mark.parametrize("name", sorted(POST_EXPECTED))
def test_post_by_those_who_may_not(world, name):
    url = url_for(name, world)
    clients = {role: client_for(role, world) for role in ROLES}
    before = database_state()
    actual = []
    for role, expected in zip(ROLES, POST_EXPECTED[name].split(), strict=True):
        actual.append("-" if expected == "-" else outcome(clients[role].post(url, {})))
    assert " ".join(actual) == POST_EXPECTED[name], f"POST {url}"
    assert database_state() == before, "a refused POST changed the database"


# --- The admin site -------------------------------------------------------------------------------
# Its model URLs are generated for every registered model, so their expectation is a rule: nobody without
# admin access gets past the sign-in page, and a staff member sees what their permissions allow (403
# otherwise). The admin's other URLs are declared one by one.

ADMIN_MODEL_URL = re.compile(
    r"^admin:(?P<app>\w+?)_(?P<model>[a-z0-9]+)_(?P<action>changelist|add|change|delete|history)$"
)
ADMIN_NEEDS = {"changelist": "view", "history": "view", "change": "view", "add": "add", "delete": "delete"}
STAFF_ONLY = "L L L L L L 200 L 200"
ADMIN_OTHER = {
    "admin:index": STAFF_ONLY,
    # Officials hold no admin rights over case records (they work on the processing pages).
    "admin:app_list": "L L L L L L 404 L 200",
    "admin:password_change": STAFF_ONLY,
    "admin:password_change_done": STAFF_ONLY,
    "admin:jsi18n": STAFF_ONLY,
    # The admin's sign-in page tells a signed-in user without admin access that they lack it.
    "admin:login": "200 200 200 200 200 200 R 200 R",
    "admin:logout": "L R R R R R 405 R 405",
    "admin:autocomplete": "L L L L L L 403 L 403",
    "admin:view_on_site": "L L L L L L 404 L 404",
    # Only a superuser sets a password (officials' users get a reset link, red-team finding 6) or sees an
    # authenticator's key.
    "admin:auth_user_password_change": "L L L L L L 403 L 200",
    "admin:otp_totp_totpdevice_config": "L L L L L L 403 L 200",
    "admin:otp_totp_totpdevice_qrcode": "L L L L L L 403 L 200",
}


# Where an object's own rule differs from the model's: the first membership is the official's ministry role,
# which only a superuser may remove (accounts/admin.py), so that nobody hands out ministry roles.
ADMIN_OBJECT_RULES = {"admin:accounts_membership_delete": "L L L L L L 403 L 200"}


def admin_url(name, world):
    from django.apps import apps

    match = name not in ADMIN_OTHER and ADMIN_MODEL_URL.match(name)
    if match:
        model = apps.get_model(match["app"], match["model"])
        if match["action"] in ("changelist", "add"):
            return reverse(name), model, None
        obj = model._default_manager.order_by("pk").first()
        return reverse(name, args=[obj.pk if obj else 0]), model, obj
    lead = world["users"]["lead"]
    device = TOTPDevice.objects.filter(user=world["users"]["official"]).first()
    args = {
        "admin:app_list": ["applications"],
        "admin:auth_user_password_change": [lead.pk],
        "admin:otp_totp_totpdevice_config": [device.pk],
        "admin:otp_totp_totpdevice_qrcode": [device.pk],
        "admin:view_on_site": [ContentType.objects.get_for_model(User).pk, lead.pk],
    }.get(name, [])
    return reverse(name, args=args), None, None


# Records nobody adds or deletes by hand, not even a superuser: the journal, uploaded files (added in the
# application), repayments (the return's status follows them), django-axes' sign-in records and the queue
# workers' heartbeats (written by the workers).
NOBODY_IN_ADMIN = {
    "admin:applications_attachment_add",
    "admin:applications_decision_add",
    "admin:applications_decision_delete",
    "admin:applications_caseevent_add",
    "admin:applications_caseevent_delete",
    "admin:applications_issueddocument_add",
    "admin:applications_repayment_add",
    "admin:applications_repayment_delete",
    "admin:applications_issueddocument_delete",
    # Case objects that the workflow brings into being (each with its journal row) are not made by hand.
    "admin:applications_application_add",
    "admin:applications_informationrequest_add",
    "admin:applications_reviewassignment_add",
    "admin:applications_paymentrequest_add",
    "admin:applications_changerequest_add",
    "admin:applications_report_add",
    "admin:applications_hearing_add",
    "admin:applications_grantreturn_add",
    "admin:applications_rectificationrequest_add",
    "admin:axes_accessattempt_add",
    "admin:axes_accessfailurelog_add",
    "admin:axes_accesslog_add",
    "admin:django_tasks_database_dbtaskresult_add",
    "admin:django_tasks_database_dbtaskresult_delete",
    "admin:mail_message_add",
    "admin:mail_message_delete",
    "admin:mail_worker_add",
    "admin:mail_worker_delete",
    # Identities are linked by signing in; invitations are sent from the invitations page and stay as the
    # record of what was granted.
    "admin:accounts_externalidentity_add",
    "admin:accounts_invitation_add",
    "admin:accounts_invitation_delete",
}


def admin_rule(name, user, model, action, obj):
    if user is None or not user.is_staff:
        return "L"
    if name in NOBODY_IN_ADMIN:
        return "403"
    meta = model._meta
    needed = ADMIN_NEEDS[action]
    allowed = user.has_perm(f"{meta.app_label}.{needed}_{meta.model_name}") or (
        needed == "view" and user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
    )
    if action == "history" and obj is None:
        return "R"
    if not allowed:
        return "403"
    return "R" if action in ("change", "delete") and obj is None else "200"


ADMIN_NAMES = [name for name in ALL_NAMES if name.startswith("admin:")]


def test_every_admin_url_has_a_declared_expectation():
    undeclared = [name for name in ADMIN_NAMES if not ADMIN_MODEL_URL.match(name) and name not in ADMIN_OTHER]
    assert undeclared == [], "declare who may use these admin URLs"


@pytest.mark.parametrize("name", ADMIN_NAMES)
def test_admin(world, name):
    users = {role: (world["users"].get(role)) for role in ROLES}
    url, model, obj = admin_url(name, world)
    if model is None:
        expected = ADMIN_OTHER[name]
    elif name in ADMIN_OBJECT_RULES:
        expected = ADMIN_OBJECT_RULES[name]
    else:
        action = ADMIN_MODEL_URL.match(name)["action"]
        expected = " ".join(admin_rule(name, users[role], model, action, obj) for role in ROLES)
    actual = " ".join(outcome(client_for(role, world).get(url)) for role in ROLES)
    assert actual == expected, f"GET {url}\n  roles:    {' '.join(ROLES)}"
