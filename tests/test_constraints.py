"""Every database constraint rejects bad data: through the database and through model validation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from applications.models import Application, Decision, Participant
from grants.models import Call, EmphasisArea, EvaluationCriterion
from tests.factories import (
    ApplicationFactory,
    CallFactory,
    DecisionFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipantFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def rejected_by_database(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


def rejected_by_validation(instance, message_part):
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message_part in str(excinfo.value)


def call_fields(**overrides):
    now = timezone.now()
    fields = {
        "programme": ProgrammeFactory(),
        "slug": "c",
        "year": 2040,
        "name_fi": "Haku",
        "name_sv": "Utlysning",
        "purpose_fi": "x",
        "purpose_sv": "x",
        "appropriation": Decimal("100"),
        "opens_at": now,
        "closes_at": now + dt.timedelta(days=1),
        "use_period_end": timezone.localdate() + dt.timedelta(days=400),
    }
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"closes_at": timezone.now() - dt.timedelta(days=1)}, "must open before it closes"),
        ({"appropriation": Decimal("-1")}, "cannot be negative"),
        # Field validators speak before the constraint does; the database still holds the rule.
        ({"max_share_percent": Decimal("0")}, "greater than or equal to 0.01"),
        ({"max_share_percent": Decimal("100.01")}, "less than or equal to 100"),
        ({"min_municipalities": 0}, "greater than or equal to 1"),
        (
            {"use_period_start": dt.date(2030, 1, 2), "use_period_end": dt.date(2030, 1, 1)},
            "use period must start before",
        ),
    ],
)
def test_call_constraints(overrides, message):
    rejected_by_database(Call, **call_fields(**overrides))
    rejected_by_validation(Call(**call_fields(**overrides)), message)


def test_call_prefix_unique_per_year():
    Call.objects.create(**call_fields(slug="a"))
    rejected_by_database(Call, **call_fields(slug="b"))
    rejected_by_validation(Call(**call_fields(slug="b")), "already uses this case number prefix")


def test_call_with_unknown_opening_is_allowed():
    call = Call(**call_fields(opens_at=None))
    call.full_clean()
    call.save()
    assert not call.is_open()


def test_emphasis_area_number_unique_per_call():
    call = CallFactory()
    rejected_by_database(EmphasisArea, call=call, number=1, name_fi="x", name_sv="x")
    rejected_by_validation(
        EmphasisArea(call=call, number=1, name_fi="x", name_sv="x"), "already has an emphasis"
    )


def test_criterion_weight_positive():
    call = CallFactory()
    rejected_by_database(EvaluationCriterion, call=call, name_fi="x", name_sv="x", weight=Decimal("0"))
    rejected_by_validation(
        EvaluationCriterion(call=call, name_fi="x", name_sv="x", weight=Decimal("0")),
        "weight must be positive",
    )


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"kind": "municipality", "code": None}, "three-digit code"),
        ({"kind": "municipality", "code": "49"}, "three-digit code"),
        ({"kind": "municipality", "code": "04a"}, "three-digit code"),
        ({"kind": "ministry", "code": "049"}, "three-digit code"),
        ({"kind": "company", "code": None}, "not a valid choice"),
    ],
)
def test_organisation_constraints(fields, message):
    rejected_by_database(Organisation, name_fi="x", name_sv="x", **fields)
    rejected_by_validation(Organisation(name_fi="x", name_sv="x", **fields), message)


def test_organisation_code_unique_and_business_id_checked():
    OrganisationFactory(code="049")
    rejected_by_database(Organisation, kind="municipality", code="049", name_fi="x", name_sv="x")
    rejected_by_validation(
        Organisation(kind="municipality", code="050", name_fi="x", name_sv="x", business_id="1234567-2"),
        "valid Finnish business ID",
    )
    Organisation(
        kind="municipality", code="050", name_fi="x", name_sv="x", business_id="1234567-1"
    ).full_clean()


def test_user_language_and_email_unique():
    rejected_by_database(User, email="a@example.fi", full_name="A", preferred_language="de")
    rejected_by_validation(
        User(email="a@example.fi", full_name="A", preferred_language="de"), "not a valid choice"
    )
    UserFactory(email="b@example.fi")
    rejected_by_database(User, email="b@example.fi", full_name="B")


def test_membership_constraints():
    membership = MembershipFactory()
    rejected_by_database(
        Membership, user=membership.user, organisation=membership.organisation, role=Role.APPLICANT
    )
    rejected_by_database(Membership, user=membership.user, organisation=membership.organisation, role="boss")
    rejected_by_validation(
        Membership(user=membership.user, organisation=membership.organisation, role="boss"),
        "not a valid choice",
    )
    rejected_by_validation(
        Membership(user=membership.user, organisation=membership.organisation, role=Role.OFFICIAL),
        "municipality staff role",
    )
    ministry = OrganisationFactory(ministry=True)
    rejected_by_validation(
        Membership(user=membership.user, organisation=ministry, role=Role.APPLICANT), "only for"
    )


def application_fields(**overrides):
    fields = {"call": CallFactory(), "lead": OrganisationFactory(), "project_name": "Hanke"}
    fields.update(overrides)
    return fields


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"status": "approved-by-magic"}, "not a valid choice"),
        ({"status": "submitted"}, "needs its submission time"),
        ({"status": "draft", "submitted_at": timezone.now()}, "needs its submission time"),
        ({"requested_amount": Decimal("-0.01")}, "cannot be negative"),
        ({"case_number": "VM/1/2030"}, "go together"),
        ({"case_sequence": 1}, "go together"),
        ({"project_name": ""}, "Give the project a name"),
        ({"participants_published": False}, "Only historical awards"),
    ],
)
def test_application_constraints(overrides, message):
    rejected_by_database(Application, **application_fields(**overrides))
    rejected_by_validation(Application(**application_fields(**overrides)), message)


def test_historical_award_may_lack_name_submission_time_and_participants():
    Application(
        **application_fields(
            project_name="", status="awarded", is_historical=True, participants_published=False
        )
    ).full_clean()


def test_case_number_and_sequence_unique():
    first = ApplicationFactory(submitted=True)
    rejected_by_database(
        Application,
        **application_fields(
            call=first.call,
            case_number="VM/999/2030",
            case_sequence=first.case_sequence,
            status="submitted",
            submitted_at=timezone.now(),
        ),
    )
    rejected_by_database(
        Application,
        **application_fields(
            case_number=first.case_number, case_sequence=1, status="submitted", submitted_at=timezone.now()
        ),
    )


def test_participant_constraints():
    participant = ParticipantFactory()
    application, organisation = participant.application, participant.organisation
    rejected_by_database(Participant, application=application, organisation=organisation)
    rejected_by_validation(
        Participant(application=application, organisation=organisation), "already takes part"
    )
    rejected_by_database(
        Participant, application=application, organisation=OrganisationFactory(), role="boss"
    )
    rejected_by_database(
        Participant, application=application, organisation=OrganisationFactory(), status="maybe"
    )
    rejected_by_database(
        Participant, application=application, organisation=OrganisationFactory(), status="confirmed"
    )
    rejected_by_validation(
        Participant(application=application, organisation=OrganisationFactory(), status="confirmed"),
        "records when it was given",
    )


def test_one_lead_per_application():
    application = ApplicationFactory()
    ParticipantFactory(application=application, role="lead", confirmed=True)
    rejected_by_database(
        Participant,
        application=application,
        organisation=OrganisationFactory(),
        role="lead",
        status="confirmed",
        responded_at=timezone.now(),
    )
    rejected_by_validation(
        Participant(application=application, organisation=OrganisationFactory(), role="lead"),
        "only one lead applicant",
    )


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"outcome": "maybe"}, "not a valid choice"),
        ({"outcome": "positive", "granted_amount": None}, "positive maximum grant"),
        ({"outcome": "positive", "granted_amount": Decimal("0")}, "positive maximum grant"),
        ({"outcome": "negative", "granted_amount": Decimal("10")}, "positive maximum grant"),
        ({"requested_amount": Decimal("-1"), "granted_amount": Decimal("10")}, "cannot be negative"),
        ({"requested_amount": Decimal("100"), "granted_amount": Decimal("100.01")}, "cannot exceed"),
        (
            {"use_period_start": dt.date(2031, 1, 2), "use_period_end": dt.date(2031, 1, 1)},
            "must start before it ends",
        ),
    ],
)
def test_decision_constraints(overrides, message):
    fields = {
        "application": ApplicationFactory(awarded=True),
        "outcome": "positive",
        "granted_amount": Decimal("10"),
        "decision_date": timezone.localdate(),
    }
    fields.update(overrides)
    rejected_by_database(Decision, **fields)
    rejected_by_validation(Decision(**fields), message)


def test_one_decision_per_application():
    decision = DecisionFactory()
    rejected_by_database(
        Decision, application=decision.application, outcome="negative", decision_date=timezone.localdate()
    )


def test_granted_may_equal_request():
    DecisionFactory(requested_amount=Decimal("100"), granted_amount=Decimal("100")).full_clean()
