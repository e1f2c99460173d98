"""The State Treasury export: one row per decided application, the template's columns, Finnish dates."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from applications import services
from processing.treasury import COLUMNS
from tests.conftest import end_application_period

pytestmark = pytest.mark.django_db


def url(call, fmt):
    return reverse("processing:treasury-export", kwargs={"slug": call.slug, "format": fmt})


def test_2022_decisions_in_csv_and_xlsx(client, published_2022):
    from accounts.models import Role
    from tests.factories import MembershipFactory, UserFactory

    official = UserFactory()
    MembershipFactory(user=official, organisation_id=1, role=Role.OFFICIAL)
    client.force_login(official)
    text = client.get(url(published_2022, "csv")).content.decode("utf-8")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == COLUMNS and len(rows) == 25
    espoo = next(row for row in rows if row[13] == "Espoo")
    record = dict(zip(COLUMNS, espoo, strict=True))
    assert record["Päätöspäivä"] == "15.06.2022" and record["Käyttöajan loppu"] == "30.09.2024"
    assert record["Myönnetty summa"] == "280500,00" and record["Päätöksen laji"] == "Myönteinen"
    assert record["Kunnat"] == "Espoo" and record["Maakunnat"] == "Uusimaa"
    workbook = load_workbook(io.BytesIO(client.get(url(published_2022, "xlsx")).content))
    sheet = workbook.active
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.max_row == 25


def test_negative_decisions_are_rows_too(client, submitted_case, people, ministry_people):
    services.propose_decision(
        application=submitted_case,
        outcome="negative",
        granted_amount=None,
        language="sv",
        grounds_fi="",
        grounds_sv="Anslaget räckte inte.",
        by=people["official"],
    )
    decision = submitted_case.decision
    end_application_period(submitted_case.call)
    services.approve_decisions(
        call=submitted_case.call, decision_ids=[decision.pk], by=ministry_people["decision_maker"]
    )
    client.force_login(people["official"])
    rows = list(
        csv.reader(
            io.StringIO(client.get(url(submitted_case.call, "csv")).content.decode().lstrip("\ufeff")),
            delimiter=";",
        )
    )
    record = dict(zip(COLUMNS, rows[1], strict=True))
    assert record["Päätöksen laji"] == "Kielteinen" and record["Myönnetty summa"] == ""
    assert record["Päätöksen perustelut"] == "Anslaget räckte inte." and record["Asiointikieli"] == "sv"
    assert record["Kunnat"] == "Espoo; Vantaa" and record[
        "Haettu summa"
    ] == f"{Decimal('85000'):.2f}".replace(".", ",")


def test_only_processors_download(client, submitted_case, people):
    for user in (None, people["lead"]):
        if user:
            client.force_login(user)
        assert client.get(url(submitted_case.call, "csv")).status_code == 404
    client.force_login(people["official"])
    assert client.get(f"/en/processing/calls/{submitted_case.call.slug}/treasury.exe").status_code == 404
