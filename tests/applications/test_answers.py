"""A request for information and a hearing are the same shape (models.Answerable): one answer, given once
by the lead, with who and when, refused when blank, journalled alike, and kept whole by the database."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from applications import services
from applications.models import CaseEvent, EventKind, InformationRequest
from applications.services import WorkflowError


def ask_information(case, people):
    return services.request_information(
        application=case, message="Tarkentakaa kulut.", deadline=timezone.localdate(), by=people["official"]
    )


def send_hearing(project, people):
    services.record_past_payment(
        application=project,
        amount=Decimal("5000"),
        paid_on=timezone.localdate(),
        reference="RF18 1234",
        by=people["official"],
    )
    return services.send_hearing(
        application=project,
        basis="discretionary",
        proposed_amount=Decimal("1000"),
        facts="Ministeriö harkitsee takaisinperintää.",
        deadline=timezone.localdate() + dt.timedelta(days=14),
        stop_payments=False,
        by=people["official"],
    )


@pytest.fixture(params=["information", "hearing"])
def asked(request, people, ministry_people):
    """What the ministry asked: a request for information on a submitted case, or a hearing on an
    awarded project."""
    if request.param == "information":
        return ask_information(request.getfixturevalue("submitted_case"), people)
    return send_hearing(request.getfixturevalue("awarded_project"), people)


def test_a_blank_answer_is_refused_and_nothing_changes(asked, people):
    events = CaseEvent.objects.count()
    with pytest.raises(WorkflowError, match="Write the answer"):
        services.answer(asked, answer="  \n ", by=people["lead"])
    asked.refresh_from_db()
    assert not asked.is_answered and asked.answered_by is None
    assert CaseEvent.objects.count() == events


def test_the_answer_is_given_once_and_journalled_alike(asked, people):
    text = "Perustelu. " * 100  # 1 100 characters
    answered = services.answer(asked, answer=text, by=people["lead"])
    assert answered.is_answered and answered.answered_by == people["lead"]
    kind = (
        EventKind.INFORMATION_GIVEN if isinstance(asked, InformationRequest) else EventKind.HEARING_ANSWERED
    )
    event = CaseEvent.objects.get(kind=kind)
    assert event.note == text[:500] and event.actor == people["lead"]
    with pytest.raises(WorkflowError, match="already been answered"):
        services.answer(asked, answer="Toinen vastaus", by=people["lead"])
    asked.refresh_from_db()
    assert asked.answer == text


def test_only_the_lead_answers(asked, people):
    with pytest.raises(WorkflowError):
        services.answer(asked, answer="Vastaus", by=people["partner"])
    asked.refresh_from_db()
    assert not asked.is_answered


def test_an_answer_without_its_time_cannot_be_stored(asked):
    with pytest.raises(IntegrityError), transaction.atomic():
        type(asked).objects.filter(pk=asked.pk).update(answer="Vastaus", answered_at=None)
