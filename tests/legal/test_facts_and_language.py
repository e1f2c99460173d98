"""Issue 15, points 1, 2 and 8: the 2022 call's facts as the ministry published them, the legal basis
cited right, a historical award never given a generated decision, and the language of a case by law."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from stdnum.fi import ytunnus

from accounts.models import LanguageStatus, Organisation
from applications import services
from applications.documents.decision import NotGenerated, render_pdf
from applications.models import Application, CaseEvent, EventKind
from tests.conftest import staff_of

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"


def page(client, name, language, **kwargs):
    with translation.override(language):
        return client.get(reverse(name, kwargs=kwargs))


@pytest.mark.parametrize(
    "language, appropriation, decree",
    [
        ("fi", "10 000 000", "kuntien digitalisaation kannustinjärjestelmästä (893/2019)"),
        ("sv", "10 000 000", "om incitamentsystemet för digitalisering i kommunerna (893/2019)"),
    ],
)
def test_2022_call_page_shows_the_published_facts(client, published_2022, language, appropriation, decree):
    response = page(client, "grants:call-detail", language, slug=published_2022.slug)
    text = response.content.decode().replace("\xa0", " ")
    assert appropriation in text
    assert "8 623 231" not in text  # the awarded total is not the appropriation
    assert "28.90.32" in text
    assert "25.4.2022" in text
    assert "25.4.2022 23:59" not in text and "23:59" not in text  # no time of day was published
    assert decree in text
    assert all(f"{section} §" in text for section in (20, 21, 22, 24, 25, 28))
    assert "kunnallisen digitalisaatiokannustimen" not in text  # the invented title is gone


def test_2022_call_records_its_sources_facts(published_2022):
    assert published_2022.appropriation == Decimal("10000000.00")
    assert published_2022.closing_time_published is False
    assert published_2022.closes_on.isoformat() == "2022-04-25"
    assert published_2022.appropriation_available_until.isoformat() == "2024-12-31"
    assert published_2022.applications_received == 49


def test_nothing_about_a_historical_case_is_recorded_as_known(published_2022):
    historical = Application.objects.filter(call=published_2022).select_related("decision")
    assert historical.count() == 24
    for application in historical:
        assert application.language == "" and application.decision.language == ""
        assert not application.decision.document_pdf
        assert not application.payment_requests.exists() and not application.reports.exists()


def test_language_classification_matches_statistics_finland_counts():
    with open(REFERENCE / "municipalities_2022_language.csv", encoding="utf-8") as handle:
        statuses = [row["language_status"] for row in csv.DictReader(handle)]
    assert [statuses.count(code) for code in "0123"] == [260, 18, 16, 15]


def test_business_ids_pass_their_check_digit(published_2022):
    municipalities = Organisation.objects.municipalities().exclude(business_id="")
    ids = list(municipalities.values_list("business_id", flat=True))
    assert len(ids) == 289 and len(set(ids)) == 289
    assert all(ytunnus.is_valid(value) for value in ids)


@pytest.mark.parametrize(
    "code, status, language",
    [
        ("499", LanguageStatus.BILINGUAL_SWEDISH_MAJORITY, "sv"),  # Korsholm / Mustasaari
        ("710", LanguageStatus.BILINGUAL_SWEDISH_MAJORITY, "sv"),  # Raseborg / Raasepori
        ("545", LanguageStatus.BILINGUAL_SWEDISH_MAJORITY, "sv"),  # Närpes / Närpiö
        ("170", LanguageStatus.SWEDISH, "sv"),  # Jomala (Åland)
        ("638", LanguageStatus.BILINGUAL_FINNISH_MAJORITY, "fi"),  # Porvoo / Borgå
        ("049", LanguageStatus.BILINGUAL_FINNISH_MAJORITY, "fi"),  # Espoo
        ("837", LanguageStatus.FINNISH, "fi"),  # Tampere
    ],
)
def test_municipality_default_language_follows_its_language_status(published_2022, code, status, language):
    municipality = Organisation.objects.get(code=code)
    assert municipality.language_status == status
    assert municipality.language == language


def test_a_korsholm_application_defaults_to_swedish_and_keeps_its_language(published_2022, open_call):
    korsholm = Organisation.objects.get(code="499")
    user = staff_of(korsholm, email="korsholm@example.fi", full_name="Karl Korsholm")
    application = services.start_application(call=open_call, lead=korsholm, project_name="Digi", by=user)
    assert application.language == "sv"
    assert application.document_language == "sv"


def test_a_historical_case_uses_the_leads_language_only_where_it_must_write(published_2022):
    korsholm_award = Application.objects.get(call=published_2022, lead__code="499")
    assert korsholm_award.language == ""
    assert korsholm_award.document_language == "sv"


def test_a_2022_lead_finds_no_generated_decision(client, published_2022):
    espoo = Organisation.objects.get(code="049")
    user = staff_of(espoo, email="espoo@example.fi", full_name="Eeva Espoo")
    application = Application.objects.get(call=published_2022, lead=espoo)
    client.force_login(user)
    detail = page(client, "applications:detail", "fi", pk=application.pk)
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "Päätetty tämän järjestelmän ulkopuolella" in text
    assert "15.6.2022" in text
    assert reverse("applications:decision-pdf", kwargs={"pk": application.pk}) not in text
    assert page(client, "applications:decision-pdf", "fi", pk=application.pk).status_code == 404
    assert page(client, "applications:decision", "fi", pk=application.pk).status_code == 404
    with pytest.raises(NotGenerated):
        render_pdf(application.decision)


@pytest.fixture
def official(published_2022):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(email="official@example.fi", full_name="Olli Official")
    MembershipFactory(user=user, organisation=Organisation.objects.get(pk=1), role=Role.OFFICIAL)
    return user


def test_an_official_attaches_the_archived_original_and_it_is_what_the_lead_gets(
    client, published_2022, official
):
    espoo = Organisation.objects.get(code="049")
    user = staff_of(espoo, email="espoo@example.fi", full_name="Eeva Espoo")
    application = Application.objects.get(call=published_2022, lead=espoo)
    original = b"%PDF-1.4\n% the ministry's archived original\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    client.force_login(official)
    with translation.override("fi"):
        url = reverse("processing:attach-original", kwargs={"pk": application.decision.pk})
    response = client.post(url, {"file": SimpleUploadedFile("paatos.pdf", original, "application/pdf")})
    assert response.status_code == 302
    event = CaseEvent.objects.get(application=application, kind=EventKind.ORIGINAL_ATTACHED)
    assert event.actor == official
    client.force_login(user)
    response = page(client, "applications:decision-pdf", "fi", pk=application.pk)
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == original


def test_only_a_pdf_is_accepted_as_the_original(client, published_2022, official):
    application = Application.objects.get(call=published_2022, lead__code="049")
    client.force_login(official)
    with translation.override("fi"):
        url = reverse("processing:attach-original", kwargs={"pk": application.decision.pk})
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.post(url, {"file": SimpleUploadedFile("paatos.png", png, "image/png")})
    application.decision.refresh_from_db()
    assert not application.decision.document_pdf


def test_submission_records_the_consent_to_electronic_notification(client, ready, people):
    client.force_login(people["lead"])
    with translation.override("fi"):
        url = reverse("applications:submit", kwargs={"pk": ready.pk})
    client.post(url, {"electronic_notification": "on", "declaration": "on"})
    ready.refresh_from_db()
    assert ready.case_number and ready.electronic_notification and ready.electronic_notification_at
    assert ready.language == "fi"


def test_submission_without_consent_records_letters(client, ready, people):
    client.force_login(people["lead"])
    with translation.override("fi"):
        url = reverse("applications:submit", kwargs={"pk": ready.pk})
    client.post(url, {"declaration": "on"})
    ready.refresh_from_db()
    assert ready.case_number and not ready.electronic_notification
    assert ready.electronic_notification_at is None


def test_an_official_records_the_diary_number(client, submitted_case, people):
    client.force_login(people["official"])
    with translation.override("fi"):
        url = reverse("processing:diary-number", kwargs={"pk": submitted_case.pk})
    client.post(url, {"diary_number": "VN/1234/2026"})
    submitted_case.refresh_from_db()
    assert submitted_case.diary_number == "VN/1234/2026"
    assert submitted_case.case_number.startswith("VM/")
    assert CaseEvent.objects.filter(application=submitted_case, kind=EventKind.DIARY_NUMBER_RECORDED).exists()


def test_an_extension_past_the_appropriations_lapse_is_warned_about(client, awarded_project, people):
    """Point 9: the 2022 appropriation (a three-year transfer appropriation) can be used until 31.12.2024;
    an extension beyond the call's last day gets a warning on the official's page and when decided."""
    import datetime as dt

    call = awarded_project.call
    type(call).objects.filter(pk=call.pk).update(
        appropriation_available_until=awarded_project.decision.use_period_end
    )
    new_end = awarded_project.decision.use_period_end + dt.timedelta(days=60)
    change = services.request_change(
        application=awarded_project,
        kind="extension",
        description="Viive",
        new_use_period_end=new_end,
        by=people["lead"],
    )
    client.force_login(people["official"])
    with translation.override("fi"):
        page_url = reverse("processing:project", kwargs={"pk": awarded_project.pk})
        decide_url = reverse(
            "processing:project-change", kwargs={"pk": awarded_project.pk, "target": change.pk}
        )
    text = client.get(page_url).content.decode()
    assert "määrärahaa voi käyttää maksuihin" in text
    response = client.post(decide_url, {"status": "accepted", "grounds": "Perusteltu"}, follow=True)
    assert "määrärahaa voi käyttää maksuihin" in response.content.decode()
