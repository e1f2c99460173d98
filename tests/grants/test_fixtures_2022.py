"""The shipped 2022 data matches the published press release and the municipality reference list."""

import csv
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Sum

from accounts.models import Organisation, OrganisationKind
from applications.models import Application, Decision, Outcome, Participant

REFERENCE = Path(settings.BASE_DIR) / "fixtures" / "reference"


def press_release_awards():
    """(name as published, amount) pairs parsed from the release's table of funded projects."""
    text = (REFERENCE / "press-release-2022-sv.txt").read_text(encoding="utf-8")
    table = text.split("Huvudsökare Beviljade beloppet (max.)", 1)[1]
    awards = []
    for line in table.strip().splitlines():
        name = re.split(r"\s+\(|\s{2,}|\s(?=\d)", line.strip(), maxsplit=1)[0]
        for amount in re.findall(r"(\d{1,3}(?: \d{3})*) euro", line):
            awards.append((name, Decimal(amount.replace(" ", ""))))
    return awards


def reference_awards():
    with open(REFERENCE / "awards_2022.csv", encoding="utf-8") as handle:
        return [
            (row["press_release_name"], row["municipality_code"], Decimal(row["max_amount_eur"]))
            for row in csv.DictReader(handle)
        ]


def test_award_list_reproduces_press_release():
    published = press_release_awards()
    assert len(published) == 24
    assert sum(amount for _, amount in published) == Decimal("8623231")
    assert [(name, amount) for name, _, amount in reference_awards()] == published


def test_fixtures_load_into_empty_database(published_2022):
    assert Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).count() == 309
    assert Organisation.objects.filter(kind=OrganisationKind.MINISTRY).count() == 1
    assert published_2022.emphasis_areas.count() == 2
    assert published_2022.contacts.count() == 3
    assert published_2022.applications_received == 49
    assert published_2022.max_share_percent == Decimal("85.00")
    assert str(published_2022.use_period_end) == "2024-09-30"
    assert str(published_2022.decision_date) == "2022-06-15"
    assert str(published_2022.results_published_on) == "2022-06-16"


def test_fixtures_load_twice_without_duplicates(published_2022):
    call_command("loaddata", "organisations", "call_2022", verbosity=0)
    assert Application.objects.count() == 24
    assert Organisation.objects.count() == 310


def test_exactly_24_awards_totalling_published_sum(published_2022):
    awards = Decision.objects.filter(application__call=published_2022, outcome=Outcome.POSITIVE)
    assert awards.count() == 24
    assert awards.aggregate(total=Sum("granted_amount"))["total"] == Decimal("8623231.00")
    assert published_2022.appropriation >= Decimal("8623231.00")


def test_23_distinct_leads_and_lahti_twice(published_2022):
    leads = Application.objects.filter(call=published_2022).values("lead__name_fi").annotate(n=Count("id"))
    assert len(leads) == 23
    assert {row["lead__name_fi"]: row["n"] for row in leads if row["n"] > 1} == {"Lahti": 2}
    lahti = Decision.objects.filter(application__lead__code="398").order_by("-granted_amount")
    assert [decision.granted_amount for decision in lahti] == [Decimal("500000.00"), Decimal("178500.00")]


def test_each_lead_matches_reference_code_and_amount(published_2022):
    stored = sorted(
        (decision.application.lead.code, decision.granted_amount)
        for decision in Decision.objects.select_related("application__lead")
    )
    expected = sorted((code, amount) for _, code, amount in reference_awards())
    assert stored == expected
    with open(REFERENCE / "municipalities_2022.csv", encoding="utf-8") as handle:
        names = {row["code"]: row["name_fi"] for row in csv.DictReader(handle)}
    for application in Application.objects.select_related("lead"):
        assert names[application.lead.code] == application.lead.name_fi


def test_historical_awards_invent_nothing(published_2022):
    for application in Application.objects.filter(call=published_2022):
        assert application.is_historical
        assert not application.participants_published
        assert application.project_name == ""
        assert application.case_number is None
        assert application.requested_amount is None
    assert not Participant.objects.exists()
    assert all(
        event_count == 1
        for event_count in Application.objects.annotate(n=Count("events")).values_list("n", flat=True)
    )


def test_organisation_fixture_is_regenerated_from_reference_csv(tmp_path):
    output = tmp_path / "organisations.json"
    call_command("build_organisation_fixture", output=str(output), verbosity=0)
    assert json.loads(output.read_text(encoding="utf-8")) == json.loads(
        (Path(settings.BASE_DIR) / "fixtures" / "organisations.json").read_text(encoding="utf-8")
    )


def test_organisation_fixture_has_every_municipality_with_leading_zeros():
    records = json.loads(
        (Path(settings.BASE_DIR) / "fixtures" / "organisations.json").read_text(encoding="utf-8")
    )
    municipalities = [r["fields"] for r in records if r["fields"]["kind"] == "municipality"]
    assert len(municipalities) == 309
    assert sum(1 for m in municipalities if m["region_fi"] == "Ahvenanmaa") == 16
    espoo = next(m for m in municipalities if m["name_fi"] == "Espoo")
    assert (espoo["code"], espoo["name_sv"]) == ("049", "Esbo")


def test_fixture_builder_rejects_a_bad_code(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name_fi,name_sv,region_fi\n49,Espoo,Esbo,Uusimaa\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Bad municipality code"):
        call_command("build_organisation_fixture", csv_path=str(bad), output=str(tmp_path / "o.json"))


def test_the_tests_fast_loader_writes_what_loaddata_writes(db):
    """tests/conftest.py's load_fixtures (used by the published_2022 fixture) against manage.py loaddata:
    the same rows, but for the moment the results last changed (the moment of loading)."""
    from django.apps import apps
    from django.db import transaction

    from tests.conftest import load_fixtures

    def everything():
        rows = {}
        for model in apps.get_models():
            if model._meta.app_label in ("accounts", "grants", "applications"):
                values = [
                    {k: v for k, v in row.items() if k != "results_changed_at"}
                    for row in model.objects.order_by("pk").values()
                ]
                rows[model._meta.label] = values
        return rows

    savepoint = transaction.savepoint()
    call_command("loaddata", "organisations", "call_2022", verbosity=0)
    by_loaddata = everything()
    transaction.savepoint_rollback(savepoint)
    assert Organisation.objects.count() == 0
    load_fixtures("organisations", "call_2022")
    by_loader = everything()
    assert by_loader["grants.Call"] and by_loader["applications.Application"]
    assert by_loader == by_loaddata
    # The sequences moved past the fixtures' keys: a new row gets a new key.
    assert Organisation.objects.create(kind="municipality", code="999", name_fi="Uusi").pk > 310
