"""The State Treasury export: one row per decided application under the established technical keys,
Helsinki dates, numeric amounts, Business IDs, diary numbers and the sector code."""

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
    assert COLUMNS[1] == "avustushakuAsianumero" and len(COLUMNS) == 34
    espoo = next(row for row in rows if row[13] == "Espoo")
    record = dict(zip(COLUMNS, espoo, strict=True))
    assert (
        record["avustuspaatosPvm"] == "15.06.2022"
        and record["avustuspaatosKayttoaikaPaattyyPvm"] == "30.09.2024"
    )
    assert record["avustushakuPaattyyPvm"] == "25.04.2022"
    assert (
        record["avustuspaatosMyonnettyAvustus"] == "280500.00"
        and record["avustuspaatosTyyppi"] == "Myönteinen"
    )
    assert (
        record["avustushakemusAlueKunnat"] == "Espoo" and record["avustushakemusAlueMaakunnat"] == "Uusimaa"
    )
    assert record["avustusasiaVireillepanijaYhteisoTunnus"] == "0101263-6"
    assert record["saajanSektoriluokitus"] == "S.1313"
    assert record["avustusasiaKieli"] == ""  # the language of the 2022 applications was not published
    workbook = load_workbook(io.BytesIO(client.get(url(published_2022, "xlsx")).content))
    sheet = workbook["VA"]
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.max_row == 25
    amounts = [
        row[COLUMNS.index("avustuspaatosMyonnettyAvustus")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert all(isinstance(amount, (int, float)) for amount in amounts)  # numeric cells, not text
    assert sum(Decimal(str(amount)) for amount in amounts) == Decimal("8623231")


def test_negative_decisions_are_rows_too(client, submitted_case, people, ministry_people):
    type(submitted_case).objects.filter(pk=submitted_case.pk).update(language="sv")
    submitted_case.refresh_from_db()
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
    assert record["avustuspaatosTyyppi"] == "Kielteinen" and record["avustuspaatosMyonnettyAvustus"] == ""
    assert record["avustuspaatosPerustelu"] == "Anslaget räckte inte." and record["avustusasiaKieli"] == "sv"
    assert record["avustushakemusAlueKunnat"] == "Espoo; Vantaa"
    assert record["avustushakemusHaettuAvustus"] == "85000.00"
    assert record["avustusasiaAsianumero"] == submitted_case.case_number


def test_only_processors_download(client, submitted_case, people):
    for user in (None, people["lead"]):
        if user:
            client.force_login(user)
        assert client.get(url(submitted_case.call, "csv")).status_code == 404
    client.force_login(people["official"])
    assert client.get(f"/en/processing/calls/{submitted_case.call.slug}/treasury.exe").status_code == 404
