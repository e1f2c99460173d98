"""Issue 15, points 4 and 5: the notification recorded by letter, the rectification deadline both sides
see, and a request for rectification as a case: submitted in time by a municipality taking part, decided
with reasons by an official who did not prepare the decision, amending the grant within the call's
appropriation, and issued with appeal instructions to the administrative court."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from applications import rules, services
from applications.models import CaseEvent, DocumentKind, EventKind, IssuedDocument, RectificationStatus
from applications.services import WorkflowError
from tests.conftest import award
from tests.factories import MembershipFactory, UserFactory


def words(document):
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(document.pdf.open("rb").read())).pages
    )
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def granted(submitted_case, people, ministry_people):
    """Awarded 80 000 €; the applicant gave no consent, so the decision goes by letter."""
    case = award(submitted_case, people["official"], ministry_people["decision_maker"])
    return IssuedDocument.objects.get(application=case, kind=DocumentKind.GRANT)


@pytest.fixture
def second_official(ministry):
    user = UserFactory(email="toinen@example.fi", full_name="Toini Toinen")
    MembershipFactory(user=user, organisation=ministry, role=Role.OFFICIAL)
    return user


def test_the_letter_is_recorded_and_the_deadline_shown_to_both(client, granted, people):
    assert granted.method == "" and granted.notified_on is None
    sent = timezone.localdate()
    services.record_letter(document=granted, sent_on=sent, by=people["official"])
    granted.refresh_from_db()
    assert granted.notified_on == sent + dt.timedelta(days=7)
    deadline = rules.rectification_deadline(granted.notified_on)
    shown = f"{deadline.day}.{deadline.month}.{deadline.year}"
    client.force_login(people["lead"])
    assert (
        shown
        in client.get(reverse("applications:detail", kwargs={"pk": granted.application_id})).content.decode()
    )
    client.force_login(people["official"])
    assert (
        shown
        in client.get(reverse("processing:case", kwargs={"pk": granted.application_id})).content.decode()
    )
    with pytest.raises(WorkflowError, match="already recorded"):
        services.record_letter(document=granted, sent_on=sent, by=people["official"])
    assert CaseEvent.objects.filter(
        application=granted.application, kind=EventKind.NOTIFICATION_RECORDED
    ).exists()


def test_a_request_after_the_period_is_refused(granted, people):
    sent = timezone.localdate() - dt.timedelta(days=60)
    type(granted).objects.filter(pk=granted.pk).update(decision_date=sent)  # decided two months ago
    granted.refresh_from_db()
    services.record_letter(document=granted, sent_on=sent, by=people["official"])
    granted.refresh_from_db()
    with pytest.raises(WorkflowError, match="period for requesting rectification ended"):
        services.submit_rectification(document=granted, demands="x", grounds="y", by=people["lead"])


def test_a_partner_requests_and_another_official_amends_the_grant(client, granted, people, second_official):
    client.force_login(people["partner"])
    url = reverse(
        "applications:rectification", kwargs={"pk": granted.application_id, "document_pk": granted.pk}
    )
    empty = client.post(url, {})
    assert (
        empty.status_code == 200 and "This field is required" in empty.content.decode()
    )  # next to the field
    client.post(
        url,
        {
            f"d{granted.pk}-demands": "Avustus 85 000 euroon.",
            f"d{granted.pk}-grounds": "Kustannukset ovat hyväksyttäviä.",
        },
    )
    request = granted.rectification_requests.get()
    assert request.organisation.code == "092" and request.status == RectificationStatus.SUBMITTED
    assert CaseEvent.objects.filter(
        application=granted.application, kind=EventKind.RECTIFICATION_REQUESTED
    ).exists()
    # The official who presented the decision does not decide the request.
    with pytest.raises(WorkflowError, match="prepared the decision"):
        services.decide_rectification(
            request=request,
            accept=True,
            grounds="x",
            appeal_court="Helsingin hallinto-oikeus",
            by=people["official"],
        )
    services.decide_rectification(
        request=request,
        accept=True,
        grounds="Hyväksyttävät kustannukset on laskettu uudelleen.",
        appeal_court="Helsingin hallinto-oikeus",
        new_granted_amount=D("85000"),
        by=second_official,
    )
    granted.application.decision.refresh_from_db()
    assert granted.application.decision.granted_amount == D("85000.00")
    issued = IssuedDocument.objects.get(rectification=request)
    text = words(issued)
    for element in [
        "Päätös oikaisuvaatimukseen",
        "hyväksyy oikaisuvaatimuksen",
        "Avustuksen enimmäismäärä on nyt 85 000 €",
        "Valitusosoitus",
        "Helsingin hallinto-oikeus",
        "1455/2015",
        "Päätöksen tekijä: Toini Toinen",
    ]:
        assert element in text, element
    assert "Oikaisuvaatimusohje" not in text  # a decision on rectification is appealed, not rectified


def test_an_amendment_cannot_exceed_the_appropriation(granted, people, second_official):
    call = granted.application.call
    type(call).objects.filter(pk=call.pk).update(appropriation=D("80000"))
    request = services.submit_rectification(
        document=granted, demands="Lisää", grounds="Syy", by=people["lead"]
    )
    with pytest.raises(WorkflowError, match="exceed the call's appropriation"):
        services.decide_rectification(
            request=request,
            accept=True,
            grounds="x",
            appeal_court="Helsingin hallinto-oikeus",
            new_granted_amount=D("85000"),
            by=second_official,
        )
    request.refresh_from_db()
    assert request.status == RectificationStatus.SUBMITTED
    assert not IssuedDocument.objects.filter(rectification=request).exists()


def test_the_official_records_the_letter_on_the_case_page(client, granted, people):
    client.force_login(people["official"])
    page = client.get(reverse("processing:case", kwargs={"pk": granted.application_id})).content.decode()
    assert f'name="l{granted.pk}-sent_on"' in page
    today = timezone.localdate()
    client.post(
        reverse("processing:record-letter", kwargs={"pk": granted.pk}),
        {f"l{granted.pk}-sent_on": today.isoformat()},
    )
    granted.refresh_from_db()
    assert (granted.method, granted.sent_on, granted.notified_on) == (
        "letter",
        today,
        today + dt.timedelta(days=7),
    )
