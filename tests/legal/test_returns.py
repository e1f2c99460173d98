"""Issue 15, point 6, with the legal review's worked examples: payments (170 000,00 € and 102 000,00 €),
return interest across a reference-rate change (692,11 € and 641,74 €), the 100 € rule, late-payment
interest after the due date, a partial repayment, the hearing, stopping payments and recovery within ten
years of the last payment, which reopens a closed case."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from applications import rules, services
from applications.attachments import check_upload
from applications.models import Decision, IssuedDocument, PaymentRequest, ReturnStatus, Status
from applications.services import WorkflowError
from grants.models import ReferenceRate
from tests.conftest import at, hear_and_decide

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def words(document):
    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(document.pdf.open("rb").read())).pages
    )
    return " ".join(text.replace("\xa0", " ").split())


@pytest.fixture
def rates(db):
    # Bank of Finland reference rates as the review lists them (Finlex 1276/2022, the notice of 25.6.2024).
    ReferenceRate.objects.create(valid_from=dt.date(2024, 1, 1), rate=D("4.50"), source="Suomen Pankki")
    ReferenceRate.objects.create(
        valid_from=dt.date(2024, 7, 1), rate=D("4.50"), source="Suomen Pankki 25.6.2024"
    )
    ReferenceRate.objects.create(valid_from=dt.date(2025, 1, 1), rate=D("3.50"), source="Suomen Pankki")


def project_with_grant(project, granted):
    Decision.objects.filter(application=project).update(
        requested_amount=granted,
        granted_amount=granted,
        use_period_start=dt.date(2023, 1, 1),
        use_period_end=dt.date(2024, 12, 31),
    )
    project.refresh_from_db()
    return project


def pay(project, official, costs, paid_on, rejected=()):
    """A payment request of {category: amount}, cost lines in `rejected` refused, approved and paid."""
    request = services.request_payment(
        application=project,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 6, 30),
        costs={category: (category, D(amount)) for category, amount in costs.items()},
        ledger=check_upload(SimpleUploadedFile("l.pdf", PDF)),
        is_final=False,
        by=project.created_by,
    )
    rejections = {
        line.pk: "Ei hyväksyttävä" for line in request.cost_lines.all() if line.category in rejected
    }
    services.approve_payment(payment=request, rejections=rejections, note="", by=official)
    return services.mark_paid(payment=request, paid_on=paid_on, reference="RF18539007547034", by=official)


def final_report(project, people, accepted):
    report = services.submit_report(
        application=project,
        kind="final",
        achieved="x",
        spread="x",
        continues="x",
        realised_costs=D(accepted),
        own_financing=D("1"),
        by=people["lead"],
    )
    services.check_report(
        report=report, content_note="x", accepted_costs=D(accepted), financial_note="x", by=people["official"]
    )


def test_espoo_payments_and_return_across_the_rate_change(awarded_project, people, rates, monkeypatch):
    official = people["official"]
    project = project_with_grant(awarded_project, D("280500"))
    first = pay(project, official, {"personnel": "150000", "services": "50000"}, dt.date(2024, 6, 3))
    assert first.approved_amount == D("170000.00")  # 200 000 × 85 %
    second = pay(
        project,
        official,
        {"personnel": "100000", "services": "20000", "travel": "10000"},
        dt.date(2024, 9, 2),
        rejected={"travel"},
    )
    assert second.approved_amount == D("102000.00")  # 320 000 × 85 % − 170 000, below the cap 110 500
    final_report(project, people, "300000")  # justified 255 000: 17 000 € paid in excess
    at("2025-03-01T12:00:00+02:00", monkeypatch)
    grant_return = hear_and_decide(project, official, people["lead"], due_date=dt.date(2025, 3, 31))
    # 2.9.2024–1.1.2025: 17 000 × 7,5 % × 121/365 = 422,67; 1.1.–31.3.2025: 17 000 × 6,5 % × 89/365 = 269,44.
    assert (grant_return.amount, grant_return.interest) == (D("17000.00"), D("692.11"))
    assert grant_return.interest_until == grant_return.due_date == dt.date(2025, 3, 31)
    text = words(IssuedDocument.objects.get(grant_return=grant_return))
    for element in [
        "17 692,11 €",
        "31.3.2025",
        "FI2112345600000785",
        grant_return.reference,
        "7,50 %",
        "6,50 %",
        "422,67 €",
        "269,44 €",
        "20 §",
        "24 §",
        "25 §",
        "28 §",
        "Hyväksymme laskelman.",  # the hearing's answer
    ]:
        assert element in text, element
    assert grant_return.reference.startswith("RF")


def test_korsholm_return_interest(awarded_project, people, rates, monkeypatch):
    official = people["official"]
    project = project_with_grant(awarded_project, D("184450"))
    payment = pay(project, official, {"personnel": "217000"}, dt.date(2024, 8, 15))
    assert payment.approved_amount == D("184450.00")  # 217 000 × 85 % = the whole grant
    final_report(project, people, "200000")  # justified 170 000: 14 450 € back
    at("2025-03-01T12:00:00+02:00", monkeypatch)
    grant_return = hear_and_decide(project, official, people["lead"], due_date=dt.date(2025, 3, 31))
    # 139 days × 7,5 % = 412,72; 89 days × 6,5 % = 229,02.
    assert (grant_return.amount, grant_return.interest) == (D("14450.00"), D("641.74"))


@pytest.mark.parametrize(
    "accepted, returned",
    [(D("216882.36"), D("0")), (D("216882.35"), D("100.01")), (D("216882.34"), D("100.02"))],
)
def test_the_hundred_euro_rule(accepted, returned):
    assert (
        rules.return_amount(paid=D("184450"), accepted_costs=accepted, share=D("0.85"), granted=D("184450"))
        == returned
    )


def test_late_payment_interest_and_a_partial_repayment(awarded_project, people, rates, monkeypatch):
    official = people["official"]
    project = project_with_grant(awarded_project, D("280500"))
    pay(project, official, {"personnel": "150000", "services": "50000"}, dt.date(2024, 6, 3))
    pay(project, official, {"personnel": "120000"}, dt.date(2024, 9, 2))
    final_report(project, people, "300000")
    at("2025-03-01T12:00:00+02:00", monkeypatch)
    grant_return = hear_and_decide(project, official, people["lead"], due_date=dt.date(2025, 3, 31))
    assert grant_return.principal_and_interest == D("17692.11")
    at("2025-05-02T12:00:00+03:00", monkeypatch)
    services.record_repayment(
        grant_return=grant_return, amount=D("10000"), repaid_on=dt.date(2025, 4, 30), by=official
    )
    grant_return.refresh_from_db()
    assert grant_return.status == ReturnStatus.DECIDED  # a part leaves the rest open
    # § 25: 17 692,11 × (3,5 + 7) % × 30/365 = 152,69 after the due date;
    # then 7 692,11 × 10,5 % × 31/365 = 68,60.
    state = services.return_debt(grant_return, until=dt.date(2025, 5, 31))
    assert state.late_interest.total == D("221.29")
    assert state.open == D("7913.40")
    with pytest.raises(WorkflowError, match="close|repayment"):
        services.close_case(application=project, by=official)
    at("2025-06-02T12:00:00+03:00", monkeypatch)
    services.record_repayment(
        grant_return=grant_return, amount=D("7913.40"), repaid_on=dt.date(2025, 5, 31), by=official
    )
    grant_return.refresh_from_db()
    assert grant_return.status == ReturnStatus.REPAID
    assert grant_return.repaid_amount == D("17913.40")


def test_the_decision_waits_for_the_hearing_and_its_due_date_follows_the_decision(
    awarded_project, people, rates, monkeypatch
):
    official = people["official"]
    project = project_with_grant(awarded_project, D("280500"))
    pay(project, official, {"personnel": "200000"}, dt.date(2024, 6, 3))
    final_report(project, people, "100000")
    at("2025-03-01T12:00:00+02:00", monkeypatch)
    hearing = services.send_hearing(
        application=project,
        basis="excess",
        proposed_amount=None,
        facts="Ylimaksu",
        deadline=dt.date(2025, 3, 15),
        stop_payments=False,
        by=official,
    )
    with pytest.raises(WorkflowError, match="may answer until 15.3.2025|15.03.2025"):
        services.decide_return(
            application=project, hearing=hearing, due_date=dt.date(2025, 4, 30), grounds="x", by=official
        )
    at("2025-03-16T12:00:00+02:00", monkeypatch)  # no answer, the deadline has passed
    with pytest.raises(WorkflowError, match="due date must be after"):
        services.decide_return(
            application=project, hearing=hearing, due_date=dt.date(2025, 3, 1), grounds="x", by=official
        )
    grant_return = services.decide_return(
        application=project, hearing=hearing, due_date=dt.date(2025, 4, 30), grounds="x", by=official
    )
    text = words(IssuedDocument.objects.get(grant_return=grant_return))
    assert "Saaja ei vastannut määräaikaan mennessä." in text
    assert "Päätöspäivä: 16.3.2025" in text and "viimeistään 30.4.2025" in text


def test_mandatory_recovery_stops_payments_and_reopens_a_closed_case_within_ten_years(
    awarded_project, people, rates, monkeypatch
):
    official = people["official"]
    project = project_with_grant(awarded_project, D("280500"))
    pay(project, official, {"personnel": "100000"}, dt.date(2024, 6, 3))  # 85 000 €
    final_report(project, people, "100000")
    services.close_case(application=project, by=official)
    project.refresh_from_db()
    assert project.status == Status.CLOSED
    at("2027-05-01T12:00:00+03:00", monkeypatch)
    grant_return = hear_and_decide(
        project,
        official,
        people["lead"],
        basis="mandatory",
        amount=D("85000"),
        stop=True,
        due_date=dt.date(2027, 6, 30),
        grounds="Avustus käytettiin olennaisesti muuhun tarkoitukseen.",
    )
    project.refresh_from_db()
    assert project.status == Status.AWARDED  # reopened by the recovery
    assert grant_return.is_recovery and grant_return.stop_payments
    text = words(IssuedDocument.objects.get(grant_return=grant_return))
    assert "Valtiovarainministeriö perii takaisin" in text and "21 §" in text
    assert "maksaminen lopetetaan" in text
    with pytest.raises(WorkflowError, match="stopped"):
        services.request_payment(
            application=project,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 2, 1),
            costs={"personnel": ("x", D("10"))},
            ledger=check_upload(SimpleUploadedFile("l.pdf", PDF)),
            is_final=False,
            by=project.created_by,
        )


def test_no_recovery_ten_years_after_the_last_payment(awarded_project, people, rates, monkeypatch):
    official = people["official"]
    project = project_with_grant(awarded_project, D("280500"))
    pay(project, official, {"personnel": "100000"}, dt.date(2024, 6, 3))
    final_report(project, people, "100000")
    services.close_case(application=project, by=official)
    at("2034-06-04T12:00:00+03:00", monkeypatch)  # ten years and a day
    with pytest.raises(WorkflowError, match="ten years"):
        services.send_hearing(
            application=project,
            basis="discretionary",
            proposed_amount=D("1000"),
            facts="x",
            deadline=dt.date(2034, 7, 1),
            stop_payments=False,
            by=official,
        )
    assert rules.recovery_possible_until(dt.date(2024, 6, 3)) == dt.date(2034, 6, 3)
    assert PaymentRequest.objects.filter(application=project).count() == 1
