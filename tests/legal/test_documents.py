"""Issue 15, points 3, 4 and 7: every decision document holds what the Administrative Procedure Act
§ 44 requires (read back from its PDF in Finnish and Swedish), is archived unchanged when issued, is
dated by the Helsinki day, and records how it was notified; the rectification deadline is computed from
that record by the Act on the Calculation of Time Limits."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Organisation
from applications import rules, services
from applications.attachments import check_upload
from applications.models import CaseEvent, EventKind, IssuedDocument, NotificationMethod
from mail.models import Message
from mail.signals import message_sent
from processing import treasury
from tests.conftest import deliver_mail, end_application_period, propose_award

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def words(content: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.replace("\xa0", " ").split())


def setup_case(case, people, ministry_people, *, language, consent):
    """Business IDs, job titles and a diary number recorded; the proposal in `language`."""
    Organisation.objects.filter(pk=case.lead_id).update(business_id="0101263-6")
    Organisation.objects.filter(code="092").update(business_id="0124610-9")
    official, decider = people["official"], ministry_people["decision_maker"]
    official.title_fi, official.title_sv = "neuvotteleva virkamies", "konsultativ tjänsteman"
    official.save()
    decider.title_fi, decider.title_sv = "osastopäällikkö", "avdelningschef"
    decider.save()
    type(case).objects.filter(pk=case.pk).update(electronic_notification=consent)
    services.record_diary_number(application=case, diary_number="VN/777/2026", by=official)
    case.refresh_from_db()
    decision = propose_award(case, official)  # in Finnish; then the case is made Swedish where asked
    type(case).objects.filter(pk=case.pk).update(language=language)
    decision.language = language
    decision.grounds_sv = "Motivering"
    decision.save(update_fields=["language", "grounds_sv"])
    end_application_period(case.call)
    return decision


ELEMENTS = {
    "fi": [
        "Valtiovarainministeriö",
        "Päätöspäivä:",
        "Diaarinumero: VN/777/2026",
        "Saaja",
        "Hankehallinnoija: Espoo (Y-tunnus 0101263-6)",
        "Vantaa (Y-tunnus 0124610-9)",
        "myöntää saajalle valtionavustusta enintään 80 000 €",
        "Avustusta saa käyttää enintään 85 prosenttiin",
        "loppuselvityksen",
        "Perustelut",
        "Perustelu",
        "Sovelletut säännökset",
        "kuntien digitalisaation kannustinjärjestelmästä (893/2019)",
        "20 §",
        "21 §",
        "24 §",
        "Lisätietoja",
        "Päätöksen tekijä: Paattaja, osastopäällikkö",
        "Esittelijä: Olli Official, neuvotteleva virkamies",
        "hyväksytty sähköisesti",
        "Oikaisuvaatimusohje",
        "30 päivän kuluessa",
        "Tiedoksisaantipäivää ei lueta",
        "juhannusaatto",
        "lähettäjän omalla vastuulla",
        "Liite: valtionavustuksen yleiset ehdot",
        "1397/2016",
        "621/1999",
    ],
    "sv": [
        "Finansministeriet",
        "Beslutsdatum:",
        "Diarienummer: VN/777/2026",
        "Mottagare",
        "Projektadministratör: Esbo (FO-nummer 0101263-6)",
        "Vanda (FO-nummer 0124610-9)",
        "beviljar mottagaren statsunderstöd på högst 80 000 €",
        "slutredovisning",
        "Motivering",
        "Tillämpade bestämmelser",
        "om incitamentsystemet för digitalisering i kommunerna (893/2019)",
        "Beslutsfattare: Paattaja, avdelningschef",
        "Föredragande: Olli Official, konsultativ tjänsteman",
        "Anvisning",
        "inom 30 dagar",
        "midsommaraftonen",
        "Bilaga: allmänna villkor för statsunderstödet",
    ],
}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_grant_decision_pdf_holds_every_element(submitted_case, people, ministry_people, language):
    decision = setup_case(submitted_case, people, ministry_people, language=language, consent=True)
    services.approve_decisions(
        call=submitted_case.call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
    )
    document = IssuedDocument.objects.get(decision=decision)
    assert document.method == "" and document.notified_on is None  # not until the message has gone
    deliver_mail()
    document.refresh_from_db()
    text = words(document.pdf.open("rb").read())
    for element in ELEMENTS[language]:
        assert element in text, element
    assert ("kolmantena päivänä" if language == "fi" else "tredje dagen") in text  # electronic, with consent
    assert "seitsemäntenä" not in text and "sjunde dagen" not in text
    # The notification is recorded from the delivery: sent today, deemed received on the third day.
    today = timezone.localdate()
    assert (document.method, document.sent_on, document.notified_on) == (
        NotificationMethod.ELECTRONIC,
        today,
        today + dt.timedelta(days=3),
    )
    # Recorded by the workflow's system step, with its journal row: by no one, and once however many
    # messages about the decision are delivered.
    recorded = CaseEvent.objects.get(application=submitted_case, kind=EventKind.NOTIFICATION_RECORDED)
    assert recorded.actor is None
    third = today + dt.timedelta(days=3)
    assert recorded.note == f"{document.title}: {today:%d.%m.%Y} → {third:%d.%m.%Y}"
    for message in Message.objects.filter(reference=f"issued-document:{document.pk}"):
        message_sent.send(sender=Message, message=message)  # a later delivery about the same decision
    assert CaseEvent.objects.filter(kind=EventKind.NOTIFICATION_RECORDED).count() == 1
    document.refresh_from_db()
    assert document.sent_on == today


@pytest.mark.parametrize(
    "language, heading, recipient", [("fi", "Hakija", "Saaja"), ("sv", "Sökande", "Mottagare")]
)
def test_a_rejection_names_the_applicant_not_a_recipient(
    submitted_case, people, ministry_people, language, heading, recipient
):
    decision = setup_case(submitted_case, people, ministry_people, language=language, consent=False)
    decision.outcome, decision.granted_amount = "negative", None
    decision.save(update_fields=["outcome", "granted_amount"])
    services.approve_decisions(
        call=submitted_case.call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
    )
    document = IssuedDocument.objects.get(decision=decision)
    text = words(document.pdf.open("rb").read())
    assert f"{heading} Hankehallinnoija" in text or f"{heading} Projektadministratör" in text
    assert recipient not in text
    assert ("seitsemäntenä päivänä" if language == "fi" else "sjunde dagen") in text  # letter, no consent
    deliver_mail()  # without consent the delivered mail is no notification: the official records the letter
    document.refresh_from_db()
    assert document.method == "" and document.notified_on is None
    assert not CaseEvent.objects.filter(kind=EventKind.NOTIFICATION_RECORDED).exists()


def test_a_decision_approved_at_ten_past_midnight_is_dated_that_helsinki_day(
    submitted_case, people, ministry_people, monkeypatch
):
    decision = setup_case(submitted_case, people, ministry_people, language="fi", consent=True)
    moment = dt.datetime(2026, 11, 30, 22, 10, tzinfo=dt.UTC)  # 1.12.2026 00:10 in Helsinki
    type(submitted_case.call).objects.filter(pk=submitted_case.call_id).update(
        opens_at=moment - dt.timedelta(days=60), closes_at=moment - dt.timedelta(days=30)
    )
    monkeypatch.setattr(timezone, "now", lambda: moment)
    services.approve_decisions(
        call=submitted_case.call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
    )
    decision.refresh_from_db()
    assert decision.decision_date == dt.date(2026, 12, 1)
    text = words(IssuedDocument.objects.get(decision=decision).pdf.open("rb").read())
    assert "Päätöspäivä: 1.12.2026" in text and "30.11.2026" not in text
    event = CaseEvent.objects.get(application=submitted_case, kind=EventKind.DECIDED)
    assert timezone.localdate(event.created_at) == dt.date(2026, 12, 1)
    export = treasury.as_csv(submitted_case.call, "https://example.fi")
    assert ";01.12.2026;" in export


def test_follow_up_decisions_are_dated_in_helsinki_and_archived_unchanged(
    client, awarded_project, people, monkeypatch
):
    official = people["official"]
    official.title_fi = "neuvotteleva virkamies"
    official.save()
    end = awarded_project.decision.use_period_end
    change = services.request_change(
        application=awarded_project,
        kind="extension",
        description="Viive",
        new_use_period_end=end + dt.timedelta(days=30),
        by=people["lead"],
    )
    moment = dt.datetime(2026, 11, 30, 22, 10, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    services.decide_change(
        change=change, status="accepted", grounds="Perusteltu viive", decided_use_period_end=None, by=official
    )
    document = IssuedDocument.objects.get(change=change)
    archived = document.pdf.open("rb").read()
    text = words(archived)
    for element in [
        "Päätöspäivä: 1.12.2026",
        "Lisätietoja",
        "Sovelletut säännökset",
        "Päätöksen tekijä: Olli Official, neuvotteleva virkamies",
        "Oikaisuvaatimusohje",
        "Liite: valtionavustuksen yleiset ehdot",
    ]:
        assert element in text, element
    # Served from the archive: a later edit of the row does not change the document.
    type(change).objects.filter(pk=change.pk).update(grounds="Muokattu jälkikäteen")
    client.force_login(people["lead"])
    url = reverse(
        "applications:follow-up-decision-pdf",
        kwargs={"pk": awarded_project.pk, "kind": "changes", "item": change.pk},
    )
    assert client.get(url).content == archived


@pytest.mark.parametrize(
    "notified, deadline",
    [
        (dt.date(2026, 12, 4), dt.date(2027, 1, 4)),  # 30 days end on Sunday 3.1.2027 -> Monday
        (dt.date(2026, 11, 24), dt.date(2026, 12, 28)),  # ends on Christmas Eve -> past Christmas and Sunday
        (dt.date(2027, 5, 26), dt.date(2027, 6, 28)),  # ends on Midsummer Eve -> Monday after Midsummer
        (dt.date(2026, 11, 5), dt.date(2026, 12, 7)),  # ends on Independence Day (Sunday 6.12) -> Monday
        (dt.date(2026, 11, 6), dt.date(2026, 12, 7)),  # ends on Monday 7.12: it stays
        (dt.date(2026, 12, 2), dt.date(2027, 1, 4)),  # ends on New Year's Day (Friday) -> Monday
    ],
)
def test_rectification_deadline_counts_from_the_notification(notified, deadline):
    assert rules.rectification_deadline(notified) == deadline


def test_presumed_notification_days():
    sent = dt.date(2026, 12, 1)
    assert rules.presumed_notified_on("electronic", sent) == dt.date(2026, 12, 4)
    assert rules.presumed_notified_on("letter", sent) == dt.date(2026, 12, 8)
    assert rules.rectification_deadline(None) is None


def test_refused_costs_make_an_appealable_payment_decision(late_in_use_period, awarded_project, people):
    official = people["official"]
    project = awarded_project
    request = services.request_payment(
        application=project,
        period_start=project.decision.use_period_start,
        period_end=project.decision.use_period_start + dt.timedelta(days=10),
        costs={"personnel": ("Palkat", D("10000")), "travel": ("Matkat", D("2000"))},
        ledger=check_upload(SimpleUploadedFile("l.pdf", PDF)),
        is_final=False,
        by=project.created_by,
    )
    travel = request.cost_lines.get(category="travel")
    services.approve_payment(
        payment=request,
        rejections={travel.pk: "Matkat eivät kuulu hankkeen talousarvioon."},
        note="",
        by=official,
    )
    document = IssuedDocument.objects.get(payment=request)
    text = words(document.pdf.open("rb").read())
    for element in [
        "Päätös maksatushakemukseen",
        "maksaa hakemuksen perusteella 8 500 €",
        "Matkat eivät kuulu hankkeen talousarvioon.",
        "Oikaisuvaatimusohje",
        "Lisätietoja",
    ]:
        assert element in text, element
    # A payment approved as claimed is not a decision that refuses anything: no document.
    second = services.request_payment(
        application=project,
        period_start=project.decision.use_period_start,
        period_end=project.decision.use_period_start + dt.timedelta(days=10),
        costs={"personnel": ("Palkat", D("1000"))},
        ledger=check_upload(SimpleUploadedFile("l.pdf", PDF)),
        is_final=False,
        by=project.created_by,
    )
    services.approve_payment(payment=second, rejections={}, note="", by=official)
    assert not IssuedDocument.objects.filter(payment=second).exists()


SWEDISH_PARTS = [
    "Finansministeriet",
    "Beslutsdatum:",
    "Mottagare",
    "Projektadministratör:",
    "Tillämpade bestämmelser",
    "Mer information",
    "Beslutsfattare: Olli Official",
    "Bilaga: allmänna villkor för statsunderstödet",
]


def test_follow_up_decisions_in_swedish(late_in_use_period, awarded_project, people, monkeypatch):
    """A case made in Swedish gets its change, payment and return decisions in Swedish, each with every
    part § 44 requires."""
    from grants.models import ReferenceRate
    from tests.conftest import at, hear_and_decide

    official = people["official"]
    official.title_sv = "konsultativ tjänsteman"
    official.save()
    project = awarded_project
    type(project).objects.filter(pk=project.pk).update(language="sv")
    project.refresh_from_db()
    change = services.request_change(
        application=project,
        kind="extension",
        description="Dröjsmål",
        new_use_period_end=project.decision.use_period_end + dt.timedelta(days=30),
        by=people["lead"],
    )
    services.decide_change(
        change=change, status="accepted", grounds="Motiverat", decided_use_period_end=None, by=official
    )
    request = services.request_payment(
        application=project,
        period_start=project.decision.use_period_start,
        period_end=project.decision.use_period_start + dt.timedelta(days=10),
        costs={"personnel": ("Löner", D("100000")), "travel": ("Resor", D("2000"))},
        ledger=check_upload(SimpleUploadedFile("l.pdf", PDF)),
        is_final=False,
        by=project.created_by,
    )
    travel = request.cost_lines.get(category="travel")
    services.approve_payment(
        payment=request, rejections={travel.pk: "Ingår inte i budgeten."}, note="", by=official
    )
    services.mark_paid(
        payment=request, paid_on=dt.date(2030, 3, 1), reference="RF18539007547034", by=official
    )
    ReferenceRate.objects.create(valid_from=dt.date(2030, 1, 1), rate=D("2.00"))
    report = services.submit_report(
        application=project,
        kind="final",
        achieved="x",
        spread="x",
        continues="x",
        realised_costs=D("90000"),
        own_financing=D("13500"),
        by=people["lead"],
    )
    services.check_report(
        report=report, content_note="x", accepted_costs=D("90000"), financial_note="x", by=official
    )
    at("2030-12-01T10:00:00+02:00", monkeypatch)
    grant_return = hear_and_decide(
        project, official, people["lead"], due_date=dt.date(2030, 12, 31), grounds="Motivering"
    )
    expected = {
        IssuedDocument.objects.get(change=change): ["Beslut om ändring av statsunderstöd"],
        IssuedDocument.objects.get(payment=request): ["Ingår inte i budgeten.", "Anvisning"],
        IssuedDocument.objects.get(grant_return=grant_return): [
            "3 500 €",
            "5,00 %",
            "146,23 €",
            "senast 31.12.2030",
            grant_return.reference,
            "20 §",
            "25 §",
            "Hörande",
        ],
    }
    for document, extra in expected.items():
        assert document.language == "sv"
        text = words(document.pdf.open("rb").read())
        for element in [*SWEDISH_PARTS, *extra]:
            assert element in text, (document.kind, element)


def test_a_2022_project_shows_no_invented_report_deadline(client, published_2022):
    from applications.models import Application
    from tests.conftest import staff_of

    espoo = Organisation.objects.get(code="049")
    client.force_login(staff_of(espoo, email="espoo@example.fi", full_name="Eeva Espoo"))
    project = Application.objects.get(call=published_2022, lead=espoo)
    assert rules.figures(project).report_due is None
    text = client.get(reverse("applications:project", kwargs={"pk": project.pk})).content.decode()
    assert "30.11.2024" not in text and "Not published" in text


def test_the_follow_up_list_says_the_2022_reports_are_not_recorded(client, published_2022):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    official = UserFactory()
    MembershipFactory(user=official, organisation_id=1, role=Role.OFFICIAL)
    client.force_login(official)
    page = client.get(reverse("processing:follow-up")).content.decode()
    assert page.count("Not recorded") == 24
    assert "The reports of 24 projects decided outside this system are not recorded here" in page
    assert "30.11.2024" not in page
