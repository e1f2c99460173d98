"""Follow-up of awarded projects through the pages: payments, changes, reports, returns, closing,
the 2022 projects, reminders and access."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import rules, services
from applications.models import (
    ChangeRequest,
    Decision,
    GrantReturn,
    PaymentRequest,
    PaymentStatus,
    Report,
    SentReminder,
    Status,
)
from applications.services import WorkflowError
from grants.models import ReferenceRate
from tests.conftest import at, deliver_mail, delivered, hear_and_decide

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def day(project, offset):
    return project.decision.use_period_start + dt.timedelta(days=offset)


def payment_data(project, start=0, end=30, **amounts):
    data = {
        "period_start": day(project, start).isoformat(),
        "period_end": day(project, end).isoformat(),
        "ledger": SimpleUploadedFile("paakirja.pdf", PDF),
        "personnel_amount": "60 000",
        "personnel_description": "Projektipäällikkö",
        "travel_amount": "10000",
        "travel_description": "Matkat",
    }
    data.update(amounts)
    return {k: v for k, v in data.items() if v is not None}


def action(project, name):
    return reverse(f"applications:project-{name}", kwargs={"pk": project.pk})


def official_action(project, name, target=None):
    if target is None:
        return reverse(f"processing:project-{name}", kwargs={"pk": project.pk})
    return reverse(f"processing:project-{name}", kwargs={"pk": project.pk, "target": target})


@pytest.fixture
def lead(people):
    """The lead's staff in a browser of their own, beside the `client` used for officials."""
    from django.test import Client

    browser = Client()
    browser.force_login(people["lead"])
    return browser


@pytest.fixture
def official_2022(published_2022):
    """An official of the real ministry (pk 1) of the loaded 2022 data."""
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="official@example.fi")
    MembershipFactory(user=user, organisation_id=1, role=Role.OFFICIAL)
    return user


def test_project_page_shows_the_figures(lead, awarded_project):
    page = lead.get(reverse("applications:project", kwargs={"pk": awarded_project.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    assert "80,000\xa0€" in html and "Request a payment" in html
    figures = page.context["figures"]
    assert (figures.granted, figures.paid, figures.available) == (D("80000.00"), D("0"), D("80000.00"))
    assert figures.report_due == rules.add_months(awarded_project.decision.use_period_end, 2)


def test_payments_step_by_step_with_worked_numbers(late_in_use_period, client, lead, awarded_project, people):
    response = lead.post(action(awarded_project, "payment"), payment_data(awarded_project))
    assert response.status_code == 302
    request = PaymentRequest.objects.get()
    assert request.claimed_costs == D("70000") and request.ledger_extract.original_name == "paakirja.pdf"
    client.force_login(people["official"])
    travel = request.cost_lines.get(category="travel")
    prefix = f"p{request.pk}"
    # Rejecting a line needs a reason.
    bad = client.post(
        official_action(awarded_project, "approve-payment", request.pk),
        {f"{prefix}-reject_{travel.pk}": "on"},
    )
    assert "Give the reason for rejecting the cost" in bad.content.decode()
    client.post(
        official_action(awarded_project, "approve-payment", request.pk),
        {f"{prefix}-reject_{travel.pk}": "on", f"{prefix}-reason_{travel.pk}": "Ei hankkeen matkoja"},
    )
    request.refresh_from_db()
    # 60 000 € accepted × 85 % = 51 000 €.
    assert (request.status, request.approved_amount) == (PaymentStatus.APPROVED, D("51000.00"))
    again = client.post(official_action(awarded_project, "approve-payment", request.pk), {}, follow=True)
    assert "already been checked" in again.content.decode()
    assert (
        "This field is required"
        in client.post(official_action(awarded_project, "paid", request.pk), {}).content.decode()
    )
    client.post(
        official_action(awarded_project, "paid", request.pk),
        {"paid_on": day(awarded_project, 40).isoformat(), "reference": "RF18 1234"},
    )
    request.refresh_from_db()
    assert request.status == PaymentStatus.PAID
    # Second request: (60 000 + 50 000) × 85 % − 51 000 = 42 500, but only 29 000 € of the grant is left.
    lead.post(
        action(awarded_project, "payment"),
        payment_data(awarded_project, 31, 60, personnel_amount="50000", travel_amount=None),
    )
    second = PaymentRequest.objects.exclude(pk=request.pk).get()
    client.post(official_action(awarded_project, "approve-payment", second.pk), {})
    second.refresh_from_db()
    assert second.approved_amount == D("29000.00")
    # Nothing more can be approved.
    lead.post(action(awarded_project, "payment"), payment_data(awarded_project, 61, 90))
    third = PaymentRequest.objects.filter(status=PaymentStatus.SUBMITTED).get()
    response = client.post(official_action(awarded_project, "approve-payment", third.pk), {}, follow=True)
    assert "Nothing can be paid" in response.content.decode()
    client.post(
        official_action(awarded_project, "reject-payment", third.pk),
        {f"p{third.pk}-note": "Avustus käytetty"},
    )
    third.refresh_from_db()
    assert third.status == PaymentStatus.REJECTED


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start": -1}, "Costs before the use period are not eligible"),
        ({"end": 5000}, "Costs after the use period are not eligible"),
        ({"personnel_amount": "-5"}, "greater than or equal to 0"),
        ({"personnel_amount": "abc"}, "Enter a number"),
        (
            {"personnel_amount": "", "travel_amount": ""},
            "Enter the realised costs of at least one cost category",
        ),
        ({"ledger": None}, "This field is required"),
        ({"ledger": SimpleUploadedFile("paakirja.pdf", b"MZ\x90\x00" + b"\x00" * 64)}, "is not a PDF file"),
        ({"is_final": "on"}, "The final payment follows the checked final report"),
    ],
)
def test_bad_payment_requests_are_refused(late_in_use_period, lead, awarded_project, change, message):
    start, end = change.pop("start", 0), change.pop("end", 30)
    data = payment_data(awarded_project, start, end, **change)
    if "ledger" in change and change["ledger"] is None:
        data.pop("ledger", None)
    response = lead.post(action(awarded_project, "payment"), data, follow=True)
    assert message in response.content.decode()
    assert not PaymentRequest.objects.exists()


def test_extension_moves_the_use_period_and_report_deadline(client, lead, awarded_project, people):
    end = awarded_project.decision.use_period_end
    bad = lead.post(action(awarded_project, "change"), {"kind": "extension", "description": "Lisäaikaa"})
    assert "An extension names the new end" in bad.content.decode()
    lead.post(
        action(awarded_project, "change"),
        {
            "kind": "extension",
            "description": "Viivästys",
            "new_use_period_end": (end + dt.timedelta(days=90)).isoformat(),
        },
    )
    change = ChangeRequest.objects.get()
    client.force_login(people["official"])
    assert (
        "Give the reason"
        not in client.post(
            official_action(awarded_project, "change", change.pk), {"status": "accepted"}
        ).content.decode()
    )
    client.post(
        official_action(awarded_project, "change", change.pk),
        {"status": "accepted", "grounds": "Perusteltu viive"},
    )
    change.refresh_from_db()
    assert change.status == "accepted"
    decision = Decision.objects.get(application=awarded_project)
    assert decision.use_period_end == end + dt.timedelta(days=90)
    awarded_project.refresh_from_db()
    assert rules.figures(awarded_project).report_due == rules.add_months(end + dt.timedelta(days=90), 2)


def test_changes_after_the_use_period_are_refused(lead, awarded_project):
    Decision.objects.filter(application=awarded_project).update(
        use_period_end=dt.date(2020, 1, 1), use_period_start=dt.date(2019, 1, 1)
    )
    response = lead.post(
        action(awarded_project, "change"), {"kind": "content", "description": "Muutos"}, follow=True
    )
    assert "before the use period ends" in response.content.decode()
    assert not ChangeRequest.objects.exists()


def pay(project, official, amount_costs, paid_on):
    request = services.request_payment(
        application=project,
        period_start=project.decision.use_period_start,
        period_end=project.decision.use_period_start + dt.timedelta(days=10),
        costs={"personnel": ("Palkat", D(amount_costs))},
        ledger=__import__("applications.attachments", fromlist=["check_upload"]).check_upload(
            SimpleUploadedFile("l.pdf", PDF)
        ),
        is_final=False,
        by=project.created_by,
    )
    services.approve_payment(payment=request, rejections={}, note="", by=official)
    return services.mark_paid(payment=request, paid_on=paid_on, reference="RF1", by=official)


def checked_final_report(project, people, realised, accepted, own):
    report = services.submit_report(
        application=project,
        kind="final",
        achieved="x",
        spread="x",
        continues="x",
        realised_costs=D(realised),
        own_financing=D(own),
        by=people["lead"],
    )
    return services.check_report(
        report=report, content_note="x", accepted_costs=D(accepted), financial_note="x", by=people["official"]
    )


def test_final_report_return_with_interest_repayment_and_closing(
    late_in_use_period, client, lead, awarded_project, people, monkeypatch
):
    official = people["official"]
    pay(awarded_project, official, "60000", dt.date(2030, 3, 1))  # 51 000 €
    pay(awarded_project, official, "40000", dt.date(2030, 9, 1))  # 29 000 € (grant cap)
    ReferenceRate.objects.create(valid_from=dt.date(2030, 1, 1), rate=D("2.00"))
    lead.post(
        action(awarded_project, "report"),
        {
            "kind": "final",
            "achieved": "Malli valmis",
            "spread": "Julkaistu",
            "continues": "Ylläpito jatkuu",
            "realised_costs": "90000",
            "own_financing": "13500",
        },
    )
    report = Report.objects.get()
    again = lead.post(
        action(awarded_project, "report"),
        {
            "kind": "final",
            "achieved": "x",
            "spread": "x",
            "continues": "x",
            "realised_costs": "1",
            "own_financing": "1",
        },
        follow=True,
    )
    assert "already submitted its final report" in again.content.decode()
    client.force_login(official)
    too_much = client.post(
        official_action(awarded_project, "report-check", report.pk),
        {"content_note": "Hyvä", "accepted_costs": "90001", "financial_note": "Ok"},
        follow=True,
    )
    assert "cannot exceed the reported costs" in too_much.content.decode()
    client.post(
        official_action(awarded_project, "report-check", report.pk),
        {"content_note": "Hyvä", "accepted_costs": "90000", "financial_note": "Kirjanpito täsmää"},
    )
    # Paid 80 000, justified 90 000 × 85 % = 76 500: 3 500 € back, taken from the latest payment (1.9.2030).
    at("2030-12-01T10:00:00+02:00", monkeypatch)
    refused = client.post(
        official_action(awarded_project, "return"), {"due_date": "2030-12-31", "grounds": "x"}, follow=True
    )
    assert "Hear the municipality first" in refused.content.decode()
    client.post(
        official_action(awarded_project, "hearing"),
        {"basis": "excess", "facts": "Kustannukset jäivät arviota pienemmiksi", "deadline": "2030-12-15"},
    )
    early = client.post(
        official_action(awarded_project, "return"), {"due_date": "2030-12-31", "grounds": "x"}, follow=True
    )
    assert "may answer until 15.12.2030" in early.content.decode()
    hearing_url = reverse("applications:project-hearing", kwargs={"pk": awarded_project.pk})
    lead.post(hearing_url, {"answer": "Hyväksymme."})
    client.post(
        official_action(awarded_project, "return"),
        {"due_date": "2030-12-31", "grounds": "Kustannukset jäivät arviota pienemmiksi"},
    )
    grant_return = GrantReturn.objects.get()
    # 3 500 × 5 % × 121/365 = 58.01
    assert (grant_return.amount, grant_return.interest) == (D("3500.00"), D("58.01"))
    assert "121/365" in grant_return.calculation
    refused = client.post(official_action(awarded_project, "close"), follow=True)
    assert "waiting for repayment" in refused.content.decode()
    at("2031-01-05T10:00:00+02:00", monkeypatch)
    client.post(
        official_action(awarded_project, "repayment", grant_return.pk),
        {"amount": "3558,01", "repaid_on": "2030-12-31"},
    )
    client.post(official_action(awarded_project, "close"))
    awarded_project.refresh_from_db()
    assert awarded_project.status == Status.CLOSED
    with pytest.raises(WorkflowError, match="closed"):
        services.submit_report(
            application=awarded_project,
            kind="interim",
            achieved="x",
            spread="x",
            continues="x",
            realised_costs=D("1"),
            own_financing=D("1"),
            by=people["lead"],
        )


def test_hundred_euro_rule_in_the_return_decision(late_in_use_period, awarded_project, people):
    official = people["official"]
    pay(awarded_project, official, "100000", dt.date(2030, 3, 1))  # 80 000 €
    # 94 000 × 85 % = 79 900: the excess is exactly 100 €, which is not returned.
    checked_final_report(awarded_project, people, realised="94000", accepted="94000", own="14000")
    with pytest.raises(WorkflowError, match="100 € or less"):
        services.send_hearing(
            application=awarded_project,
            basis="excess",
            proposed_amount=None,
            facts="x",
            deadline=dt.date.today() + dt.timedelta(days=14),
            stop_payments=False,
            by=official,
        )


def test_participants_see_the_project_but_only_the_lead_acts(client, awarded_project, people):
    url = reverse("applications:project", kwargs={"pk": awarded_project.pk})
    client.force_login(people["partner"])
    assert client.get(url).status_code == 200
    assert "Request a payment" not in client.get(url).content.decode()
    assert client.post(action(awarded_project, "payment"), payment_data(awarded_project)).status_code == 403
    client.force_login(people["other"])
    assert client.get(url).status_code == 404
    assert client.post(action(awarded_project, "report"), {}).status_code == 404
    client.force_login(people["lead"])
    assert client.post(f"/en/applications/{awarded_project.pk}/project/delete/").status_code == 404
    assert not PaymentRequest.objects.exists()


def test_officials_pages_are_404_for_everyone_else(client, awarded_project, people, ministry_people):
    urls = [
        reverse("processing:follow-up"),
        reverse("processing:follow-up-csv"),
        reverse("processing:project", kwargs={"pk": awarded_project.pk}),
    ]
    posts = [official_action(awarded_project, "close"), official_action(awarded_project, "past-payment")]
    for user in (None, people["lead"], people["partner"], ministry_people["reviewer"]):
        if user:
            client.force_login(user)
        else:
            client.logout()
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            assert client.post(url, {}).status_code == 404, (user, url)
    client.force_login(ministry_people["decision_maker"])
    assert client.get(urls[2]).status_code == 200
    assert client.post(posts[0]).status_code == 403
    awarded_project.refresh_from_db()
    assert awarded_project.status == Status.AWARDED


def test_2022_projects_appear_without_invented_payments_and_can_be_recorded(
    client, published_2022, official_2022
):
    client.force_login(official_2022)
    page = client.get(reverse("processing:follow-up"))
    rows = page.context["rows"]
    assert len([row for row in rows if row.call == published_2022]) == 24
    assert all(row.paid_total == 0 and not row.payments_recorded for row in rows)
    assert "payments not recorded" in page.content.decode()
    assert page.context["overdue"] == []
    espoo = next(row for row in rows if row.lead.code == "049")
    url = official_action(espoo, "past-payment")
    over = client.post(url, {"amount": "280500,01", "paid_on": "2023-01-15", "reference": "X"}, follow=True)
    assert "at most what is still available" in over.content.decode()
    client.post(url, {"amount": "140 250", "paid_on": "2023-01-15", "reference": "VM-2023-001"})
    assert PaymentRequest.objects.get(application=espoo).approved_amount == D("140250.00")
    per_call = client.get(reverse("processing:follow-up")).context["per_call"][published_2022]
    assert (per_call["granted"], per_call["paid"]) == (D("8623231.00"), D("140250.00"))
    csv_text = client.get(reverse("processing:follow-up-csv")).content.decode()
    assert "140250.00" in csv_text and csv_text.count("\n") == 25


def test_follow_up_query_count_is_flat(client, published_2022, official_2022):
    client.force_login(official_2022)
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("processing:follow-up"))
        counts.append(len(queries))
        espoo = published_2022.applications.first()
        services.record_past_payment(
            application=espoo,
            amount=D("1000"),
            paid_on=dt.date(2023, 1, 1),
            reference="r",
            by=official_2022,
        )
    assert counts[0] == counts[1]


def test_reminders_are_sent_once_in_each_recipients_language(awarded_project, people):
    end = awarded_project.decision.use_period_end
    call_command("send_reminders", f"--today={end - dt.timedelta(days=10)}", verbosity=0)
    deliver_mail()
    first = len(delivered("reminder"))
    # Lead staff (two) get "use period ends"; the 2022 projects, handled outside the system, get nothing.
    assert first == 2
    assert {m.to[0] for m in delivered("reminder")} == {"lead@example.fi", "lead2@example.fi"}
    call_command("send_reminders", f"--today={end - dt.timedelta(days=10)}", verbosity=0)
    deliver_mail()
    assert len(delivered("reminder")) == first
    call_command("send_reminders", f"--today={end + dt.timedelta(days=80)}", verbosity=0)
    deliver_mail()
    overdue = delivered("reminder")[first:]
    # Both recipients prefer Finnish.
    assert len(overdue) == 2 and all("loppuraportin määräaika oli" in m.body for m in overdue)
    assert SentReminder.objects.count() == 4


def test_officials_are_reminded_of_waiting_work(late_in_use_period, awarded_project, people):
    pay_request = services.request_payment(
        application=awarded_project,
        period_start=awarded_project.decision.use_period_start,
        period_end=awarded_project.decision.use_period_start,
        costs={"personnel": ("x", D("1000"))},
        ledger=__import__("applications.attachments", fromlist=["check_upload"]).check_upload(
            SimpleUploadedFile("l.pdf", PDF)
        ),
        is_final=False,
        by=people["lead"],
    )
    call_command("send_reminders", verbosity=0)
    call_command("send_reminders", verbosity=0)
    deliver_mail()
    to_official = [m for m in delivered("reminder") if m.to == ["official@example.fi"]]
    assert len(to_official) == 1 and pay_request.application.case_number in to_official[0].body


def test_no_reminders_about_the_2022_projects(published_2022, official_2022):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    # Espoo's staff would otherwise hear that the use period ends on 30.9.2024 and the report is overdue.
    MembershipFactory(user=UserFactory(email="espoo@example.fi"), organisation_id=1049, role=Role.APPLICANT)
    call_command("send_reminders", "--today=2024-09-20", verbosity=0)
    call_command("send_reminders", "--today=2025-01-15", verbosity=0)
    assert deliver_mail() == []


def pdf_words(response):
    import io

    from pypdf import PdfReader

    content = response.content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_change_and_return_decisions_as_pdf(
    late_in_use_period, client, lead, awarded_project, people, monkeypatch
):
    official = people["official"]
    end = awarded_project.decision.use_period_end
    change = services.request_change(
        application=awarded_project,
        kind="extension",
        description="Viive",
        new_use_period_end=end + dt.timedelta(days=30),
        by=people["lead"],
    )
    url = reverse(
        "applications:follow-up-decision-pdf",
        kwargs={"pk": awarded_project.pk, "kind": "changes", "item": change.pk},
    )
    assert lead.get(url).status_code == 404  # not decided yet
    services.decide_change(
        change=change, status="accepted", grounds="Perusteltu viive", decided_use_period_end=None, by=official
    )
    response = lead.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_words(response)
    new_end = end + dt.timedelta(days=30)
    assert "Päätös valtionavustuksen muuttamisesta" in text
    assert (
        f"{new_end.day}.{new_end.month}.{new_end.year}" in text
        and "Perusteltu viive" in text
        and "30 päivän" in text
    )
    pay(awarded_project, official, "100000", dt.date(2030, 3, 1))
    ReferenceRate.objects.create(valid_from=dt.date(2030, 1, 1), rate=D("2.00"))
    checked_final_report(awarded_project, people, realised="90000", accepted="90000", own="13500")
    at("2030-12-01T10:00:00+02:00", monkeypatch)
    grant_return = hear_and_decide(
        awarded_project,
        official,
        people["lead"],
        due_date=dt.date(2030, 12, 31),
        grounds="Kulut jäivät pienemmiksi",
    )
    text = pdf_words(
        lead.get(
            reverse(
                "applications:follow-up-decision-pdf",
                kwargs={"pk": awarded_project.pk, "kind": "returns", "item": grant_return.pk},
            )
        )
    )
    # 80 000 paid, 90 000 × 85 % = 76 500 justified: 3 500 € back, interest 3 500 × 5 % × 305/365 = 146.23.
    assert "Päätös valtionavustuksen palauttamisesta" in text and "3 500 €" in text and "146,23 €" in text
    client.force_login(people["other"])
    assert client.get(url).status_code == 404


def test_application_copy_as_pdf_in_the_readers_language(client, submitted_case, people):
    client.force_login(people["partner"])
    from django.utils import translation

    with translation.override("sv"):
        url = reverse("applications:copy-pdf", kwargs={"pk": submitted_case.pk})
    text = pdf_words(client.get(url))
    assert submitted_case.case_number in text and "Yhteinen tiedonhallinta" in text
    assert "Deltagande kommuner" in text and "100 000 €" in text
    client.force_login(people["other"])
    assert client.get(url).status_code == 404


def test_changes_between_budget_lines_update_the_budget(client, lead, awarded_project, people):
    personnel, services_line = awarded_project.budget_lines.order_by("pk")  # 80 000 and 20 000
    url = action(awarded_project, "change")
    base = {"kind": "budget", "description": "Vähemmän konsultointia"}
    unbalanced = lead.post(
        url, base | {f"line_{personnel.pk}": "85000", f"line_{services_line.pk}": "20000"}, follow=True
    )
    assert "keep the total of the eligible costs" in unbalanced.content.decode()
    unchanged = lead.post(url, base, follow=True)
    assert "Change the amount of at least one budget line" in unchanged.content.decode()
    lead.post(url, base | {f"line_{personnel.pk}": "90 000", f"line_{services_line.pk}": "10000"})
    change = ChangeRequest.objects.get()
    assert {int(pk): D(amount) for pk, amount in change.budget_changes.items()} == {
        personnel.pk: D("90000"),
        services_line.pk: D("10000"),
    }
    assert (
        "already waiting"
        in lead.post(url, base | {f"line_{personnel.pk}": "1"}, follow=True).content.decode()
    )
    client.force_login(people["official"])
    client.post(
        official_action(awarded_project, "change", change.pk), {"status": "accepted", "grounds": "Perusteltu"}
    )
    personnel.refresh_from_db()
    services_line.refresh_from_db()
    assert (personnel.amount, services_line.amount) == (D("90000.00"), D("10000.00"))


def test_a_new_participant_confirms_before_the_change_is_accepted(
    client, lead, awarded_project, people, municipalities
):
    from applications.models import Participant, ParticipationStatus

    url = action(awarded_project, "change")
    missing = lead.post(url, {"kind": "participants", "description": "Kauniainen mukaan"})
    assert "Name the municipality that joins" in missing.content.decode()
    twice = lead.post(
        url, {"kind": "participants", "description": "x", "new_participant": "Vanda"}, follow=True
    )
    assert "already takes part" in twice.content.decode()
    lead.post(
        url, {"kind": "participants", "description": "Kauniainen mukaan", "new_participant": "Grankulla"}
    )
    change = ChangeRequest.objects.get()
    joining = Participant.objects.get(application=awarded_project, organisation=municipalities["partner2"])
    assert joining.status == ParticipationStatus.PENDING
    client.force_login(people["official"])
    early = client.post(
        official_action(awarded_project, "change", change.pk),
        {"status": "accepted", "grounds": "x"},
        follow=True,
    )
    assert "has not confirmed" in early.content.decode()
    # Kauniainen's staff see the project and answer; other municipalities still cannot.
    client.force_login(people["other"])
    assert client.post(action(awarded_project, "joining"), {"answer": "confirm"}).status_code == 404
    client.force_login(people["partner"])
    assert client.post(action(awarded_project, "joining"), {"answer": "confirm"}).status_code == 403
    client.force_login(people["partner2"])
    page = client.get(reverse("applications:project", kwargs={"pk": awarded_project.pk}))
    assert "Joining of Kauniainen" in page.content.decode()
    client.post(action(awarded_project, "joining"), {"answer": "confirm"})
    joining.refresh_from_db()
    assert joining.status == ParticipationStatus.CONFIRMED and joining.responded_by == people["partner2"]
    client.force_login(people["official"])
    client.post(
        official_action(awarded_project, "change", change.pk),
        {"status": "accepted", "grounds": "Laajempi yhteistyö"},
    )
    change.refresh_from_db()
    assert change.status == "accepted"
    assert awarded_project.participants.filter(organisation=municipalities["partner2"]).exists()


def test_a_rejected_new_participant_is_removed(client, awarded_project, people, municipalities):
    change = services.request_change(
        application=awarded_project,
        kind="participants",
        description="x",
        new_participant=municipalities["partner2"],
        by=people["lead"],
    )
    services.decide_change(
        change=change,
        status="rejected",
        grounds="Ei perusteltu",
        decided_use_period_end=None,
        by=people["official"],
    )
    assert not awarded_project.participants.filter(organisation=municipalities["partner2"]).exists()


def test_a_payment_request_cannot_claim_costs_not_yet_incurred(lead, awarded_project, monkeypatch):
    """Costs are claimed once incurred: a period ending after the request's own date is refused."""
    at(f"{day(awarded_project, 10).isoformat()}T12:00:00+02:00", monkeypatch)
    response = lead.post(
        action(awarded_project, "payment"), payment_data(awarded_project, 0, 11), follow=True
    )
    assert "the period cannot end after today" in response.content.decode()
    assert not PaymentRequest.objects.exists()
    lead.post(action(awarded_project, "payment"), payment_data(awarded_project, 0, 10))
    assert PaymentRequest.objects.count() == 1


def test_the_official_sees_the_payable_amount_before_approving(
    late_in_use_period, client, lead, awarded_project, people
):
    lead.post(action(awarded_project, "payment"), payment_data(awarded_project))
    client.force_login(people["official"])
    page = client.get(reverse("processing:project", kwargs={"pk": awarded_project.pk})).content.decode()
    # 85 % of 70 000 € of costs is 59 500 €, within the 80 000 € grant.
    assert "Approved as requested, 59,500\xa0€ will be paid" in page
